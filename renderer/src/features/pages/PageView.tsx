import { useEffect, useState } from 'react';
import type { PageTurn } from '../../../../shared/api/contract';
import type { AppError } from '../../../../shared/api/errors';
import { api, toAppError, useCall, useDebouncedCallback } from '../../api';
import { isModalOpen, isTypingTarget, useWindowKeydown } from '../../app/keyboard';
import { navigate, routeHref } from '../../app/router';
import { useErrorText, useT } from '../../i18n';
import { Icon } from '../../ui/icons';
import { Notice } from '../../ui/Notice';
import { useMayCall } from '../auth/session';
import { ExportActions } from '../exports/ExportActions';
import { useOcrLive } from '../ocr/useOcrLive';
import { ToReviewLink } from '../ocr/ToReviewLink';
import { useOcrReview } from '../ocr/useOcrReview';
import { PageImagePane, type Zoom } from './PageImagePane';
import { PageTextPane } from './PageTextPane';
import { withVersion } from './PageThumb';
import { usePageSequence } from './usePageSequence';
import './page-editing.css';

/** One page: the scan and its recognized text side by side; ← / → move through the dossier. */
export function PageView({
  id,
  query,
  onDossier,
}: {
  id: number;
  /** The search that led here, marked in the text. */
  query?: string;
  onDossier?: (dossierId: string | null) => void;
}) {
  const t = useT();
  const errorText = useErrorText();
  const page = useCall('pages.get', { id });
  const [zoom, setZoom] = useState<Zoom>('fit');
  const dossierId = page.data?.dossierId;
  const sequence = usePageSequence(id, dossierId);
  useEffect(() => {
    if (dossierId !== undefined) onDossier?.(dossierId);
  }, [dossierId, onDossier]);
  const refresh = useDebouncedCallback(page.reload, 150);
  const mayRotate = useMayCall('pages.rotate');
  const [rotating, setRotating] = useState(false);
  const [rotateError, setRotateError] = useState<AppError | null>(null);
  const rotate = async (turn: PageTurn) => {
    if (rotating) return;
    setRotating(true);
    setRotateError(null);
    try {
      await api.call('pages.rotate', { pageId: id, turn });
    } catch (e) {
      setRotateError(toAppError(e));
    } finally {
      setRotating(false);
      page.reload();
    }
  };
  const review = useOcrReview(page.data, refresh);
  const live = useOcrLive(
    (e) => e.pageId === id,
    (e) => {
      if (e.status === 'done' || e.status === 'failed') refresh();
    },
  );

  useWindowKeydown((e) => {
    if (isTypingTarget(e.target) || isModalOpen() || e.ctrlKey || e.metaKey || e.altKey) return;
    if (e.key === 'ArrowLeft' && sequence.prevId !== undefined) {
      e.preventDefault();
      navigate({ name: 'page', id: sequence.prevId, q: query });
    } else if (e.key === 'ArrowRight' && sequence.nextId !== undefined) {
      e.preventDefault();
      navigate({ name: 'page', id: sequence.nextId, q: query });
    } else if (mayRotate && (e.key === 'r' || e.key === 'R')) {
      e.preventDefault();
      void rotate(e.shiftKey ? 270 : 90);
    } else if (e.key === 'f' || e.key === 'F') {
      setZoom('fit');
    } else if (e.key === '1') {
      setZoom('actual');
    }
  });

  const label = t('page.imageAlt', { n: sequence.position ?? page.data?.pageNo ?? '' });

  return (
    <div className="page-view" data-testid="page-view" data-page-id={id}>
      <div className="page-view__bar">
        {dossierId ? (
          <a
            className="btn btn--small btn--ghost"
            href={routeHref({ name: 'dossier', id: dossierId })}
            title={`${t('page.backToDossier')} (Esc)`}
            data-testid="back-to-dossier"
          >
            <Icon name="back" size={14} />
            {t('page.backToDossier')}
          </a>
        ) : null}
        <span className="page-view__position" data-testid="page-position">
          {sequence.position !== undefined && sequence.total !== undefined
            ? t('page.position', { n: sequence.position, total: sequence.total })
            : page.data
              ? t('page.number', { n: page.data.pageNo })
              : ''}
        </span>
        {page.data ? <ExportActions target={{ kind: 'document', documentId: page.data.documentId }} /> : null}
        {mayRotate && page.data ? (
          <span className="page-view__rotate" role="group">
            <button
              type="button"
              className="btn btn--small"
              disabled={rotating}
              onClick={() => void rotate(270)}
              title={`${t('pageEdit.rotateLeft')} (Shift+R)`}
              data-testid="page-view-rotate-left"
            >
              <Icon name="rotateLeft" size={15} />
              {t('pageEdit.rotateLeft')}
            </button>
            <button
              type="button"
              className="btn btn--small"
              disabled={rotating}
              onClick={() => void rotate(90)}
              title={`${t('pageEdit.rotateRight')} (R)`}
              data-testid="page-view-rotate-right"
            >
              <Icon name="rotateRight" size={15} />
              {t('pageEdit.rotateRight')}
            </button>
          </span>
        ) : null}
        <span className="page-view__nav">
          <ToReviewLink toReview={sequence.toReview} />
          <button
            type="button"
            className="btn btn--small"
            disabled={sequence.prevId === undefined}
            onClick={() => sequence.prevId !== undefined && navigate({ name: 'page', id: sequence.prevId, q: query })}
            title={`${t('page.prev')} (←)`}
            data-testid="prev-page"
          >
            <Icon name="left" size={14} />
            {t('page.prev')}
          </button>
          <button
            type="button"
            className="btn btn--small"
            disabled={sequence.nextId === undefined}
            onClick={() => sequence.nextId !== undefined && navigate({ name: 'page', id: sequence.nextId, q: query })}
            title={`${t('page.next')} (→)`}
            data-testid="next-page"
          >
            {t('page.next')}
            <Icon name="right" size={14} />
          </button>
        </span>
      </div>
      {rotateError ? (
        <div className="content-pad">
          <Notice tone="error" testId="page-rotate-error">
            {t('pageEdit.errorTitle')} {errorText(rotateError)}
          </Notice>
        </div>
      ) : null}
      {page.error && !page.data ? (
        <div className="content-pad">
          <Notice tone="error" testId="page-error">
            {t('page.loadError')} {errorText(page.error)}
          </Notice>
        </div>
      ) : !page.data ? (
        <p className="muted content-pad">{t('common.loading')}</p>
      ) : (
        <div className="page-view__split">
          <PageImagePane
            pageId={id}
            imageSrc={fullImage(id, page.data.rotation)}
            label={label}
            zoom={zoom}
            onZoom={setZoom}
            review={
              review.review
                ? {
                    pageWidth: page.data.width,
                    pageHeight: page.data.height,
                    words: review.review.words,
                    threshold: review.review.threshold,
                    showAll: review.showAll,
                    selected: review.selected,
                    onSelect: review.select,
                  }
                : undefined
            }
          />
          <PageTextPane
            page={page.data}
            live={live.get(id)}
            query={query}
            review={review}
            toReview={sequence.toReview}
            imageSrc={fullImage(id, page.data.rotation)}
            onChanged={refresh}
          />
        </div>
      )}
    </div>
  );
}

/**
 * The page's full image as both panes show it (the image pane and the review's word snippets):
 * one URL, so the browser fetches it once, keyed past its cache by the page's rotation.
 */
function fullImage(pageId: number, rotation: number): string {
  return withVersion(api.pageImageUrl(pageId, 'full'), `r${String(rotation)}`);
}
