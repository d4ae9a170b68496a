import { useState } from 'react';
import type { StagedBatch, StagedGroup } from '../../../../shared/api/contract';
import type { AppError } from '../../../../shared/api/errors';
import { api, toAppError, useApiEvent, useCall, useDebouncedCallback } from '../../api';
import { hasCommandKey, isModalOpen, isTypingTarget, useWindowKeydown } from '../../app/keyboard';
import { useErrorText, useT } from '../../i18n';
import { Notice } from '../../ui/Notice';
import { useMayCall } from '../auth/session';
import './batch.css';

type GroupInput = { start: number; componentId: string | null };

const asInput = (groups: readonly StagedGroup[]): GroupInput[] =>
  groups.map((g) => ({ start: g.start, componentId: g.componentId }));

/**
 * Scanned stacks split at separator sheets, waiting for the clerk: thumbnails grouped into the
 * proposed documents with their components. Every change is saved at once (a restart keeps it);
 * nothing is stored as documents until "Xác nhận" (Alt+Enter), or the split is dropped and the
 * stack imported as one document.
 */
export function BatchProposals({ dossierId, onDecided }: { dossierId: string; onDecided: () => void }) {
  const mayCall = useMayCall('batches.list');
  const list = useCall('batches.list', mayCall ? { dossierId } : null);
  const reload = useDebouncedCallback(list.reload, 150);
  useApiEvent('batch.changed', (e) => {
    if (e.dossierId === null || e.dossierId === dossierId) reload();
  });
  useApiEvent('dossier.changed', (e) => {
    if (e.dossierId === dossierId) reload();
  });
  const batches = list.data ?? [];
  if (batches.length === 0) return null;
  return (
    <div className="batch-proposals" data-testid="batch-proposals">
      {batches.map((batch, index) => (
        <BatchProposal
          key={batch.id}
          batch={batch}
          first={index === 0}
          onChanged={list.reload}
          onDecided={() => {
            list.reload();
            onDecided();
          }}
        />
      ))}
    </div>
  );
}

function BatchProposal({
  batch,
  first,
  onChanged,
  onDecided,
}: {
  batch: StagedBatch;
  first: boolean;
  onChanged: () => void;
  onDecided: () => void;
}) {
  const t = useT();
  const errorText = useErrorText();
  const [shown, setShown] = useState<StagedBatch>(batch);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<AppError | null>(null);
  // A newer answer from the backend (another window, a reload) replaces what is shown.
  const [seen, setSeen] = useState(batch);
  if (seen !== batch) {
    setSeen(batch);
    setShown(batch);
  }

  async function run(action: () => Promise<void>): Promise<void> {
    if (busy) return;
    setBusy(true);
    setError(null);
    try {
      await action();
    } catch (caught) {
      setError(toAppError(caught));
    } finally {
      setBusy(false);
    }
  }

  const update = (groups: GroupInput[]) =>
    run(async () => {
      setShown(await api.call('batches.update', { batchId: shown.id, groups }));
      onChanged();
    });
  const confirm = () =>
    run(async () => {
      await api.call('batches.confirm', { batchId: shown.id });
      onDecided();
    });
  const reject = () =>
    run(async () => {
      await api.call('batches.reject', { batchId: shown.id });
      onDecided();
    });

  useWindowKeydown((e) => {
    if (first && e.altKey && !hasCommandKey(e) && e.key === 'Enter' && !isModalOpen() && !isTypingTarget(e.target)) {
      e.preventDefault();
      void confirm();
    }
  });

  const groups = asInput(shown.groups);
  const starts = new Set(shown.groups.map((g) => g.start));
  const firstContent = shown.groups[0]?.start;

  return (
    <section className="batch panel" data-testid="batch-proposal" data-batch-id={shown.id} aria-busy={busy}>
      <header className="batch__head">
        <h3 className="panel__title">{t('batch.title')}</h3>
        <p className="muted small">
          {t('batch.summary', { name: shown.sourceName, pages: shown.pageCount, docs: shown.groups.length })}
        </p>
      </header>
      <ol className="batch__groups">
        {shown.groups.map((group, index) => (
          <li key={group.start} className="batch__group" data-testid="batch-group">
            <div className="batch__group-head">
              <strong>{t('batch.document', { n: index + 1 })}</strong>
              {shown.components.length > 0 ? (
                <label className="batch__component">
                  <select
                    className="input input--small"
                    value={group.componentId ?? ''}
                    disabled={busy}
                    data-testid="batch-component"
                    aria-label={`${t('batch.document', { n: index + 1 })}: ${t('batch.component')}`}
                    onChange={(e) =>
                      void update(
                        groups.map((g) =>
                          g.start === group.start ? { ...g, componentId: e.target.value || null } : g,
                        ),
                      )
                    }
                  >
                    <option value="">{t('batch.noComponent')}</option>
                    {shown.components.map((c) => (
                      <option key={c.id} value={c.id}>
                        {c.name}
                      </option>
                    ))}
                  </select>
                </label>
              ) : null}
              {group.cardId ? <span className="badge">{t('batch.identity', { id: group.cardId })}</span> : null}
            </div>
            <ul className="batch__pages">
              {group.positions.map((position) => {
                const page = shown.pages.find((p) => p.position === position);
                if (!page) return null;
                const startsHere = starts.has(position);
                return (
                  <li key={position} className="batch__page" data-testid="batch-page" data-position={position}>
                    <img src={page.thumb} alt={t('batch.pageNo', { n: position })} />
                    <span className="small muted">
                      {t('batch.pageNo', { n: position })}
                      {page.blank ? ` · ${t('batch.blank')}` : ''}
                    </span>
                    {position === firstContent ? null : startsHere ? (
                      <button
                        type="button"
                        className="btn btn--ghost btn--small"
                        disabled={busy}
                        title={t('batch.joinPreviousTitle', { n: position })}
                        onClick={() => void update(groups.filter((g) => g.start !== position))}
                        data-testid="batch-join"
                      >
                        {t('batch.joinPrevious')}
                      </button>
                    ) : (
                      <button
                        type="button"
                        className="btn btn--ghost btn--small"
                        disabled={busy}
                        title={t('batch.splitHereTitle', { n: position })}
                        onClick={() =>
                          void update(
                            [...groups, { start: position, componentId: null }].sort((a, b) => a.start - b.start),
                          )
                        }
                        data-testid="batch-split"
                      >
                        {t('batch.splitHere')}
                      </button>
                    )}
                  </li>
                );
              })}
            </ul>
          </li>
        ))}
      </ol>
      <details className="batch__separators small">
        <summary>
          {t('batch.separatorPage')}: {shown.pages.filter((p) => p.role === 'separator').length}
        </summary>
        <ul className="batch__pages">
          {shown.pages
            .filter((p) => p.role === 'separator')
            .map((p) => (
              <li key={p.position} className="batch__page batch__page--separator" data-testid="batch-separator">
                <img src={p.thumb} alt={t('batch.pageNo', { n: p.position })} />
                <span className="small muted">
                  {t('batch.pageNo', { n: p.position })} ·{' '}
                  {p.componentCode ? t('batch.separatorFor', { code: p.componentCode }) : t('batch.newDocument')}
                </span>
              </li>
            ))}
        </ul>
      </details>
      {error ? (
        <Notice tone="error" testId="batch-error">
          {t('batch.failed')} {errorText(error)}
        </Notice>
      ) : null}
      <div className="batch__actions">
        <button
          type="button"
          className="btn btn--primary"
          disabled={busy}
          onClick={() => void confirm()}
          title={t('batch.confirmTitle')}
          aria-keyshortcuts={first ? 'Alt+Enter' : undefined}
          data-testid="batch-confirm"
        >
          {busy ? t('batch.working') : t('batch.confirm', { n: shown.groups.length })}
        </button>
        <button
          type="button"
          className="btn"
          disabled={busy}
          onClick={() => void reject()}
          title={t('batch.rejectTitle')}
          data-testid="batch-reject"
        >
          {t('batch.reject')}
        </button>
      </div>
    </section>
  );
}
