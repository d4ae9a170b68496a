import { useMemo, useState } from 'react';
import type { DrillMeasure, IndicatorReport } from '../../../../shared/api/contract';
import type { ReportGrouping } from '../../../../shared/domain/scorecard';
import { useCall } from '../../api';
import { useFormatters, useLang, useT } from '../../i18n';
import { channelLabel } from './messages';

type Row = IndicatorReport['total'];
const COUNTS = ['digitized', 'reused', 'resultsDigitized', 'linkedToStore'] as const;
type Count = (typeof COUNTS)[number];
const RATE_OF: Record<Count, (r: Row) => number | null> = {
  digitized: (r) => r.digitizedRate,
  reused: (r) => r.reusedRate,
  resultsDigitized: (r) => r.resultsDigitizedRate,
  linkedToStore: (r) => r.linkedToStoreRate,
};

export type Drill = (measure: DrillMeasure, row: Row, by?: ReportGrouping) => void;

/** A number that lists the dossiers it counts. */
export function DrillNumber({
  value,
  label,
  onClick,
  testId,
}: {
  value: number;
  label: string;
  onClick: () => void;
  testId?: string;
}) {
  return (
    <button
      type="button"
      className="reports-number"
      onClick={onClick}
      title={label}
      aria-label={`${label}: ${value}`}
      data-testid={testId}
    >
      {value}
    </button>
  );
}

function usePointsText(): (value: number | null | undefined) => string {
  return (value) => (value === null || value === undefined ? '—' : String(value));
}

function IndicatorHeads({ report }: { report: IndicatorReport }) {
  const t = useT();
  const [lang] = useLang();
  return (
    <>
      {report.scorecard.indicators.map((i) => (
        <th key={i.id} title={lang === 'vi' ? i.nameVi : i.nameEn}>
          {t('reports.points', { id: i.id })} / {i.maxPoints}
          {i.measured ? '' : ` (${t('reports.notMeasured')})`}
        </th>
      ))}
    </>
  );
}

function Cells({ row, report, drill, by }: { row: Row; report: IndicatorReport; drill: Drill; by?: ReportGrouping }) {
  const t = useT();
  const { percent } = useFormatters();
  const points = usePointsText();
  const rate = (value: number | null) => (value === null ? '—' : percent(value));
  const test = by ? `reports-cell-${row.group}` : 'reports-total';
  return (
    <>
      <td>
        <DrillNumber
          value={row.received}
          label={t('reports.received')}
          onClick={() => drill('received', row, by)}
          testId={`${test}-received`}
        />
      </td>
      {COUNTS.map((c) => (
        <td key={c}>
          <DrillNumber
            value={row[c]}
            label={t(`reports.${c}`)}
            onClick={() => drill(c, row, by)}
            testId={`${test}-${c}`}
          />{' '}
          <span className="muted small">({rate(RATE_OF[c](row))})</span>
        </td>
      ))}
      {report.scorecard.indicators.map((i) => (
        <td key={i.id}>{points(row.points[i.id])}</td>
      ))}
      <td>
        <strong>{points(row.points.total)}</strong>
      </td>
    </>
  );
}

/** The whole unit's indicators for the period, with points. */
export function SummaryTable({ report, drill }: { report: IndicatorReport; drill: Drill }) {
  const t = useT();
  return (
    <table className="table" data-testid="reports-table">
      <thead>
        <tr>
          <th>{t('reports.group')}</th>
          <th>{t('reports.received')}</th>
          {COUNTS.map((c) => (
            <th key={c}>{t(`reports.${c}`)}</th>
          ))}
          <IndicatorHeads report={report} />
          <th>{t('reports.totalPoints')}</th>
        </tr>
      </thead>
      <tbody>
        <tr>
          <td>{t('reports.byNone')}</td>
          <Cells row={report.total} report={report} drill={drill} />
        </tr>
      </tbody>
    </table>
  );
}

type SortKey = 'group' | 'received' | Count | 'total';

function sortValue(row: Row, key: SortKey): number | string {
  if (key === 'group') return row.group;
  if (key === 'received') return row.received;
  if (key === 'total') return row.points.total ?? -1;
  return RATE_OF[key](row) ?? -1;
}

/** Groups ranked by points (or any column, by clicking its heading), each cell a drill-down. */
export function RankingTable({ report, drill }: { report: IndicatorReport; drill: Drill }) {
  const t = useT();
  const [sort, setSort] = useState<{ key: SortKey; descending: boolean }>({ key: 'total', descending: true });
  const by = report.by ?? undefined;
  // Procedure codes alone mean little to a supervisor: the catalog's name goes beside each.
  const procedures = useCall('procedures.list', {});
  const procedureNames = useMemo(
    () => new Map((procedures.data ?? []).map((p) => [p.code, p.name] as const)),
    [procedures.data],
  );
  const rows = [...report.groups].sort((a, b) => {
    const x = sortValue(a, sort.key);
    const y = sortValue(b, sort.key);
    const order = typeof x === 'string' || typeof y === 'string' ? String(x).localeCompare(String(y)) : x - y;
    return (sort.descending ? -order : order) || a.group.localeCompare(b.group);
  });
  const head = (key: SortKey, label: string) => (
    <th aria-sort={sort.key === key ? (sort.descending ? 'descending' : 'ascending') : 'none'}>
      <button
        type="button"
        className="reports-sort"
        onClick={() => setSort((s) => ({ key, descending: s.key === key ? !s.descending : key !== 'group' }))}
        data-testid={`reports-sort-${key}`}
      >
        {label}
        {sort.key === key ? (sort.descending ? ' ▼' : ' ▲') : ''}
      </button>
    </th>
  );
  return (
    <table className="table" data-testid="reports-ranking">
      <thead>
        <tr>
          <th>#</th>
          {head('group', t('reports.group'))}
          {head('received', t('reports.received'))}
          {COUNTS.map((c) => head(c, t(`reports.${c}`)))}
          <IndicatorHeads report={report} />
          {head('total', t('reports.totalPoints'))}
        </tr>
      </thead>
      <tbody>
        {rows.map((row, index) => (
          <tr key={row.group}>
            <td>{index + 1}</td>
            <td>
              {by === 'channel' ? channelLabel(t, row.group) : row.group || t('reports.unknown')}
              {by === 'procedure' && procedureNames.get(row.group) ? (
                <span className="muted"> · {procedureNames.get(row.group)}</span>
              ) : null}
            </td>
            {by ? <Cells row={row} report={report} drill={drill} by={by} /> : null}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
