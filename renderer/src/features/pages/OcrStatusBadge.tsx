import type { OcrStatus } from '../../../../shared/api/contract';
import { useFormatters, useT } from '../../i18n';
import { Badge } from '../../ui/Badge';
import { OCR_TONE } from '../../ui/statusTone';
import { flaggedForReview } from '../ocr/review-flag';
import { useReviewThreshold } from '../ocr/useReviewThreshold';

/**
 * A page's OCR state. A recognized page whose confidence is under the review threshold says so,
 * in the warning tone, so the clerk sees in the grid which pages to check.
 */
export function OcrStatusBadge({
  status,
  progress,
  confidence,
}: {
  status: OcrStatus;
  progress?: number;
  /**
   * The page's mean word confidence (0-100), when recognized: flags it for review. Null on a page
   * done without OCR for want of text (blank); left out where the caller does not know it.
   */
  confidence?: number | null;
}) {
  const t = useT();
  const { percent } = useFormatters();
  const threshold = useReviewThreshold();
  if (flaggedForReview(status, confidence, threshold)) {
    return (
      <Badge tone="warning" testId="ocr-status" title={t('ocr.needsReview')}>
        <span data-testid="ocr-needs-review">{t('ocr.reviewBadge')}</span>
      </Badge>
    );
  }
  if (status === 'done' && confidence === null) {
    // Done without reading: a blank page (nothing for OCR), not a page whose text was read.
    return (
      <Badge tone="neutral" testId="ocr-status">
        {t('ocrStatus.noText')}
      </Badge>
    );
  }
  const text = t(`ocrStatus.${status}`);
  return (
    <Badge tone={OCR_TONE[status]} testId="ocr-status">
      {status === 'running' && progress !== undefined && progress > 0 ? `${text} ${percent(progress)}` : text}
    </Badge>
  );
}
