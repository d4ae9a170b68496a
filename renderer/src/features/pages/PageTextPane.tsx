import { useEffect, useMemo, useRef } from 'react';
import type { Page } from '../../../../shared/api/contract';
import { useFormatters, useT } from '../../i18n';
import { Badge } from '../../ui/Badge';
import { Notice } from '../../ui/Notice';
import { OcrQueueActions } from '../ocr/OcrQueueActions';
import { OcrReviewPanel } from '../ocr/OcrReviewPanel';
import type { PagesToReview } from '../ocr/review-flag';
import type { OcrLive } from '../ocr/useOcrLive';
import type { OcrReviewState } from '../ocr/useOcrReview';
import { HighlightedText } from '../search/HighlightedText';
import { queryHighlights } from '../search/highlight';
import { DocumentTypePanel } from './DocumentTypePanel';
import { IdCardPanel } from './IdCardPanel';
import { OcrStatusBadge } from './OcrStatusBadge';
import { TagList } from './TagList';

/** Confidence arrives as 0..1 or as tesseract's 0..100; shown as a percentage either way. */
export function confidenceFraction(confidence: number): number {
  return confidence > 1 ? confidence / 100 : confidence;
}

/**
 * The recognized text (with the words of the search that led here marked), its OCR state and
 * confidence, and the proposed tags.
 */
export function PageTextPane({
  page,
  live,
  query,
  review,
  toReview,
  imageSrc,
  onChanged,
}: {
  page: Page;
  /** The image pane's URL (see PageImagePane): the review's word snippets read the same image. */
  imageSrc: string;
  live: OcrLive | undefined;
  query?: string;
  review?: OcrReviewState;
  /** The dossier's other pages to check: the review points to the next once this one is done. */
  toReview?: PagesToReview;
  onChanged?: () => void;
}) {
  const t = useT();
  const textBox = useRef<HTMLDivElement>(null);
  // Tesseract separates blocks with blank lines; one line break is enough on a dense screen.
  const text = useMemo(() => page.text.replace(/\n[ \t]*(?:\n[ \t]*)+/g, '\n').trim(), [page.text]);
  const marks = useMemo(() => (query ? queryHighlights(text, query) : []), [text, query]);
  useEffect(() => {
    textBox.current?.querySelector('mark')?.scrollIntoView({ block: 'center' });
  }, [marks]);
  const { percent } = useFormatters();
  const status = live?.status ?? page.ocrStatus;
  return (
    <section className="text-pane" aria-label={t('page.text')}>
      <div className="text-pane__status">
        {page.ocrCancelled && live === undefined ? (
          <Badge tone="neutral" testId="ocr-status">
            {t('ocr.pageCancelled')}
          </Badge>
        ) : (
          <OcrStatusBadge status={status} progress={live?.progress} />
        )}
        {page.confidence !== null ? (
          <span className="confidence" data-testid="page-confidence">
            {t('page.confidence')}: <strong>{percent(confidenceFraction(page.confidence))}</strong>
          </span>
        ) : null}
      </div>
      {page.needsReview ? (
        <Notice tone="warning" testId="page-needs-review">
          {t('ocr.needsReview')}
        </Notice>
      ) : null}
      {page.ocrCancelled ? (
        <Notice
          tone="info"
          testId="page-ocr-cancelled"
          action={<OcrQueueActions scope={{ pageIds: [page.id] }} queued={0} mayHaveCancelled onDone={onChanged} />}
        >
          {t('ocr.pageCancelled')}
        </Notice>
      ) : page.ocrError ? (
        <Notice tone="error" testId="page-ocr-error">
          {t('page.ocrError')}: {page.ocrError}
        </Notice>
      ) : null}
      <h2 className="pane-heading">{t('page.text')}</h2>
      {text === '' ? (
        <p className="muted" data-testid="page-text-empty">
          {t('page.noText')}
        </p>
      ) : (
        <div className="page-text" data-testid="page-text" tabIndex={0} ref={textBox}>
          <HighlightedText text={text} ranges={marks} />
        </div>
      )}
      {review ? (
        <OcrReviewPanel
          key={`review-${page.id}`}
          state={review}
          toReview={toReview}
          image={{
            src: imageSrc,
            width: page.width,
            height: page.height,
          }}
        />
      ) : null}
      <TagList key={page.id} tags={page.tags} />
      <IdCardPanel key={`id-cards-${page.id}`} page={page} />
      <DocumentTypePanel
        key={`doc-type-${page.id}-${page.documentType.suggested ?? ''}-${page.documentType.confirmed ?? ''}`}
        page={page}
      />
    </section>
  );
}
