import { useState, type ReactNode } from 'react';
import type { IndicatorReport, PostalWorkload } from '../../../../shared/api/contract';
import { REPORT_GROUPINGS, type ReportGrouping } from '../../../../shared/domain/scorecard';
import { vietnamIsoDate } from '../../../../shared/domain/working-days';
import { useCall } from '../../api';
import { routeHref } from '../../app/router';
import { useErrorText, useFormatters, useLang, useT } from '../../i18n';
import { Notice } from '../../ui/Notice';

/** The current month in Vietnam: what a supervisor is graded on next. */
function currentMonth(): { from: string; to: string } {
  const today = vietnamIsoDate(new Date());
  return { from: `${today.slice(0, 8)}01`, to: today };
}

/** The 766 indicators for a period, with points, and the lists a supervisor can act on. */
export function ReportsScreen() {
  const t = useT();
  const errorText = useErrorText();
  const [period, setPeriod] = useState(currentMonth);
  const [by, setBy] = useState<ReportGrouping | ''>('');
  const valid = period.from !== '' && period.to !== '' && period.from <= period.to;
  const report = useCall('reports.indicators', valid ? { ...period, ...(by ? { by } : {}) } : null, {
    keepPrevious: true,
  });
  const workload = useCall('reports.postalWorkload', valid ? { ...period, per: 'day' } : null, {
    keepPrevious: true,
  });
  const missing = useCall('reports.missing', valid ? { ...period, limit: 200 } : null, { keepPrevious: true });

  return (
    <div className="content-pad" data-testid="reports-screen">
      <h1 className="panel__title panel__title--lg">{t('reports.title')}</h1>
      <div className="toolbar" style={{ display: 'flex', gap: '1rem', flexWrap: 'wrap', alignItems: 'end' }}>
        <label>
          {t('reports.from')}{' '}
          <input
            type="date"
            value={period.from}
            onChange={(e) => setPeriod((p) => ({ ...p, from: e.target.value }))}
            data-testid="reports-from"
          />
        </label>
        <label>
          {t('reports.to')}{' '}
          <input
            type="date"
            value={period.to}
            onChange={(e) => setPeriod((p) => ({ ...p, to: e.target.value }))}
            data-testid="reports-to"
          />
        </label>
        <label>
          {t('reports.by')}{' '}
          <select value={by} onChange={(e) => setBy(e.target.value as ReportGrouping | '')} data-testid="reports-by">
            <option value="">{t('reports.byNone')}</option>
            {REPORT_GROUPINGS.map((g) => (
              <option key={g} value={g}>
                {t(`reports.by.${g}`)}
              </option>
            ))}
          </select>
        </label>
      </div>
      {report.error ? (
        <Notice tone="error">
          {t('reports.loadError')} {errorText(report.error)}
        </Notice>
      ) : null}
      {report.data ? <IndicatorTable report={report.data} /> : null}
      {missing.data ? (
        <section data-testid="reports-missing">
          <h2 className="panel__title">{t('reports.missing')}</h2>
          <MissingList title={t('reports.withoutFiles', { n: missing.data.withoutFiles.length })}>
            {missing.data.withoutFiles.map((d) => (
              <DossierLink key={d.dossierId} id={d.dossierId} code={d.code} />
            ))}
          </MissingList>
          <MissingList title={t('reports.resultsNotDigitized', { n: missing.data.resultsNotDigitized.length })}>
            {missing.data.resultsNotDigitized.map((d) => (
              <DossierLink key={d.dossierId} id={d.dossierId} code={d.code} />
            ))}
          </MissingList>
          <MissingList title={t('reports.missedReuse', { n: missing.data.missedReuse.length })}>
            {missing.data.missedReuse.map((m) => (
              <DossierLink key={m.componentId} id={m.dossierId} code={`${m.dossierCode} — ${m.componentName}`} />
            ))}
          </MissingList>
          <MissingList title={t('reports.pendingApproval', { n: missing.data.pendingApproval.length })}>
            {missing.data.pendingApproval.map((p) => (
              <DossierLink key={p.itemId} id={p.dossierId} code={`${p.dossierCode} — ${p.componentName}`} />
            ))}
          </MissingList>
        </section>
      ) : null}
      {workload.data ? <WorkloadTable workload={workload.data} /> : null}
    </div>
  );
}

function WorkloadTable({ workload }: { workload: PostalWorkload }) {
  const t = useT();
  return (
    <section data-testid="reports-postal">
      <h2 className="panel__title">{t('reports.postal')}</h2>
      {workload.rows.length === 0 ? (
        <p className="muted small">{t('reports.nothingMissing')}</p>
      ) : (
        <table className="table">
          <thead>
            <tr>
              <th>{t('reports.operator')}</th>
              <th>{t('reports.day')}</th>
              <th>{t('reports.documents')}</th>
              <th>{t('reports.pages')}</th>
              <th>{t('reports.sizes')}</th>
              <th>{t('reports.rescans')}</th>
              <th>{t('reports.rejectedPages')}</th>
              <th>{t('reports.hoursToDigitized')}</th>
            </tr>
          </thead>
          <tbody>
            {workload.rows.map((r) => (
              <tr key={`${r.operator}-${r.period}`}>
                <td>{r.operator}</td>
                <td>{r.period}</td>
                <td>{r.documents}</td>
                <td>{r.pages}</td>
                <td>
                  {r.pagesA4} / {r.pagesA3} / {r.pagesLarger} / {r.pagesUnknownSize}
                </td>
                <td>{r.rescans}</td>
                <td>{r.rejectedPages}</td>
                <td>{r.medianHoursToDigitized ?? '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

function IndicatorTable({ report }: { report: IndicatorReport }) {
  const t = useT();
  const [lang] = useLang();
  const { percent } = useFormatters();
  const rate = (value: number | null) => (value === null ? '—' : percent(value));
  const points = (value: number | null | undefined) => (value === null || value === undefined ? '—' : String(value));
  if (report.total.received === 0) {
    return (
      <p className="muted" data-testid="reports-empty">
        {t('reports.empty')}
      </p>
    );
  }
  const rows = report.by ? [...report.groups, report.total] : [report.total];
  return (
    <table className="table" data-testid="reports-table">
      <thead>
        <tr>
          <th>{t('reports.group')}</th>
          <th>{t('reports.received')}</th>
          <th>{t('reports.digitized')}</th>
          <th>{t('reports.reused')}</th>
          <th>{t('reports.resultsDigitized')}</th>
          <th>{t('reports.linkedToStore')}</th>
          {report.scorecard.indicators.map((i) => (
            <th key={i.id} title={lang === 'vi' ? i.nameVi : i.nameEn}>
              {t('reports.points', { id: i.id })} / {i.maxPoints}
              {i.measured ? '' : ` (${t('reports.notMeasured')})`}
            </th>
          ))}
          <th>{t('reports.totalPoints')}</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((row, index) => (
          <tr key={`${index}-${row.group}`}>
            <td>{row.group}</td>
            <td>{row.received}</td>
            <td>
              {row.digitized} ({rate(row.digitizedRate)})
            </td>
            <td>
              {row.reused} ({rate(row.reusedRate)})
            </td>
            <td>
              {row.resultsDigitized} ({rate(row.resultsDigitizedRate)})
            </td>
            <td>
              {row.linkedToStore} ({rate(row.linkedToStoreRate)})
            </td>
            {report.scorecard.indicators.map((i) => (
              <td key={i.id}>{points(row.points[i.id])}</td>
            ))}
            <td>
              <strong>{points(row.points.total)}</strong>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function MissingList({ title, children }: { title: string; children: ReactNode[] }) {
  const t = useT();
  return (
    <details open={children.length > 0 && children.length <= 20}>
      <summary>{title}</summary>
      {children.length === 0 ? <p className="muted small">{t('reports.nothingMissing')}</p> : <ul>{children}</ul>}
    </details>
  );
}

function DossierLink({ id, code }: { id: string; code: string }) {
  return (
    <li>
      <a href={routeHref({ name: 'dossier', id })}>{code}</a>
    </li>
  );
}
