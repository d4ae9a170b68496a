import type { IndicatorReport } from '../../../shared/api/contract';

/** Excel opens UTF-8 as a legacy code page unless the file starts with a byte-order mark. */
export const UTF8_BOM = '\uFEFF';

function cell(value: string | number | null): string {
  if (value === null) return '';
  const text = String(value);
  // Quote what would break a row, and what Excel would run as a formula (CSV injection).
  const safe = /^[=+\-@\t\r]/.test(text) && typeof value === 'string' ? `'${text}` : text;
  return /[",\r\n]/.test(safe) || safe !== text ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** One row per group, Vietnamese headers with English twins, points per indicator and total. */
export function indicatorReportCsv(report: IndicatorReport): string {
  const ids = report.scorecard.indicators.map((i) => i.id);
  const header = [
    'Nhóm / group',
    'Tiếp nhận / received',
    'Số hóa / digitized',
    'Tỷ lệ số hóa / digitizedRate',
    'Tái sử dụng / reused',
    'Tỷ lệ tái sử dụng / reusedRate',
    'Kết quả số hóa / resultsDigitized',
    'Kết nối kho / linkedToStore',
    ...ids.map((id) => `Điểm ${id} / points ${id}`),
    'Tổng điểm / total points',
  ];
  const rows = report.groups.map((g) => [
    g.group,
    g.received,
    g.digitized,
    g.digitizedRate,
    g.reused,
    g.reusedRate,
    g.resultsDigitized,
    g.linkedToStore,
    ...ids.map((id) => g.points[id] ?? null),
    g.points.total ?? null,
  ]);
  return UTF8_BOM + [header, ...rows].map((row) => row.map(cell).join(',')).join('\r\n') + '\r\n';
}
