import { useState } from 'react';
import { useApiEvent, useCall, useDebouncedCallback } from '../../api';
import { pagesToReview, type PagesToReview } from '../ocr/review-flag';
import { useReviewThreshold } from '../ocr/useReviewThreshold';

export interface PageSequence {
  /** 1-based position of the page in its dossier, if known. */
  position: number | undefined;
  total: number | undefined;
  prevId: number | undefined;
  nextId: number | undefined;
  /** The dossier's other pages flagged for review, and the next one to open. */
  toReview: PagesToReview;
}

const NONE_TO_REVIEW: PagesToReview = { nextId: undefined, remaining: 0 };

/** Where a page sits among its dossier's pages, for ← / →, "Trang 2/5" and the next page to check. */
export function usePageSequence(pageId: number, dossierId: string | null | undefined): PageSequence {
  // The page just moved to is not loaded yet (its dossier unknown): the dossier of the page before
  // stands in, so ←, → and N pressed quickly in a row all count. A page of another dossier is not
  // found in it, and offers nothing until its own dossier is known.
  const [shownDossier, setShownDossier] = useState(dossierId);
  if (dossierId !== undefined && dossierId !== shownDossier) setShownDossier(dossierId);
  const detail = useCall('dossiers.get', shownDossier ? { id: shownDossier } : null);
  const threshold = useReviewThreshold();
  const pages = detail.data?.documents.flatMap((d) => d.pages) ?? [];
  // The flags change as the clerk checks pages (a saved correction says so: ocr.reviewed) and as
  // OCR finishes others: the dossier is fetched again, once for a burst of them.
  const reloadSoon = useDebouncedCallback(detail.reload, 500);
  useApiEvent('ocr.reviewed', (event) => {
    if (event.pageId === null || pages.some((p) => p.id === event.pageId)) reloadSoon();
  });
  useApiEvent('ocr.progress', (event) => {
    if (shownDossier && event.dossierId === shownDossier && (event.status === 'done' || event.status === 'failed')) {
      reloadSoon();
    }
  });

  const i = pages.findIndex((p) => p.id === pageId);
  if (i < 0) {
    return { position: undefined, total: undefined, prevId: undefined, nextId: undefined, toReview: NONE_TO_REVIEW };
  }
  return {
    position: i + 1,
    total: pages.length,
    prevId: pages[i - 1]?.id,
    nextId: pages[i + 1]?.id,
    toReview: pagesToReview(pages, pageId, threshold),
  };
}
