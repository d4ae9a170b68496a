import { useRef } from 'react';
import { withShortcut } from '../../app/keyboard';
import { useT } from '../../i18n';
import { Icon } from '../../ui/icons';
import { Kbd } from '../../ui/Kbd';
import { WordOverlay, type WordOverlayProps } from '../ocr/WordOverlay';

export type Zoom = 'fit' | 'actual';

/** The scanned image, fitted to the pane or at 100 % (scrollable). */
export function PageImagePane({
  pageId,
  label,
  zoom,
  onZoom,
  review,
  imageSrc,
}: {
  pageId: number;
  /** The full page image's URL, keyed past the browser's cache when the image changes (a rotation). */
  imageSrc: string;
  label: string;
  zoom: Zoom;
  onZoom: (zoom: Zoom) => void;
  /** OCR review: word boxes drawn over the image. */
  review?: WordOverlayProps;
}) {
  const t = useT();
  const imageRef = useRef<HTMLImageElement>(null);
  return (
    <section className="image-pane" aria-label={label}>
      <div className="image-pane__tools" role="group">
        <button
          type="button"
          className={`btn btn--small${zoom === 'fit' ? ' btn--pressed' : ''}`}
          aria-pressed={zoom === 'fit'}
          onClick={() => onZoom('fit')}
          title={withShortcut(t('page.zoomFit'), 'F')}
          data-testid="zoom-fit"
        >
          <Icon name="fit" size={14} />
          {t('page.zoomFit')}
        </button>
        <button
          type="button"
          className={`btn btn--small${zoom === 'actual' ? ' btn--pressed' : ''}`}
          aria-pressed={zoom === 'actual'}
          onClick={() => onZoom('actual')}
          title={withShortcut(t('page.zoom100'), '1')}
          data-testid="zoom-100"
        >
          {t('page.zoom100')}
        </button>
        {/* The two keys, as keycaps: "F / 1" in plain text read as a page count. */}
        <span className="muted small" aria-hidden="true">
          <Kbd keys="F" /> <Kbd keys="1" />
        </span>
      </div>
      <div
        className={`image-pane__viewport image-pane__viewport--${zoom}${review ? ' image-pane__viewport--review' : ''}`}
        tabIndex={0}
        data-testid="page-image-viewport"
      >
        <img
          key={pageId}
          ref={imageRef}
          className="image-pane__image"
          src={imageSrc}
          alt={label}
          data-testid="page-image"
          onDoubleClick={() => onZoom(zoom === 'fit' ? 'actual' : 'fit')}
        />
        {review ? <WordOverlay key={`overlay-${pageId}`} imageRef={imageRef} {...review} /> : null}
      </div>
    </section>
  );
}
