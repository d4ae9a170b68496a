import { useState, type FormEvent } from 'react';
import type { ApprovalItem } from '../../../../shared/api/contract';
import { api, useApiEvent, useCall, useDebouncedCallback } from '../../api';
import { routeHref } from '../../app/router';
import { useErrorText, useFormatters, useT } from '../../i18n';
import { Badge } from '../../ui/Badge';
import { Notice } from '../../ui/Notice';
import { useAction } from '../checklist/useAction';
import { useMayCall } from '../auth/session';
import '../checklist/checklist.css';
import { ReasonForm } from '../../ui/ReasonForm';

type Tab = 'pending' | 'rejected';

/**
 * The supervisor's queue of digitized items waiting for approval (oldest first), and the
 * clerks' queue of rejected scans to redo.
 */
export function ApprovalQueue() {
  const t = useT();
  const errorText = useErrorText();
  const [tab, setTab] = useState<Tab>('pending');
  const list = useCall('approval.list', { status: tab, limit: 200 });
  const refresh = useDebouncedCallback(list.reload, 300);
  useApiEvent('workflow.changed', refresh);
  const action = useAction(list.reload);

  return (
    <div className="approval content-pad" data-testid="approval-queue">
      <h1 className="panel__title panel__title--lg">{t('approval.title')}</h1>
      <div className="approval__tabs" role="tablist">
        {(['pending', 'rejected'] as const).map((name) => (
          <button
            key={name}
            type="button"
            role="tab"
            aria-selected={tab === name}
            className={`btn btn--small${tab === name ? ' btn--pressed' : ''}`}
            onClick={() => setTab(name)}
            data-testid={`approval-tab-${name}`}
          >
            {name === 'pending' ? t('approval.pendingTab') : t('approval.rejectedTab')}
          </button>
        ))}
      </div>
      {tab === 'rejected' ? <p className="muted small">{t('approval.rejectedHint')}</p> : null}
      {list.error ? (
        <Notice tone="error">
          {t('approval.loadError')} {errorText(list.error)}
        </Notice>
      ) : null}
      {action.error ? (
        <Notice tone="error" testId="approval-error">
          {errorText(action.error)}
        </Notice>
      ) : null}
      {list.data && list.data.length === 0 ? (
        <p className="muted" data-testid="approval-empty">
          {tab === 'pending' ? t('approval.empty') : t('approval.rejectedEmpty')}
        </p>
      ) : null}
      <ul className="approval__list">
        {(list.data ?? []).map((item) => (
          <ApprovalRow
            key={item.itemId}
            item={item}
            busy={action.busy}
            onDecide={(decision, reason) =>
              action.run(() =>
                api.call('approval.decide', { itemId: item.itemId, decision, ...(reason ? { reason } : {}) }),
              )
            }
          />
        ))}
      </ul>
    </div>
  );
}

function ApprovalRow({
  item,
  busy,
  onDecide,
}: {
  item: ApprovalItem;
  busy: boolean;
  onDecide: (decision: 'approved' | 'rejected', reason?: string) => Promise<boolean>;
}) {
  const t = useT();
  const { dateTime } = useFormatters();
  // Clerks see the queue (their rejected scans) but only an approver gets the buttons.
  const mayDecide = useMayCall('approval.decide');
  const [rejecting, setRejecting] = useState(false);
  const [reason, setReason] = useState('');

  async function reject(e: FormEvent) {
    e.preventDefault();
    if (await onDecide('rejected', reason)) setRejecting(false);
  }

  return (
    <li className="panel approval__item" data-testid="approval-item" data-approval={item.approval}>
      {item.firstPageId !== null ? (
        <a href={routeHref({ name: 'page', id: item.firstPageId })}>
          <img className="approval__thumb" src={api.pageImageUrl(item.firstPageId, 'thumb')} alt="" loading="lazy" />
        </a>
      ) : (
        <div className="approval__thumb" />
      )}
      <div className="approval__meta">
        <div className="strong">
          {item.componentName} <span className="muted small mono">{item.componentCode}</span>
        </div>
        <div className="small">
          {item.title} · {t('checklist.pages', { n: item.pageCount })}
        </div>
        <div className="muted small">
          <a href={routeHref({ name: 'dossier', id: item.dossierId })} className="mono">
            {item.dossierCode}
          </a>{' '}
          · {item.procedureName} · {t('approval.added', { at: dateTime(item.addedAt), actor: item.addedBy })}
        </div>
        {item.approval === 'rejected' && item.reason ? (
          <div className="component__rejected small">{t('checklist.rejectedReason', { reason: item.reason })}</div>
        ) : null}
      </div>
      <div className="approval__actions">
        <Badge tone={item.approval === 'rejected' ? 'danger' : 'warning'}>{t(`approvalState.${item.approval}`)}</Badge>
        {mayDecide && item.approval === 'pending' && !rejecting ? (
          <>
            <button
              type="button"
              className="btn btn--small btn--success"
              disabled={busy}
              onClick={() => void onDecide('approved')}
              data-testid="approve"
            >
              {t('approval.approve')}
            </button>
            <button type="button" className="btn btn--small" onClick={() => setRejecting(true)} data-testid="reject">
              {t('approval.reject')}
            </button>
          </>
        ) : null}
        {item.approval === 'rejected' ? (
          <a className="btn btn--small" href={routeHref({ name: 'dossier', id: item.dossierId })}>
            {t('approval.openDossier')}
          </a>
        ) : null}
      </div>
      {rejecting ? (
        <ReasonForm
          className="approval__reject"
          label={t('approval.reason')}
          placeholder={t('approval.reasonPlaceholder')}
          value={reason}
          onChange={setReason}
          onSubmit={reject}
          onCancel={() => setRejecting(false)}
          busy={busy}
          submitLabel={t('approval.confirmReject')}
          primary
          testIds={{ input: 'reject-reason', submit: 'reject-confirm' }}
        />
      ) : null}
    </li>
  );
}
