import type { PageSummary } from '../../../../shared/api/contract';
import { api } from '../../api';
import { routeHref } from '../../app/router';
import { useT } from '../../i18n';
import { Badge } from '../../ui/Badge';
import { ProgressBar } from '../../ui/ProgressBar';
import type { OcrLive } from '../ocr/useOcrLive';
import { OcrStatusBadge } from './OcrStatusBadge';

/** One scanned page in the dossier grid: thumbnail, number, OCR state, duplicate mark. */
export function PageThumb({
  page,
  index,
  sourceName,
  live,
  duplicate,
}: {
  page: PageSummary;
  /** 1-based position in the dossier. */
  index: number;
  sourceName: string;
  live: OcrLive | undefined;
  duplicate: boolean;
}) {
  const t = useT();
  const status = live?.status ?? page.ocrStatus;
  return (
    <li className="thumb" data-testid="page-thumb" data-page-id={page.id} data-ocr-status={status}>
      <a
        className="thumb__link"
        href={routeHref({ name: 'page', id: page.id })}
        aria-label={t('page.open', { n: index })}
      >
        <span className="thumb__image-box">
          <img
            className="thumb__image"
            src={api.pageImageUrl(page.id, 'thumb')}
            alt={t('page.imageAlt', { n: index })}
            loading="lazy"
            decoding="async"
          />
          {duplicate ? (
            <span className="thumb__flag">
              <Badge tone="warning" testId="page-duplicate">
                {t('page.duplicate')}
              </Badge>
            </span>
          ) : null}
        </span>
        <span className="thumb__caption">
          <span className="thumb__number">{t('page.number', { n: index })}</span>
          <OcrStatusBadge status={status} progress={live?.progress} />
        </span>
        <span className="thumb__source truncate" title={sourceName}>
          {sourceName}
        </span>
        {status === 'running' || status === 'queued' ? (
          <ProgressBar value={status === 'running' ? (live?.progress ?? 0) : 0} label={t(`ocrStatus.${status}`)} />
        ) : null}
      </a>
    </li>
  );
}
