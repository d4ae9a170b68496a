import { useState, type ReactNode } from 'react';
import type { DrillMeasure, MissingReport, PostalWorkload } from '../../../../shared/api/contract';
import { REPORT_GROUPINGS, type ReportGrouping } from '../../../../shared/domain/scorecard';
import { vietnamIsoDate } from '../../../../shared/domain/working-days';
import { useCall } from '../../api';
import { routeHref } from '../../app/router';
import { useErrorText, useT } from '../../i18n';
import { Notice } from '../../ui/Notice';
import { useMayCall } from '../auth/session';
import { CsvButton, FileButton } from './CsvButton';
import { DrillDownPanel, type DrillTarget } from './DrillDownPanel';
import { DrillNumber, RankingTable, SummaryTable, type Drill } from './IndicatorTables';
import { channelLabel } from './messages';
import { periodRange, periodValueAt, trendRange, type PeriodChoice, type PeriodKind } from './period';
import { TrendChart } from './TrendChart';
import './reports.css';

const PERIOD_KINDS: readonly PeriodKind[] = ['month', 'quarter', 'year', 'custom'];
/** Missing lists are read up to this many; a full list shows "this many or more". */
const MISSING_LIMIT = 500;

function initialChoice(): PeriodChoice {
  const today = vietnamIsoDate(new Date());
  return { kind: 'month', value: periodValueAt('month', today), from: `${today.slice(0, 8)}01`, to: today };
}

/**
 * The supervisor's dashboard: the 766 indicators for a month, quarter, year or any span, their
 * trend by month, rankings by unit, clerk, procedure and channel, what is missing, and the postal
 * workload. Every number lists the dossiers behind it. A postal operator sees their workload only.
 */
export function ReportsScreen() {
  const t = useT();
  const mayReadIndicators = useMayCall('reports.indicators');
  const [choice, setChoice] = useState<PeriodChoice>(initialChoice);
  const range = periodRange(choice);
  return (
    <div className="content-pad reports" data-testid="reports-screen">
      <h1 className="panel__title panel__title--lg">{t('reports.title')}</h1>
      <PeriodPicker choice={choice} onChange={setChoice} offerPdf={mayReadIndicators} />
      {range && mayReadIndicators ? <Dashboard choice={choice} range={range} /> : null}
      {range ? <WorkloadSection range={range} /> : null}
    </div>
  );
}

function PeriodPicker({
  choice,
  onChange,
  offerPdf,
}: {
  choice: PeriodChoice;
  onChange: (c: PeriodChoice) => void;
  /** The monthly report is the supervisor's; a postal operator sees their workload only. */
  offerPdf: boolean;
}) {
  const t = useT();
  const year = Number(choice.value.slice(0, 4)) || Number(vietnamIsoDate(new Date()).slice(0, 4));
  return (
    <div className="toolbar reports-toolbar">
      <label>
        {t('reports.period')}{' '}
        <select
          className="input input--small input--inline select"
          value={choice.kind}
          onChange={(e) => {
            const kind = e.target.value as PeriodKind;
            const anchor = periodRange(choice)?.to ?? vietnamIsoDate(new Date());
            onChange({ ...choice, kind, value: kind === 'custom' ? choice.value : periodValueAt(kind, anchor) });
          }}
          data-testid="reports-period-kind"
        >
          {PERIOD_KINDS.map((k) => (
            <option key={k} value={k}>
              {t(`reports.period.${k}`)}
            </option>
          ))}
        </select>
      </label>
      {choice.kind === 'month' ? (
        <label>
          {t('reports.periodValue')}{' '}
          <input
            className="input input--small input--inline"
            type="month"
            value={choice.value}
            onChange={(e) => onChange({ ...choice, value: e.target.value })}
            data-testid="reports-month"
          />
        </label>
      ) : choice.kind === 'quarter' ? (
        <label>
          {t('reports.periodValue')}{' '}
          <select
            className="input input--small input--inline select"
            value={choice.value}
            onChange={(e) => onChange({ ...choice, value: e.target.value })}
            data-testid="reports-quarter"
          >
            {[year - 1, year, year + 1].flatMap((y) =>
              [1, 2, 3, 4].map((q) => (
                <option key={`${y}-Q${q}`} value={`${y}-Q${q}`}>
                  {t('reports.quarterOf', { q })}/{y}
                </option>
              )),
            )}
          </select>
        </label>
      ) : choice.kind === 'year' ? (
        <label>
          {t('reports.periodValue')}{' '}
          <input
            className="input input--small input--inline"
            type="number"
            min={2000}
            max={2100}
            value={choice.value}
            onChange={(e) => onChange({ ...choice, value: e.target.value })}
            data-testid="reports-year"
          />
        </label>
      ) : (
        <>
          <label>
            {t('reports.from')}{' '}
            <input
              className="input input--small input--inline"
              type="date"
              value={choice.from}
              onChange={(e) => onChange({ ...choice, from: e.target.value })}
              data-testid="reports-from"
            />
          </label>
          <label>
            {t('reports.to')}{' '}
            <input
              className="input input--small input--inline"
              type="date"
              value={choice.to}
              onChange={(e) => onChange({ ...choice, to: e.target.value })}
              data-testid="reports-to"
            />
          </label>
        </>
      )}
      {offerPdf && choice.kind === 'month' && periodRange(choice) ? (
        <FileButton
          call="reports.monthlyPdf"
          input={{ month: choice.value }}
          label={t('reports.pdf')}
          testId="reports-pdf"
        />
      ) : null}
    </div>
  );
}

function Section({
  title,
  actions,
  children,
  testId,
}: {
  title: string;
  actions?: ReactNode;
  children: ReactNode;
  testId: string;
}) {
  return (
    <section className="reports-section" data-testid={testId}>
      <div className="reports-section__head">
        <h2 className="panel__title">{title}</h2>
        {actions ? <span className="reports-section__actions">{actions}</span> : null}
      </div>
      {children}
    </section>
  );
}

function Dashboard({ choice, range }: { choice: PeriodChoice; range: { from: string; to: string } }) {
  const t = useT();
  const errorText = useErrorText();
  const [by, setBy] = useState<ReportGrouping>('unit');
  const [target, setTarget] = useState<DrillTarget | null>(null);
  const summary = useCall('reports.indicators', range, { keepPrevious: true });
  const ranking = useCall('reports.indicators', { ...range, by }, { keepPrevious: true });
  const trend = useCall('reports.trend', trendRange(choice, range), { keepPrevious: true });
  const missing = useCall('reports.missing', { ...range, limit: MISSING_LIMIT }, { keepPrevious: true });

  const drill: Drill = (measure, row, rowBy) => {
    const name = measure === 'received' ? t('reports.received') : t(`reports.${measure}` as 'reports.digitized');
    const group = rowBy ? (rowBy === 'channel' ? channelLabel(t, row.group) : row.group || t('reports.unknown')) : null;
    setTarget({
      ...range,
      measure,
      by: rowBy,
      group: rowBy ? row.group : undefined,
      label: group ? `${name} — ${group}` : name,
    });
  };
  const drillList = (measure: DrillMeasure, label: string) => setTarget({ ...range, measure, label });

  return (
    <>
      {summary.error ? (
        <Notice tone="error">
          {t('reports.loadError')} {errorText(summary.error)}
        </Notice>
      ) : null}
      {summary.data ? (
        <Section
          title={t('reports.summary')}
          testId="reports-summary"
          actions={<CsvButton input={{ kind: 'indicators', ...range }} testId="reports-summary-csv" />}
        >
          {summary.data.total.received === 0 ? (
            <p className="muted" data-testid="reports-empty">
              {t('reports.empty')}
            </p>
          ) : (
            <SummaryTable report={summary.data} drill={drill} />
          )}
        </Section>
      ) : null}
      {target ? <DrillDownPanel key={JSON.stringify(target)} target={target} onClose={() => setTarget(null)} /> : null}
      {trend.data ? (
        <Section
          title={t('reports.trend')}
          testId="reports-trend-section"
          actions={<CsvButton input={{ kind: 'trend', ...trendRange(choice, range) }} testId="reports-trend-csv" />}
        >
          <TrendChart
            trend={trend.data}
            onDrill={(m, measure) =>
              setTarget({
                from: m.from,
                to: m.to,
                measure,
                label: `${t(`reports.${measure}`)} — ${t('reports.allMonth', { month: `${m.month.slice(5, 7)}/${m.month.slice(0, 4)}` })}`,
              })
            }
          />
        </Section>
      ) : null}
      {ranking.data ? (
        <Section
          title={t('reports.ranking')}
          testId="reports-ranking-section"
          actions={
            <>
              <label>
                {t('reports.by')}{' '}
                <select
                  className="input input--small input--inline select"
                  value={by}
                  onChange={(e) => setBy(e.target.value as ReportGrouping)}
                  data-testid="reports-by"
                >
                  {REPORT_GROUPINGS.map((g) => (
                    <option key={g} value={g}>
                      {t(`reports.by.${g}`)}
                    </option>
                  ))}
                </select>
              </label>
              <CsvButton input={{ kind: 'indicators', ...range, by }} testId="reports-ranking-csv" />
            </>
          }
        >
          <RankingTable report={ranking.data} drill={drill} />
        </Section>
      ) : null}
      {missing.data ? (
        <Section
          title={t('reports.missing')}
          testId="reports-missing"
          actions={<CsvButton input={{ kind: 'missing', ...range }} testId="reports-missing-csv" />}
        >
          <MissingLists missing={missing.data} onDrill={drillList} />
        </Section>
      ) : null}
    </>
  );
}

function MissingLists({
  missing,
  onDrill,
}: {
  missing: MissingReport;
  onDrill: (measure: DrillMeasure, label: string) => void;
}) {
  const t = useT();
  const count = (n: number) => (n >= MISSING_LIMIT ? t('reports.listCapped', { n }) : String(n));
  const lists = [
    {
      measure: 'withoutFiles',
      title: t('reports.withoutFiles', { n: count(missing.withoutFiles.length) }),
      items: missing.withoutFiles.map((d) => ({ key: d.dossierId, id: d.dossierId, text: d.code })),
    },
    {
      measure: 'resultsNotDigitized',
      title: t('reports.resultsNotDigitized', { n: count(missing.resultsNotDigitized.length) }),
      items: missing.resultsNotDigitized.map((d) => ({ key: d.dossierId, id: d.dossierId, text: d.code })),
    },
    {
      measure: 'missedReuse',
      title: t('reports.missedReuse', { n: count(missing.missedReuse.length) }),
      items: missing.missedReuse.map((m) => ({
        key: m.componentId,
        id: m.dossierId,
        text: `${m.dossierCode} — ${m.componentName}`,
      })),
    },
    {
      measure: 'pendingApproval',
      title: t('reports.pendingApproval', { n: count(missing.pendingApproval.length) }),
      items: missing.pendingApproval.map((p) => ({
        key: p.itemId,
        id: p.dossierId,
        text: `${p.dossierCode} — ${p.componentName}`,
      })),
    },
  ] as const;
  return (
    <>
      {lists.map((list) => (
        <details key={list.measure} open={list.items.length > 0 && list.items.length <= 20}>
          <summary>
            {list.title}{' '}
            {list.items.length > 0 ? (
              <DrillNumber
                value={list.items.length}
                label={list.title}
                onClick={() => onDrill(list.measure, list.title)}
                testId={`reports-missing-${list.measure}`}
              />
            ) : null}
          </summary>
          {list.items.length === 0 ? (
            <p className="muted small">{t('reports.nothingMissing')}</p>
          ) : (
            <ul>
              {list.items.map((item) => (
                <li key={item.key}>
                  <a href={routeHref({ name: 'dossier', id: item.id })}>{item.text}</a>
                </li>
              ))}
            </ul>
          )}
        </details>
      ))}
    </>
  );
}

function WorkloadSection({ range }: { range: { from: string; to: string } }) {
  const t = useT();
  const errorText = useErrorText();
  const [per, setPer] = useState<'day' | 'month'>('day');
  const workload = useCall('reports.postalWorkload', { ...range, per }, { keepPrevious: true });
  return (
    <Section
      title={t('reports.postalTitle')}
      testId="reports-postal"
      actions={
        <>
          <label>
            {t('reports.per')}{' '}
            <select
              className="input input--small input--inline select"
              value={per}
              onChange={(e) => setPer(e.target.value as 'day' | 'month')}
              data-testid="reports-per"
            >
              <option value="day">{t('reports.per.day')}</option>
              <option value="month">{t('reports.per.month')}</option>
            </select>
          </label>
          <FileButton
            call="reports.postalWorkloadCsv"
            input={{ ...range, per }}
            label={t('reports.csv')}
            testId="reports-postal-csv"
          />
        </>
      }
    >
      {workload.error ? <Notice tone="error">{errorText(workload.error)}</Notice> : null}
      {workload.data ? <WorkloadTable workload={workload.data} /> : null}
    </Section>
  );
}

function WorkloadTable({ workload }: { workload: PostalWorkload }) {
  const t = useT();
  if (workload.rows.length === 0) return <p className="muted small">{t('reports.nothingMissing')}</p>;
  return (
    <table className="table" data-testid="reports-postal-table">
      <thead>
        <tr>
          <th>{t('reports.operator')}</th>
          <th>{workload.per === 'day' ? t('reports.day') : t('reports.per.month')}</th>
          <th>{t('reports.dossiers')}</th>
          <th>{t('reports.documents')}</th>
          <th>{t('reports.pages')}</th>
          <th>{t('reports.sizes')}</th>
          <th>{t('reports.colours')}</th>
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
            <td>{r.dossiers}</td>
            <td>{r.documents}</td>
            <td>{r.pages}</td>
            <td>
              {r.pagesA4} / {r.pagesA3} / {r.pagesLarger} / {r.pagesUnknownSize}
            </td>
            <td data-testid="reports-postal-colours">
              {r.pagesColour} / {r.pagesGreyscale} / {r.pagesBilevel} / {r.pagesUnknownColour}
            </td>
            <td>{r.rescans}</td>
            <td>{r.rejectedPages}</td>
            <td>{r.medianHoursToDigitized ?? '—'}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
