import { useEffect, useState, type RefObject } from 'react';
import type { OcrReviewWord } from '../../../../shared/api/contract';

export interface WordOverlayProps {
  /** The page image's own size in pixels: word boxes are in these pixels. */
  pageWidth: number;
  pageHeight: number;
  words: readonly OcrReviewWord[];
  threshold: number;
  /** Mark every word, not only those under the threshold. */
  showAll: boolean;
  selected: number | null;
  onSelect: (index: number) => void;
}

interface Placement {
  left: number;
  top: number;
  width: number;
  height: number;
}

/**
 * Word boxes drawn over the displayed page image. The SVG's viewBox is the page's pixel size, so
 * the boxes scale with the image at any zoom; its position follows the image's layout box.
 */
export function WordOverlay({
  imageRef,
  pageWidth,
  pageHeight,
  words,
  threshold,
  showAll,
  selected,
  onSelect,
}: WordOverlayProps & { imageRef: RefObject<HTMLImageElement | null> }) {
  const [place, setPlace] = useState<Placement | null>(null);
  useEffect(() => {
    const image = imageRef.current;
    if (!image) return;
    const measure = (): void => {
      if (image.offsetWidth === 0) return;
      setPlace({
        left: image.offsetLeft,
        top: image.offsetTop,
        width: image.offsetWidth,
        height: image.offsetHeight,
      });
    };
    measure();
    image.addEventListener('load', measure);
    const observer = new ResizeObserver(measure);
    observer.observe(image);
    return () => {
      image.removeEventListener('load', measure);
      observer.disconnect();
    };
  }, [imageRef]);
  if (!place || pageWidth <= 0 || pageHeight <= 0) return null;
  const shown = words.filter((word) => showAll || word.confidence < threshold || word.index === selected);
  return (
    <svg
      className="ocr-overlay"
      style={{ left: place.left, top: place.top, width: place.width, height: place.height }}
      viewBox={`0 0 ${pageWidth} ${pageHeight}`}
      preserveAspectRatio="none"
      data-testid="ocr-overlay"
    >
      {shown.map((word) => {
        const [x0, y0, x1, y1] = word.box;
        const state =
          word.index === selected
            ? 'ocr-overlay__word--selected'
            : word.confidence < threshold
              ? 'ocr-overlay__word--low'
              : 'ocr-overlay__word--ok';
        return (
          <rect
            key={word.index}
            className={state}
            x={x0}
            y={y0}
            width={Math.max(1, x1 - x0)}
            height={Math.max(1, y1 - y0)}
            onClick={() => onSelect(word.index)}
            ref={word.index === selected ? showOnScreen : undefined}
            data-testid="ocr-overlay-word"
            data-word-index={word.index}
          >
            <title>{`${word.text} (${Math.round(word.confidence)}%)`}</title>
          </rect>
        );
      })}
    </svg>
  );
}

/**
 * Scrolls a zoomed page image just enough to show the selected word: picked in the review list, or
 * reached with Enter after a correction, it may lie outside the part of the page on screen.
 */
function showOnScreen(box: SVGRectElement | null): void {
  box?.scrollIntoView({ block: 'nearest', inline: 'nearest' });
}
