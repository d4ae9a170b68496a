import { useErrorText, useT } from '../../i18n';
import { Icon } from '../../ui/icons';
import type { ImportProblem } from './useImportFiles';

/** Files that were refused (with the backend's reason) or already stored; each can be dismissed. */
export function ImportProblemList({
  problems,
  onDismiss,
  onDismissAll,
}: {
  problems: readonly ImportProblem[];
  onDismiss: (key: string) => void;
  onDismissAll: () => void;
}) {
  const t = useT();
  const errorText = useErrorText();
  if (problems.length === 0) return null;
  const hasErrors = problems.some((p) => p.kind === 'error');
  return (
    <section className={`problems${hasErrors ? ' problems--error' : ''}`} data-testid="import-errors" role="alert">
      <header className="problems__header">
        <Icon name="alert" />
        <span className="problems__title">{t('import.problemsTitle', { n: problems.length })}</span>
        <button
          type="button"
          className="btn btn--ghost btn--small"
          onClick={onDismissAll}
          data-testid="dismiss-import-errors"
        >
          {t('import.dismiss')}
        </button>
      </header>
      <ul className="problems__list">
        {problems.map((p) => (
          <li
            key={p.key}
            className={`problems__item problems__item--${p.kind}`}
            data-testid="import-error-item"
            data-kind={p.kind}
          >
            <span className="problems__name mono" title={p.name}>
              {p.name}
            </span>
            <span className="problems__message">{errorText(p)}</span>
            <button
              type="button"
              className="icon-btn"
              aria-label={`${t('import.dismissOne')}: ${p.name}`}
              title={t('import.dismissOne')}
              onClick={() => onDismiss(p.key)}
            >
              <Icon name="close" size={14} />
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}
