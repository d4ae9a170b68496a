import { useEffect, useRef, useState } from 'react';
import type { DrillMeasure } from '../../../../shared/api/contract';
import type { ReportGrouping } from '../../../../shared/domain/scorecard';
import { useCall } from '../../api';
import { routeHref } from '../../app/router';
import { useErrorText, useFormatters, useT } from '../../i18n';
import { channelLabel } from './messages';
import { Notice } from '../../ui/Notice';
import { CsvButton } from './CsvButton';

/** What was clicked: a number of the dashboard. */
export interface DrillTarget {
  from: string;
  to: string;
  measure: DrillMeasure;
  by?: ReportGrouping | undefined;
  group?: string | undefined;
  /** What the number is, as the supervisor saw it ("Số hóa — 000.00.01.H26"). */
  label: string;
}

const PAGE = 25;

/** The dossiers behind a number, a page at a time; each opens in the dossier view. */
export function DrillDownPanel({ target, onClose }: { target: DrillTarget; onClose: () => void }) {
  const t = useT();
  const errorText = useErrorText();
  const { dateTime } = useFormatters();
  const [offset, setOffset] = useState(0);
  const query = {
    from: target.from,
    to: target.to,
    measure: target.measure,
    ...(target.by && target.group !== undefined ? { by: target.by, group: target.group } : {}),
  };
  const list = useCall('reports.drillDown', { ...query, offset, limit: PAGE }, { keepPrevious: true });
  // The list opens where the keyboard is: the heading takes focus, so Tab goes on into the list.
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), []);
  const mark = (value: boolean | undefined) => (value === undefined ? '—' : value ? '✓' : '·');

  return (
    <section className="reports-drill" data-testid="reports-drilldown" aria-live="polite">
      <div className="reports-section__head">
        <h2 className="panel__title" ref={heading} tabIndex={-1}>
          {t('reports.drillTitle', { label: target.label })}{' '}
          {list.data ? <span className="muted small">({t('reports.drillTotal', { n: list.data.total })})</span> : null}
        </h2>
        <span className="reports-section__actions">
          <CsvButton input={{ kind: 'drillDown', ...query }} testId="reports-drilldown-csv" />
          <button
            type="button"
            className="btn btn--small btn--ghost"
            onClick={onClose}
            data-testid="reports-drilldown-close"
          >
            {t('reports.close')}
          </button>
        </span>
      </div>
      {list.error ? <Notice tone="error">{errorText(list.error)}</Notice> : null}
      {list.data && list.data.rows.length === 0 ? <p className="muted small">{t('reports.nothingMissing')}</p> : null}
      {list.data && list.data.rows.length > 0 ? (
        <table className="table" data-testid="reports-drilldown-table">
          <thead>
            <tr>
              <th>{t('reports.dossierCode')}</th>
              <th>{t('reports.procedure')}</th>
              <th>{t('reports.by.channel')}</th>
              <th>{t('reports.receivedAt')}</th>
              <th>{t('reports.by.clerk')}</th>
              <th title={t('reports.digitized')}>{t('reports.digitized')}</th>
              <th>{t('reports.reused')}</th>
              <th>{t('reports.resultsDigitized')}</th>
              <th>{t('reports.linkedToStore')}</th>
            </tr>
          </thead>
          <tbody>
            {list.data.rows.map((r) => (
              <tr key={r.dossierId}>
                <td>
                  <a href={routeHref({ name: 'dossier', id: r.dossierId })} data-testid="reports-drilldown-dossier">
                    {r.code}
                  </a>
                </td>
                <td title={r.procedureCode}>{r.procedureName || r.procedureCode}</td>
                <td>{channelLabel(t, r.channel)}</td>
                <td>{dateTime(r.receivedAt)}</td>
                <td>{r.clerk || '—'}</td>
                <td>{mark(r.facts?.digitized)}</td>
                <td>{mark(r.facts?.reused)}</td>
                <td>{mark(r.facts?.resultDigitized)}</td>
                <td>{mark(r.facts?.linkedToStore)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      {list.data && list.data.total > PAGE ? (
        <div className="reports-pager">
          <button
            type="button"
            className="btn btn--small"
            disabled={offset === 0}
            onClick={() => setOffset(Math.max(0, offset - PAGE))}
          >
            {t('reports.previous')}
          </button>
          <span className="muted small">
            {t('reports.pageOf', {
              first: offset + 1,
              last: Math.min(offset + PAGE, list.data.total),
              n: list.data.total,
            })}
          </span>
          <button
            type="button"
            className="btn btn--small"
            disabled={offset + PAGE >= list.data.total}
            onClick={() => setOffset(offset + PAGE)}
          >
            {t('reports.next')}
          </button>
        </div>
      ) : null}
    </section>
  );
}
