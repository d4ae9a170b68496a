import { useT } from '../../i18n';
import { snippetGeometry, type WordBox } from './word-snippet';

/** The page image the review reads from: the same URL as the image pane, so the browser has it. */
export interface ReviewImage {
  src: string;
  width: number;
  height: number;
}

/**
 * The word being corrected, cut from the scan and enlarged next to its editor: the clerk reads the
 * paper's letters against the draft without zooming the page or finding the word on it.
 */
export function WordSnippet({ image, box, text }: { image: ReviewImage; box: WordBox; text: string }) {
  const t = useT();
  const geometry = snippetGeometry(box, image, 56, 320);
  if (!geometry) return null;
  return (
    <div
      className="ocr-review__snippet"
      role="img"
      aria-label={t('review.snippet', { word: text })}
      data-testid="ocr-review-snippet"
      style={{
        width: geometry.width,
        height: geometry.height,
        backgroundImage: `url("${image.src}")`,
        backgroundSize: `${geometry.backgroundWidth}px ${geometry.backgroundHeight}px`,
        backgroundPosition: `${geometry.offsetX}px ${geometry.offsetY}px`,
      }}
    />
  );
}
