import { useT } from '../../i18n';
import { Kbd } from '../../ui/Kbd';
import type { PendingUndo } from './usePageEditing';

/** "Đã xóa trang 3. [Hoàn tác] Ctrl+Z", for a few seconds after a deletion. */
export function UndoToast({ undo, onUndo }: { undo: PendingUndo; onUndo: () => void }) {
  const t = useT();
  return (
    <div className="undo-toast" role="status" data-testid="undo-toast">
      <span>{t('pageEdit.deleted', { n: undo.position })}</span>
      <button type="button" className="btn btn--small" onClick={onUndo} data-testid="undo-delete">
        {t('pageEdit.undo')} <Kbd keys="Ctrl+Z" />
      </button>
    </div>
  );
}
