import { useState } from 'react';
import type { Tag } from '../../../../shared/api/contract';
import type { AppError } from '../../../../shared/api/errors';
import { api, toAppError } from '../../api';
import { useErrorText, useT } from '../../i18n';
import { Badge } from '../../ui/Badge';
import { Icon } from '../../ui/icons';
import { TAG_TONE } from '../../ui/statusTone';

/** One proposed tag: Confirm, Reject, or correct the value (saved as confirmed). */
export function TagRow({ tag, onUpdated }: { tag: Tag; onUpdated: (tag: Tag) => void }) {
  const t = useT();
  const errorText = useErrorText();
  const [editing, setEditing] = useState(false);
  const [draft, setDraft] = useState(tag.value);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<AppError | null>(null);

  async function update(status: 'confirmed' | 'rejected', value?: string) {
    setBusy(true);
    setError(null);
    try {
      const next = await api.call('tags.update', { id: tag.id, status, ...(value !== undefined ? { value } : {}) });
      onUpdated(next);
      setEditing(false);
    } catch (e) {
      setError(toAppError(e));
    } finally {
      setBusy(false);
    }
  }

  return (
    <li
      className={`tag tag--${tag.status}`}
      data-testid="tag-item"
      data-tag-kind={tag.kind}
      data-tag-status={tag.status}
    >
      <div className="tag__head">
        <span className="tag__kind">{t(`tagKind.${tag.kind}`)}</span>
        <Badge tone={TAG_TONE[tag.status]} testId="tag-status">
          {t(`tagStatus.${tag.status}`)}
        </Badge>
      </div>
      {editing ? (
        <form
          className="tag__edit"
          onSubmit={(e) => {
            e.preventDefault();
            void update('confirmed', draft.trim());
          }}
        >
          <input
            className="input input--mono input--small"
            aria-label={t('tag.valueLabel')}
            value={draft}
            maxLength={64}
            autoFocus
            data-testid="tag-value-input"
            onChange={(e) => setDraft(e.target.value)}
            onKeyDown={(e) => {
              if (e.key === 'Escape') {
                e.preventDefault();
                e.stopPropagation();
                setEditing(false);
              }
            }}
          />
          <button
            type="submit"
            className="btn btn--primary btn--small"
            disabled={busy || draft.trim() === ''}
            data-testid="tag-save"
          >
            {t('tag.save')}
          </button>
          <button type="button" className="btn btn--small" onClick={() => setEditing(false)}>
            {t('common.cancel')}
          </button>
        </form>
      ) : (
        <div className="tag__body">
          <span className="tag__value mono" data-testid="tag-value">
            {tag.value}
          </span>
          <span className="tag__actions">
            <button
              type="button"
              className="btn btn--small btn--success"
              disabled={busy || tag.status === 'confirmed'}
              onClick={() => void update('confirmed')}
              data-testid="tag-confirm"
            >
              <Icon name="check" size={14} />
              {t('tag.confirm')}
            </button>
            <button
              type="button"
              className="btn btn--small"
              disabled={busy || tag.status === 'rejected'}
              onClick={() => void update('rejected')}
              data-testid="tag-reject"
            >
              <Icon name="close" size={14} />
              {t('tag.reject')}
            </button>
            <button
              type="button"
              className="btn btn--small btn--ghost"
              disabled={busy}
              onClick={() => {
                setDraft(tag.value);
                setEditing(true);
              }}
              data-testid="tag-correct"
            >
              <Icon name="edit" size={14} />
              {t('tag.correct')}
            </button>
          </span>
        </div>
      )}
      {error ? <div className="field__error">{errorText(error)}</div> : null}
    </li>
  );
}
