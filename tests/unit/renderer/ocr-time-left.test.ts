import { describe, expect, it } from 'vitest';
import { timeLeftText } from '../../../renderer/src/features/ocr/time-left';
import { format } from '../../../renderer/src/i18n/i18n';
import { en, vi, type MessageKey } from '../../../renderer/src/i18n/messages';

describe('the OCR queue’s time left in the top bar', () => {
  it('reads as a clerk says it, in both languages, minutes rounded up', () => {
    const inLang =
      (dict: Record<MessageKey, string>) =>
      (key: MessageKey, params?: Record<string, string | number>): string =>
        format(dict[key], params);
    const [tVi, tEn] = [inLang(vi), inLang(en)];
    expect(timeLeftText(tVi, 45)).toBe('dưới 1 phút');
    expect(timeLeftText(tVi, 61)).toBe('khoảng 2 phút');
    expect(timeLeftText(tVi, 65 * 60)).toBe('khoảng 1 giờ 5 phút');
    expect(timeLeftText(tEn, 45)).toBe('under a minute');
    expect(timeLeftText(tEn, 6 * 60)).toBe('about 6 min');
    expect(format(en['ocrQueue.busyLeft'], { n: 1, left: timeLeftText(tEn, 6 * 60) })).toBe(
      'OCR: 1 page · about 6 min left',
    );
    expect(format(vi['ocrQueue.busyLeft'], { n: 140, left: timeLeftText(tVi, 6 * 60) })).toBe(
      'OCR: 140 trang · còn khoảng 6 phút',
    );
  });
});
