import { useCallback, useId, useState, type FormEvent } from 'react';
import type { ChecklistComponent, ChecklistItem, DocumentRef, ReuseCandidate } from '../../../../shared/api/contract';
import { api, useApiEvent, useCall, useDebouncedCallback } from '../../api';
import { routeHref } from '../../app/router';
import { useErrorText, useFormatters, useT } from '../../i18n';
import { Badge, type BadgeTone } from '../../ui/Badge';
import { Notice } from '../../ui/Notice';
import { useAction } from './useAction';
import './checklist.css';
import { ReasonForm } from '../../ui/ReasonForm';

const STATE_TONE: Record<ChecklistComponent['state'], BadgeTone> = {
  not_digitized: 'neutral',
  digitized: 'success',
  reused_component: 'info',
  reused_result: 'info',
};

const APPROVAL_TONE: Record<NonNullable<ChecklistItem['approval']>, BadgeTone> = {
  pending: 'warning',
  approved: 'success',
  rejected: 'danger',
};

/**
 * "Thành phần hồ sơ": the procedure's components for this dossier, each with what fills it
 * (scans assigned to it, documents reused by reference) or why it is missing, and the citizen's
 * earlier documents of the same type, attached in one click.
 */
export function ChecklistPanel({ dossierId, onChanged }: { dossierId: string; onChanged: () => void }) {
  const t = useT();
  const errorText = useErrorText();
  const checklist = useCall('checklist.get', { dossierId });
  const suggestions = useCall('reuse.suggest', { dossierId });
  const reloadChecklist = checklist.reload;
  const reloadSuggestions = suggestions.reload;
  const reload = useCallback(() => {
    reloadChecklist();
    reloadSuggestions();
    onChanged();
  }, [reloadChecklist, reloadSuggestions, onChanged]);
  const refresh = useDebouncedCallback(reload, 200);
  useApiEvent('workflow.changed', (e) => {
    if (e.dossierId === dossierId) refresh();
  });
  useApiEvent('dossier.changed', (e) => {
    // A new scan shows up as a document to assign.
    if (e.dossierId === dossierId) refresh();
  });
  const action = useAction(reload);

  if (checklist.error && !checklist.data) {
    return (
      <Notice tone="error" testId="checklist-error">
        {t('checklist.loadError')} {errorText(checklist.error)}
      </Notice>
    );
  }
  if (!checklist.data) return <p className="muted">{t('common.loading')}</p>;
  const { components, unassigned, complete, locked } = checklist.data;
  const required = components.filter((c) => c.required);
  const done = required.filter((c) => c.state !== 'not_digitized' || c.missingReason !== null).length;
  const candidatesOf = (componentId: string) =>
    suggestions.data?.components.find((c) => c.componentId === componentId)?.candidates ?? [];

  return (
    <section className="panel checklist" aria-labelledby={`${dossierId}-checklist`} data-testid="checklist">
      <div className="checklist__head">
        <h2 className="panel__title" id={`${dossierId}-checklist`}>
          {t('checklist.title')}
        </h2>
        <span className="muted small" data-testid="checklist-progress">
          {t('checklist.progress', { done, total: required.length })}
        </span>
        {complete ? <Badge tone="success">{t('checklist.complete')}</Badge> : null}
      </div>
      {locked ? <Notice tone="info">{t('checklist.locked')}</Notice> : null}
      {action.error ? (
        <Notice tone="error" testId="checklist-action-error">
          {errorText(action.error)}
        </Notice>
      ) : null}
      {unassigned.length > 0 && !locked ? (
        <p className="checklist__unassigned small" data-testid="checklist-unassigned">
          {t('checklist.unassigned', { n: unassigned.length })}
        </p>
      ) : null}
      {components.length === 0 ? <p className="muted">{t('checklist.noComponents')}</p> : null}
      <ol className="checklist__list">
        {components.map((component) => (
          <ComponentRow
            key={component.id}
            component={component}
            unassigned={unassigned}
            candidates={candidatesOf(component.id)}
            locked={locked}
            busy={action.busy}
            run={action.run}
          />
        ))}
      </ol>
      {!locked && suggestions.data && suggestions.data.others.length > 0 ? (
        <OtherDocuments others={suggestions.data.others} components={components} busy={action.busy} run={action.run} />
      ) : null}
    </section>
  );
}

type Run = (action: () => Promise<unknown>) => Promise<boolean>;

function ComponentRow({
  component,
  unassigned,
  candidates,
  locked,
  busy,
  run,
}: {
  component: ChecklistComponent;
  unassigned: DocumentRef[];
  candidates: ReuseCandidate[];
  locked: boolean;
  busy: boolean;
  run: Run;
}) {
  const t = useT();
  const assignId = useId();
  const [picked, setPicked] = useState('');
  const [missingOpen, setMissingOpen] = useState(false);
  const [reason, setReason] = useState('');

  async function assign(e: FormEvent) {
    e.preventDefault();
    if (picked === '') return;
    if (await run(() => api.call('checklist.assign', { componentId: component.id, documentId: picked }))) setPicked('');
  }

  async function saveMissing(e: FormEvent) {
    e.preventDefault();
    if (await run(() => api.call('checklist.markMissing', { componentId: component.id, reason }))) {
      setMissingOpen(false);
      setReason('');
    }
  }

  return (
    <li
      className={`component component--${component.state}`}
      data-testid="checklist-component"
      data-component-code={component.code}
      data-state={component.state}
    >
      <div className="component__head">
        <span className="component__name">{component.name}</span>
        <span className="mono muted small">{component.code}</span>
        <Badge tone={component.required ? 'neutral' : 'info'}>
          {component.required ? t('checklist.required') : t('checklist.optional')}
        </Badge>
        <Badge tone={STATE_TONE[component.state]} testId="component-state">
          {t(`componentState.${component.state}`)}
        </Badge>
        {component.fromNationalStore ? <Badge tone="info">{t('checklist.nationalStore')}</Badge> : null}
        <CopiesFields component={component} locked={locked} busy={busy} run={run} />
      </div>

      {component.missingReason !== null ? (
        <div className="component__missing" data-testid="component-missing">
          <span>{t('checklist.missing', { reason: component.missingReason })}</span>
          {!locked ? (
            <button
              type="button"
              className="btn btn--small btn--ghost"
              disabled={busy}
              onClick={() => void run(() => api.call('checklist.clearMissing', { componentId: component.id }))}
            >
              {t('checklist.clearMissing')}
            </button>
          ) : null}
        </div>
      ) : null}

      {component.items.length > 0 ? (
        <ul className="component__items">
          {component.items.map((item) => (
            <ItemRow key={item.id} item={item} locked={locked} busy={busy} run={run} />
          ))}
        </ul>
      ) : null}

      {!locked && candidates.length > 0 ? (
        <div className="component__reuse" data-testid="reuse-suggestions">
          <div className="component__subtitle">{t('reuse.suggestions')}</div>
          <ul className="component__items">
            {candidates.map((candidate) => (
              <CandidateRow
                key={candidate.documentId}
                candidate={candidate}
                busy={busy}
                onAttach={() =>
                  void run(() =>
                    api.call('checklist.reuse', { componentId: component.id, documentId: candidate.documentId }),
                  )
                }
              />
            ))}
          </ul>
        </div>
      ) : null}

      {!locked ? (
        <div className="component__actions">
          {unassigned.length > 0 ? (
            <form className="component__assign" onSubmit={assign}>
              <label className="visually-hidden" htmlFor={assignId}>
                {t('checklist.assignLabel', { name: component.name })}
              </label>
              <select
                id={assignId}
                className="input input--small select"
                value={picked}
                onChange={(e) => setPicked(e.target.value)}
                data-testid="assign-select"
              >
                <option value="">{t('checklist.assignPlaceholder')}</option>
                {unassigned.map((doc) => (
                  <option key={doc.documentId} value={doc.documentId}>
                    {doc.title} · {t('checklist.pages', { n: doc.pageCount })}
                  </option>
                ))}
              </select>
              <button
                type="submit"
                className="btn btn--small"
                disabled={busy || picked === ''}
                data-testid="assign-button"
              >
                {t('checklist.assign')}
              </button>
            </form>
          ) : null}
          {component.state === 'not_digitized' && component.missingReason === null && !missingOpen ? (
            <button
              type="button"
              className="btn btn--small btn--ghost"
              onClick={() => setMissingOpen(true)}
              data-testid="mark-missing"
            >
              {t('checklist.markMissing')}
            </button>
          ) : null}
          {missingOpen ? (
            <ReasonForm
              className="component__missing-form"
              label={t('checklist.missingReason')}
              placeholder={t('checklist.missingPlaceholder')}
              value={reason}
              onChange={setReason}
              onSubmit={saveMissing}
              onCancel={() => setMissingOpen(false)}
              busy={busy}
              submitLabel={t('checklist.saveMissing')}
              testIds={{ input: 'missing-reason', submit: 'missing-save' }}
            />
          ) : null}
        </div>
      ) : null}
    </li>
  );
}

function Thumb({ pageId }: { pageId: number | null }) {
  return pageId !== null ? (
    <a href={routeHref({ name: 'page', id: pageId })} tabIndex={-1}>
      <img className="reuse__thumb" src={api.pageImageUrl(pageId, 'thumb')} alt="" loading="lazy" />
    </a>
  ) : (
    <div className="reuse__thumb" />
  );
}

function ItemRow({ item, locked, busy, run }: { item: ChecklistItem; locked: boolean; busy: boolean; run: Run }) {
  const t = useT();
  const validId = useId();
  return (
    <li className="component__item" data-testid="component-item" data-item-kind={item.kind}>
      <Thumb pageId={item.firstPageId} />
      <div className="component__item-meta">
        <div className="strong">
          {item.firstPageId !== null ? (
            <a href={routeHref({ name: 'page', id: item.firstPageId })}>{item.title}</a>
          ) : (
            item.title
          )}
        </div>
        <div className="muted small">
          {[
            t('checklist.pages', { n: item.pageCount }),
            item.kind === 'reused_component' && item.originDossierCode
              ? t('checklist.reusedFrom', { code: item.originDossierCode })
              : null,
            item.kind === 'reused_result' && item.originResultCode
              ? t('checklist.reusedResult', { code: item.originResultCode })
              : null,
          ]
            .filter(Boolean)
            .join(' · ')}
        </div>
        {item.approval === 'rejected' && item.approvalReason ? (
          <div className="component__rejected small">
            {t('checklist.rejectedReason', { reason: item.approvalReason })}
          </div>
        ) : null}
      </div>
      {item.approval ? (
        <Badge tone={APPROVAL_TONE[item.approval]} testId="item-approval">
          {t(`approvalState.${item.approval}`)}
        </Badge>
      ) : null}
      {item.kind === 'scanned' ? (
        <span className="component__valid">
          <label className="small muted" htmlFor={validId}>
            {t('checklist.validUntil')}
          </label>
          <input
            id={validId}
            type="date"
            className="input input--small"
            title={t('checklist.validUntilHint')}
            value={item.validUntil ?? ''}
            disabled={busy}
            onChange={(e) =>
              void run(() =>
                api.call('checklist.setValidity', { documentId: item.documentId, validUntil: e.target.value || null }),
              )
            }
          />
        </span>
      ) : null}
      {!locked ? (
        <button
          type="button"
          className="btn btn--small btn--ghost"
          title={t('checklist.removeTitle', { title: item.title })}
          disabled={busy}
          onClick={() => void run(() => api.call('checklist.unassign', { itemId: item.id }))}
          data-testid="item-remove"
        >
          {t('checklist.remove')}
        </button>
      ) : null}
    </li>
  );
}

function CandidateRow({
  candidate,
  busy,
  onAttach,
}: {
  candidate: ReuseCandidate;
  busy: boolean;
  onAttach: () => void;
}) {
  const t = useT();
  const { date } = useFormatters();
  return (
    <li className="component__item component__item--candidate" data-testid="reuse-candidate">
      <Thumb pageId={candidate.firstPageId} />
      <div className="component__item-meta">
        <div className="strong">{candidate.title}</div>
        <div className="muted small">
          {[
            t('checklist.pages', { n: candidate.pageCount }),
            candidate.origin === 'result' && candidate.resultCode
              ? t('reuse.fromResult', { code: candidate.resultCode })
              : candidate.dossierCode
                ? t('reuse.fromDossier', { code: candidate.dossierCode })
                : null,
            candidate.validUntil ? t('reuse.validUntil', { date: date(candidate.validUntil) }) : null,
            candidate.approval === 'pending' ? t('reuse.pendingApproval') : null,
          ]
            .filter(Boolean)
            .join(' · ')}
        </div>
      </div>
      <button
        type="button"
        className="btn btn--small btn--primary"
        title={t('reuse.attachTitle', { title: candidate.title })}
        disabled={busy}
        onClick={onAttach}
        data-testid="reuse-attach"
      >
        {t('reuse.attach')}
      </button>
    </li>
  );
}

/** Numbers of originals and copies handed over, saved when the field is left (for the receipt). */
function CopiesFields({
  component,
  locked,
  busy,
  run,
}: {
  component: ChecklistComponent;
  locked: boolean;
  busy: boolean;
  run: Run;
}) {
  const t = useT();
  const save = (originals: number, copies: number) => {
    if (originals === component.originals && copies === component.copies) return;
    void run(() => api.call('checklist.setCopies', { componentId: component.id, originals, copies }));
  };
  const clamp = (value: string) => Math.min(99, Math.max(0, Math.trunc(Number(value) || 0)));
  return (
    <span className="component__copies">
      <label className="small muted">
        {t('checklist.originals')}{' '}
        <input
          key={`o${component.originals}`}
          type="number"
          min={0}
          max={99}
          className="input input--small component__count"
          defaultValue={component.originals}
          disabled={locked || busy}
          onBlur={(e) => save(clamp(e.target.value), component.copies)}
        />
      </label>
      <label className="small muted">
        {t('checklist.copies')}{' '}
        <input
          key={`c${component.copies}`}
          type="number"
          min={0}
          max={99}
          className="input input--small component__count"
          defaultValue={component.copies}
          disabled={locked || busy}
          onBlur={(e) => save(component.originals, clamp(e.target.value))}
        />
      </label>
    </span>
  );
}

/** The citizen's other valid documents (another or an unknown type): reuse them for a chosen component. */
function OtherDocuments({
  others,
  components,
  busy,
  run,
}: {
  others: ReuseCandidate[];
  components: ChecklistComponent[];
  busy: boolean;
  run: Run;
}) {
  const t = useT();
  return (
    <details className="checklist__others" data-testid="reuse-others">
      <summary>{t('reuse.others', { n: others.length })}</summary>
      <ul className="component__items">
        {others.map((doc) => (
          <OtherDocument key={doc.documentId} doc={doc} components={components} busy={busy} run={run} />
        ))}
      </ul>
    </details>
  );
}

function OtherDocument({
  doc,
  components,
  busy,
  run,
}: {
  doc: ReuseCandidate;
  components: ChecklistComponent[];
  busy: boolean;
  run: Run;
}) {
  const t = useT();
  const selectId = useId();
  const [componentId, setComponentId] = useState('');
  return (
    <li className="component__item">
      <Thumb pageId={doc.firstPageId} />
      <div className="component__item-meta">
        <div className="strong">{doc.title}</div>
        <div className="muted small">
          {[
            t('checklist.pages', { n: doc.pageCount }),
            doc.dossierCode ? t('reuse.fromDossier', { code: doc.dossierCode }) : null,
          ]
            .filter(Boolean)
            .join(' · ')}
        </div>
      </div>
      <label className="visually-hidden" htmlFor={selectId}>
        {t('reuse.attachTo')}
      </label>
      <select
        id={selectId}
        className="input input--small select component__target"
        value={componentId}
        onChange={(e) => setComponentId(e.target.value)}
      >
        <option value="">{t('reuse.attachToPlaceholder')}</option>
        {components.map((c) => (
          <option key={c.id} value={c.id}>
            {c.name}
          </option>
        ))}
      </select>
      <button
        type="button"
        className="btn btn--small"
        disabled={busy || componentId === ''}
        onClick={() => void run(() => api.call('checklist.reuse', { componentId, documentId: doc.documentId }))}
      >
        {t('reuse.attach')}
      </button>
    </li>
  );
}
