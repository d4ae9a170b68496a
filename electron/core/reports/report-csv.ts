import type { DrillDown, IndicatorReport, MissingReport, PostalWorkload, Trend } from '../../../shared/api/contract';
import { VIETNAM_UTC_OFFSET_MS } from '../../../shared/domain/working-days';

/** Excel opens UTF-8 as a legacy code page unless the file starts with a byte-order mark. */
export const UTF8_BOM = '\uFEFF';

function cell(value: string | number | null): string {
  if (value === null) return '';
  const text = String(value);
  // Quote what would break a row, and what Excel would run as a formula (CSV injection).
  const safe = /^[=+\-@\t\r]/.test(text) && typeof value === 'string' ? `'${text}` : text;
  return /[",\r\n]/.test(safe) || safe !== text ? `"${safe.replace(/"/g, '""')}"` : safe;
}

function csv(rows: (string | number | null)[][]): string {
  return UTF8_BOM + rows.map((row) => row.map(cell).join(',')).join('\r\n') + '\r\n';
}

/** One row per group, Vietnamese headers with English twins, points per indicator and total. */
export function indicatorReportCsv(report: IndicatorReport): string {
  return indicatorRowsCsv(
    'Nhóm / group',
    report.scorecard.indicators.map((i) => i.id),
    report.groups,
  );
}

/** One row per month of the period. */
export function trendCsv(trend: Trend): string {
  return indicatorRowsCsv(
    'Tháng / month',
    trend.indicators.map((i) => i.id),
    trend.months.map((m) => ({ ...m.row, group: m.month })),
  );
}

function indicatorRowsCsv(first: string, ids: string[], groups: IndicatorReport['groups']): string {
  const header = [
    first,
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
  const rows = groups.map((g) => [
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
  return csv([header, ...rows]);
}

/** An instant as Vietnam's wall clock, `YYYY-MM-DD HH:MM`: what a supervisor's spreadsheet sorts by. */
function vietnamTime(iso: string): string {
  const at = Date.parse(iso);
  return Number.isNaN(at) ? iso : new Date(at + VIETNAM_UTC_OFFSET_MS).toISOString().slice(0, 16).replace('T', ' ');
}

const yesNo = (value: boolean | undefined): string => (value === undefined ? '' : value ? 'có' : 'không');

/** The dossiers behind a number. */
export function drillDownCsv(list: DrillDown): string {
  return csv([
    [
      'Mã hồ sơ / code',
      'Mã thủ tục / procedure',
      'Tên thủ tục / procedure name',
      'Kênh / channel',
      'Đơn vị / unit',
      'Cán bộ tiếp nhận / clerk',
      'Tiếp nhận lúc (giờ Việt Nam) / received at (Vietnam time)',
      'Số hóa / digitized',
      'Tái sử dụng / reused',
      'Kết quả số hóa / result digitized',
      'Kết nối kho / linked to store',
    ],
    ...list.rows.map((r) => [
      r.code,
      r.procedureCode,
      r.procedureName,
      r.channel,
      r.unit,
      r.clerk,
      vietnamTime(r.receivedAt),
      yesNo(r.facts?.digitized),
      yesNo(r.facts?.reused),
      yesNo(r.facts?.resultDigitized),
      yesNo(r.facts?.linkedToStore),
    ]),
  ]);
}

/** The four lists a supervisor acts on, one block after another, each with its name. */
export function missingCsv(report: MissingReport): string {
  const header = [
    'Danh sách / list',
    'Mã hồ sơ / code',
    'Chi tiết / detail',
    'Thời điểm (giờ Việt Nam) / at (Vietnam time)',
  ];
  return csv([
    header,
    ...report.withoutFiles.map((d) => [
      'Hồ sơ còn thành phần chưa có tệp / without files',
      d.code,
      `${d.componentsWithoutFile} thành phần / components`,
      vietnamTime(d.receivedAt),
    ]),
    ...report.resultsNotDigitized.map((d) => [
      'Kết quả giấy chưa số hóa / results not digitized',
      d.code,
      d.resultCode,
      vietnamTime(d.receivedAt),
    ]),
    ...report.missedReuse.map((m) => [
      'Quét lại dù đã có bản số hóa / missed reuse',
      m.dossierCode,
      m.componentName,
      vietnamTime(m.scannedAt),
    ]),
    ...report.pendingApproval.map((p) => [
      'Đang chờ phê duyệt / pending approval',
      p.dossierCode,
      p.componentName,
      vietnamTime(p.addedAt),
    ]),
  ]);
}

/** Scanning work per operator and day or month, the basis for norm-based invoicing. */
export function workloadCsv(workload: PostalWorkload): string {
  return csv([
    [
      'Người quét / operator',
      workload.per === 'day' ? 'Ngày / day' : 'Tháng / month',
      'Hồ sơ / dossiers',
      'Giấy tờ / documents',
      'Trang / pages',
      'A4',
      'A3',
      'Lớn hơn A3 / larger',
      'Không rõ khổ / unknown size',
      'Màu / colour',
      'Thang xám / greyscale',
      'Đen trắng / bilevel',
      'Không rõ màu / unknown colour',
      'Quét lại / rescans',
      'Trang bị từ chối / rejected pages',
      'Giờ đến khi số hóa xong (trung vị) / median hours to digitized',
    ],
    ...workload.rows.map((r) => [
      r.operator,
      r.period,
      r.dossiers,
      r.documents,
      r.pages,
      r.pagesA4,
      r.pagesA3,
      r.pagesLarger,
      r.pagesUnknownSize,
      r.pagesColour,
      r.pagesGreyscale,
      r.pagesBilevel,
      r.pagesUnknownColour,
      r.rescans,
      r.rejectedPages,
      r.medianHoursToDigitized,
    ]),
  ]);
}
