import { useState } from 'react';
import type { OcrReview, Page } from '../../../../shared/api/contract';
import { useCall } from '../../api';

/** The review state of one page, shared by the image overlay and the review panel. */
export interface OcrReviewState {
  review: OcrReview | undefined;
  selected: number | null;
  select: (index: number | null) => void;
  showAll: boolean;
  setShowAll: (showAll: boolean) => void;
  /** After a correction: the new words, and the page (text, tags) to load again. */
  corrected: (review: OcrReview) => void;
}

export function useOcrReview(page: Page | undefined, onPageChanged: () => void): OcrReviewState {
  const ready = page !== undefined && page.ocrStatus === 'done';
  const loaded = useCall('pages.ocrReview', ready ? { pageId: page.id } : null);
  const [fresh, setFresh] = useState<OcrReview | null>(null);
  const [selected, select] = useState<number | null>(null);
  const [showAll, setShowAll] = useState(false);
  const review = fresh && fresh.pageId === page?.id ? fresh : loaded.data;
  return {
    review: ready ? review : undefined,
    selected,
    select,
    showAll,
    setShowAll,
    corrected: (next) => {
      setFresh(next);
      onPageChanged();
    },
  };
}
