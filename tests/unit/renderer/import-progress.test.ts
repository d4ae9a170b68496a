import { describe, expect, it } from 'vitest';
import { barValue, importingText } from '../../../renderer/src/features/capture/UploadStatus';
import type { ImportProgress } from '../../../renderer/src/features/capture/useImportFiles';
import { format } from '../../../renderer/src/i18n/i18n';
import { en, vi, type MessageKey } from '../../../renderer/src/i18n/messages';

const inLang =
  (dict: Record<MessageKey, string>) =>
  (key: MessageKey, params?: Record<string, string | number>): string =>
    format(dict[key], params);

const importing = (totalFiles: number, at: ImportProgress['importing']): ImportProgress => ({
  phase: 'importing',
  totalFiles,
  uploadedFiles: totalFiles,
  fraction: 1,
  addedPages: 0,
  importedFiles: 0,
  importing: at,
});

describe('the import line under the toolbar', () => {
  it('says which file and page the backend is storing', () => {
    const t = inLang(vi);
    expect(importingText(t, importing(1, null))).toBe('Đang nhập trang…');
    expect(importingText(t, importing(1, { file: 1, page: 37, pages: 300 }))).toBe('Đang nhập trang 37/300…');
    expect(importingText(t, importing(12, { file: 3, page: 37, pages: 300 }))).toBe(
      'Đang nhập tệp 3/12: trang 37/300…',
    );
    expect(importingText(t, importing(12, { file: 4, page: 1, pages: 1 }))).toBe('Đang nhập tệp 4/12…');
    expect(importingText(inLang(en), importing(12, { file: 3, page: 37, pages: 300 }))).toBe(
      'Importing file 3 of 12: page 37 of 300…',
    );
  });

  it('fills its bar with a long file’s pages, not the upload that already ended', () => {
    expect(barValue(importing(1, { file: 1, page: 75, pages: 300 }))).toBe(0.25);
    expect(barValue(importing(1, null))).toBe(1);
    expect(barValue(importing(5, { file: 2, page: 1, pages: 1 }))).toBe(1);
  });
});
