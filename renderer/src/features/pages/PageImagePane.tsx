import { api } from '../../api';
import { SHORTCUTS, withShortcut } from '../../app/keyboard';
import { useT } from '../../i18n';
import { Icon } from '../../ui/icons';

export type Zoom = 'fit' | 'actual';

/** The scanned image, fitted to the pane or at 100 % (scrollable). */
export function PageImagePane({
  pageId,
  label,
  zoom,
  onZoom,
}: {
  pageId: number;
  label: string;
  zoom: Zoom;
  onZoom: (zoom: Zoom) => void;
}) {
  const t = useT();
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
        <span className="muted small">{SHORTCUTS.zoom}</span>
      </div>
      <div
        className={`image-pane__viewport image-pane__viewport--${zoom}`}
        tabIndex={0}
        data-testid="page-image-viewport"
      >
        <img
          key={pageId}
          className="image-pane__image"
          src={api.pageImageUrl(pageId, 'full')}
          alt={label}
          data-testid="page-image"
          onDoubleClick={() => onZoom(zoom === 'fit' ? 'actual' : 'fit')}
        />
      </div>
    </section>
  );
}
