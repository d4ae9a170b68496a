import { describe, expect, it } from 'vitest';
import { makeSnippet } from '../../electron/core/search/page-search';
import { searchTokens } from '../../shared/domain/fold';

function marked(text: string, query: string): string[] {
  const { snippet, highlights } = makeSnippet(text, searchTokens(query));
  return highlights.map(([from, to]) => snippet.slice(from, to));
}

describe('search snippets', () => {
  it('highlights the original words, with their diacritics, for a folded query', () => {
    expect(marked('TỜ KHAI ĐĂNG KÝ KHAI SINH', 'dang ky')).toEqual(['ĐĂNG', 'KÝ']);
    expect(marked('Đà Nẵng, ngày 05 tháng 12', 'da nang')).toEqual(['Đà', 'Nẵng']);
  });

  it('works on decomposed (NFD) text too', () => {
    expect(marked('Đăng ký khai sinh'.normalize('NFD'), 'khai sinh').map((s) => s.normalize('NFC'))).toEqual([
      'khai',
      'sinh',
    ]);
  });

  it('matches at word starts only (the last token as a prefix, like the index)', () => {
    expect(marked('khai sinh, bổ sung', 'sinh')).toEqual(['sinh']);
    expect(marked('bổ sung', 'ung')).toEqual([]);
  });

  it('cuts a window around the first match in a long text and collapses whitespace', () => {
    const text = `${'Lorem ipsum dolor sit amet. '.repeat(30)}Giấy   chứng\nsinh số 123 ${'tail text '.repeat(40)}`;
    const { snippet, highlights } = makeSnippet(text, searchTokens('giay chung sinh'));
    expect(snippet.length).toBeLessThan(220);
    expect(snippet.startsWith('…')).toBe(true);
    expect(snippet.endsWith('…')).toBe(true);
    expect(highlights.map(([a, b]) => snippet.slice(a, b))).toEqual(['Giấy', 'chứng', 'sinh']);
  });
});
