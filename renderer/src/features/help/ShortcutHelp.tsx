import { useEffect, useRef } from 'react';
import { SHORTCUTS } from '../../app/keyboard';
import { useT, type MessageKey } from '../../i18n';
import { Kbd } from '../../ui/Kbd';

const ROWS: { keys: string[]; label: MessageKey }[] = [
  { keys: [SHORTCUTS.newDossier, SHORTCUTS.newDossierAlt], label: 'help.newDossier' },
  { keys: [SHORTCUTS.addPages], label: 'help.addPages' },
  { keys: [SHORTCUTS.search, SHORTCUTS.searchAlt], label: 'help.search' },
  { keys: [SHORTCUTS.back], label: 'help.back' },
  { keys: [SHORTCUTS.prevPage, SHORTCUTS.nextPage], label: 'help.pages' },
  { keys: [SHORTCUTS.nextToReview], label: 'help.nextToReview' },
  { keys: ['F', '1'], label: 'help.zoom' },
  { keys: ['Enter', 'Esc'], label: 'help.review' },
  { keys: [SHORTCUTS.help], label: 'help.help' },
];

/** The keyboard shortcut panel (a modal dialog: Esc closes it). */
export function ShortcutHelp({
  open,
  onClose,
  browserMode,
}: {
  open: boolean;
  onClose: () => void;
  browserMode: boolean;
}) {
  const t = useT();
  const dialog = useRef<HTMLDialogElement>(null);

  useEffect(() => {
    const el = dialog.current;
    if (!el) return;
    if (open && !el.open) el.showModal();
    if (!open && el.open) el.close();
  }, [open]);

  return (
    <dialog
      ref={dialog}
      className="dialog"
      aria-labelledby="shortcut-help-title"
      data-testid="shortcut-help"
      onClose={onClose}
      onClick={(e) => {
        if (e.target === e.currentTarget) onClose();
      }}
    >
      <div className="dialog__body">
        <h2 id="shortcut-help-title" className="dialog__title">
          {t('help.title')}
        </h2>
        <table className="shortcut-table">
          <tbody>
            {ROWS.map((row) => (
              <tr key={row.label}>
                <td className="shortcut-table__keys">
                  {row.keys.map((k, i) => (
                    <span key={k}>
                      {i > 0 ? <span className="muted"> / </span> : null}
                      <Kbd keys={k} />
                    </span>
                  ))}
                </td>
                <td>{t(row.label)}</td>
              </tr>
            ))}
          </tbody>
        </table>
        {browserMode ? <p className="muted small">{t('help.browserNote')}</p> : null}
        <div className="dialog__actions">
          <button type="button" className="btn" onClick={onClose} autoFocus>
            {t('common.close')}
          </button>
        </div>
      </div>
    </dialog>
  );
}
