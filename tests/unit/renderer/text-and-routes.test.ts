import { describe, expect, it } from 'vitest';
import { parseRoute, routeHref, type Route } from '../../../renderer/src/app/router';
import { queryHighlights, splitHighlights } from '../../../renderer/src/features/search/highlight';
import { format } from '../../../renderer/src/i18n/i18n';
import { en, vi } from '../../../renderer/src/i18n/messages';

describe('search highlights in the renderer', () => {
  it('splits a snippet at [start, end) ranges, sorted, clamped and merged', () => {
    const parts = splitHighlights('Tờ khai đăng ký khai sinh', [
      [15, 20],
      [8, 12],
      [10, 15],
      [-3, 0],
      [22, 999],
    ]);
    expect(parts).toEqual([
      { text: 'Tờ khai ', marked: false },
      { text: 'đăng ký khai', marked: true },
      { text: ' s', marked: false },
      { text: 'inh', marked: true },
    ]);
    expect(parts.map((p) => p.text).join('')).toBe('Tờ khai đăng ký khai sinh');
  });

  it('keeps markup-looking text as plain text parts', () => {
    const parts = splitHighlights('<img src=x onerror=alert(1)>', [[1, 4]]);
    expect(parts.map((p) => p.text).join('')).toBe('<img src=x onerror=alert(1)>');
  });

  it('marks the words of a query typed without diacritics in the original text', () => {
    const text = 'TỜ KHAI ĐĂNG KÝ KHAI SINH\nĐề nghị cơ quan đăng ký khai sinh';
    const marked = queryHighlights(text, 'dang ky').map(([s, e]) => text.slice(s, e));
    expect(marked).toEqual(['ĐĂNG', 'đăng', 'KÝ', 'ký']);
    // Only at the start of a word: "ky" does not mark the inside of another word.
    expect(queryHighlights('Bảy kỳ', 'ay')).toEqual([]);
    expect(queryHighlights('anything', '"*()')).toEqual([]);
  });
});

describe('renderer routes', () => {
  it('round-trips every route through the hash', () => {
    const routes: Route[] = [
      { name: 'new' },
      { name: 'dossier', id: 'a b/c?d' },
      { name: 'page', id: 42 },
      { name: 'page', id: 7, q: 'đăng ký & "khai"' },
    ];
    for (const route of routes) expect(parseRoute(routeHref(route))).toEqual(route);
  });

  it('falls back to the new-dossier form for anything unknown', () => {
    expect(parseRoute('')).toEqual({ name: 'new' });
    expect(parseRoute('#/pages/abc')).toEqual({ name: 'new' });
    expect(parseRoute('#/dossiers/%E0%A4%A')).toEqual({ name: 'new' });
  });
});

describe('UI dictionaries', () => {
  it('has every Vietnamese key in English, with the same placeholders', () => {
    // The parameter names, plural choices included: "{n|# page|# pages}" names n.
    const placeholders = (s: string) => [...s.matchAll(/\{(\w+)(?:\|[^|{}]*\|[^|{}]*)?\}/g)].map((m) => m[1]).sort();
    for (const key of Object.keys(vi) as (keyof typeof vi)[]) {
      expect(en[key], key).toBeTruthy();
      expect(placeholders(en[key]), key).toEqual(placeholders(vi[key]));
    }
  });

  it('fills placeholders and leaves unknown ones visible', () => {
    expect(format('{n}/12 chữ số', { n: 7 })).toBe('7/12 chữ số');
    expect(format('Trang {n}/{total}', { n: 1 })).toBe('Trang 1/{total}');
    // English plurals: the form follows the count, # stands for it.
    expect(format('{n|# page|# pages} from {f|# file|# files}', { n: 1, f: 3 })).toBe('1 page from 3 files');
    expect(format('{n|# page|# pages}', { n: 0 })).toBe('0 pages');
    expect(format('{n|# page|# pages}', {})).toBe('{n|# page|# pages}');
  });
});
