import type { Translate } from '../../i18n/i18n';

/**
 * The OCR queue's time left as a clerk reads it: "dưới 1 phút", "khoảng 6 phút", "khoảng 1 giờ 5
 * phút". Minutes are rounded up: a queue said to need 2 minutes should not still run in the third.
 */
export function timeLeftText(t: Translate, seconds: number): string {
  if (seconds < 60) return t('ocrQueue.leftUnderMinute');
  const minutes = Math.ceil(seconds / 60);
  if (minutes < 60) return t('ocrQueue.leftMinutes', { m: minutes });
  return t('ocrQueue.leftHours', { h: Math.floor(minutes / 60), m: minutes % 60 });
}
