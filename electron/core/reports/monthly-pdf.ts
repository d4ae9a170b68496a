/**
 * The monthly report a supervisor files: the month's 766 indicators with points, the trend of the
 * last twelve months as a vector chart, the rankings by unit and by procedure, and the counts of
 * what is missing. A4, Vietnamese, Be Vietnam Pro embedded (as the receipt), so the PDF's text
 * reads back as NFC Vietnamese and prints sharp.
 */
import { PageSizes, PDFDocument, rgb, type PDFFont, type PDFPage, type RGB } from 'pdf-lib';
import { loadFontkit } from '../pdf/fontkit';
import type { IndicatorReport, MissingReport, Trend } from '../../../shared/api/contract';
import { AppFailure } from '../../../shared/api/errors';
import type { IndicatorMeasure, Scorecard } from '../../../shared/domain/scorecard';
import { VIETNAM_UTC_OFFSET_MS } from '../../../shared/domain/working-days';
import { readUnitSettings } from '../config/unit-settings';
import type { Db } from '../db/database';
import { headingFont, textLayerFont } from '../pdf/pdf-assets';
import { lastDayOf, MISSING_LIST_CAP, trend } from './dashboard';
import { computeIndicators, missingItems } from './indicators';

export const MONTHLY_REPORT_TITLE = 'Báo cáo kết quả số hóa hồ sơ';
const RANKED = 10;

export interface MonthlyReportData {
  month: string;
  from: string;
  to: string;
  unitName: string;
  total: IndicatorReport;
  byUnit: IndicatorReport;
  byProcedure: IndicatorReport;
  trend: Trend;
  missing: { [K in keyof MissingReport]: number };
  /** Procedure names by code (the catalog's latest version that has the code). */
  procedureNames: Map<string, string>;
  /** What each indicator id counts (from the scorecard file). */
  measures: Record<string, IndicatorMeasure>;
  madeAt: Date;
}

/** The twelve months ending with `month` (`YYYY-MM`). */
function yearBefore(month: string): string {
  const [y, m] = month.split('-').map(Number) as [number, number];
  return new Date(Date.UTC(y, m - 12, 1)).toISOString().slice(0, 10);
}

export function monthlyReportData(db: Db, scorecard: Scorecard, month: string): MonthlyReportData {
  if (!/^\d{4}-(0[1-9]|1[0-2])$/.test(month)) {
    throw new AppFailure('VALIDATION', 'Tháng phải có dạng YYYY-MM.', 'The month must be YYYY-MM.', 'month');
  }
  const from = `${month}-01`;
  const to = lastDayOf(month);
  const lists = missingItems(db, { from, to, limit: MISSING_LIST_CAP });
  return {
    month,
    from,
    to,
    unitName: readUnitSettings(db).unitName.trim(),
    total: computeIndicators(db, scorecard, { from, to }),
    byUnit: computeIndicators(db, scorecard, { from, to, by: 'unit' }),
    byProcedure: computeIndicators(db, scorecard, { from, to, by: 'procedure' }),
    trend: trend(db, scorecard, { from: yearBefore(month), to }),
    missing: {
      withoutFiles: lists.withoutFiles.length,
      resultsNotDigitized: lists.resultsNotDigitized.length,
      missedReuse: lists.missedReuse.length,
      pendingApproval: lists.pendingApproval.length,
    },
    procedureNames: new Map(
      (
        db.prepare('SELECT code, name FROM catalog_procedures ORDER BY version_id').all() as {
          code: string;
          name: string;
        }[]
      ).map((p) => [p.code, p.name]),
    ),
    measures: Object.fromEntries(scorecard.indicators.map((i) => [i.id, i.measure])),
    madeAt: new Date(),
  };
}

/** Numbers as Vietnamese write them: a decimal comma. */
export function viNumber(value: number, places = 2): string {
  return String(Math.round(value * 10 ** places) / 10 ** places).replace('.', ',');
}

export function viPercent(rate: number | null): string {
  return rate === null ? '—' : `${(rate * 100).toFixed(1).replace('.', ',')} %`;
}

const viDay = (isoDay: string): string => `${isoDay.slice(8, 10)}/${isoDay.slice(5, 7)}/${isoDay.slice(0, 4)}`;

const [PAGE_WIDTH, PAGE_HEIGHT] = PageSizes.A4;
const MARGIN = 48;
const CONTENT_WIDTH = PAGE_WIDTH - 2 * MARGIN;
const SIZE = 9.5;
const LINE = 14;
const BLACK = rgb(0, 0, 0);
const GREY = rgb(0.45, 0.45, 0.45);
const LIGHT = rgb(0.85, 0.85, 0.85);
/** Two series that stay apart in greyscale print too. */
const DIGITIZED_COLOUR = rgb(0.12, 0.38, 0.68);
const REUSED_COLOUR = rgb(0.93, 0.55, 0.13);
const TARGET_COLOUR = rgb(0.75, 0.1, 0.1);

class Sheet {
  page: PDFPage;
  y = PAGE_HEIGHT - MARGIN;

  constructor(
    private readonly doc: PDFDocument,
    readonly regular: PDFFont,
    readonly bold: PDFFont,
  ) {
    this.page = doc.addPage(PageSizes.A4);
  }

  ensure(height: number): void {
    if (this.y - height >= MARGIN) return;
    this.page = this.doc.addPage(PageSizes.A4);
    this.y = PAGE_HEIGHT - MARGIN;
  }

  width(text: string, size = SIZE, bold = false): number {
    return (bold ? this.bold : this.regular).widthOfTextAtSize(text, size);
  }

  text(text: string, x: number, y: number, o: { size?: number; bold?: boolean; color?: RGB } = {}): void {
    this.page.drawText(text, {
      x,
      y,
      size: o.size ?? SIZE,
      font: o.bold ? this.bold : this.regular,
      color: o.color ?? BLACK,
    });
  }

  centered(text: string, o: { size?: number; bold?: boolean } = {}): void {
    this.text(text, PAGE_WIDTH / 2 - this.width(text, o.size, o.bold) / 2, this.y, o);
  }

  /** Cuts text to fit a column, with an ellipsis. */
  fit(text: string, width: number, bold = false): string {
    if (this.width(text, SIZE, bold) <= width) return text;
    let cut = text.length;
    while (cut > 1 && this.width(`${text.slice(0, cut)}…`, SIZE, bold) > width) cut--;
    return `${text.slice(0, cut)}…`;
  }

  line(x1: number, y1: number, x2: number, y2: number, o: { thickness?: number; color?: RGB; dash?: number[] } = {}) {
    this.page.drawLine({
      start: { x: x1, y: y1 },
      end: { x: x2, y: y2 },
      thickness: o.thickness ?? 0.5,
      color: o.color ?? BLACK,
      ...(o.dash ? { dashArray: o.dash } : {}),
    });
  }

  heading(text: string): void {
    this.ensure(LINE * 3);
    this.y -= 8;
    this.text(text, MARGIN, this.y, { size: 11, bold: true });
    this.y -= LINE + 2;
  }

  /** A ruled table; `widths` are shares of the content width, numbers right-aligned. */
  table(header: string[], rows: string[][], widths: number[], numeric: boolean[]): void {
    const xs = [MARGIN];
    for (const w of widths) xs.push((xs.at(-1) ?? MARGIN) + w * CONTENT_WIDTH);
    const drawRow = (cells: string[], bold: boolean): void => {
      this.ensure(LINE + 4);
      const top = this.y + LINE - 3;
      cells.forEach((cell, i) => {
        const x0 = xs[i] ?? MARGIN;
        const x1 = xs[i + 1] ?? MARGIN;
        const shown = this.fit(cell, x1 - x0 - 6, bold);
        const x = numeric[i] ? x1 - 3 - this.width(shown, SIZE, bold) : x0 + 3;
        this.text(shown, x, this.y, { bold });
      });
      this.line(MARGIN, top, MARGIN + CONTENT_WIDTH, top, { color: bold ? BLACK : LIGHT });
      this.y -= LINE;
    };
    drawRow(header, true);
    for (const row of rows) drawRow(row, false);
    this.line(MARGIN, this.y + LINE - 3, MARGIN + CONTENT_WIDTH, this.y + LINE - 3);
    this.y -= 4;
  }
}

/** An indicator's count and rate in a row; null for what SoHoa does not record. */
function measured(measure: IndicatorMeasure | undefined, r: IndicatorReport['total']): [number, number | null] | null {
  switch (measure) {
    case 'resultsDigitized':
      return [r.resultsDigitized, r.resultsDigitizedRate];
    case 'digitized':
      return [r.digitized, r.digitizedRate];
    case 'reused':
      return [r.reused, r.reusedRate];
    case 'linkedToStore':
      return [r.linkedToStore, r.linkedToStoreRate];
    default:
      return null;
  }
}

function ranking(
  sheet: Sheet,
  report: IndicatorReport,
  title: string,
  groupLabel: string,
  nameOf: (group: string) => string = (group) => group,
): void {
  sheet.heading(title);
  const rows = [...report.groups]
    .sort((a, b) => (b.points.total ?? -1) - (a.points.total ?? -1) || b.received - a.received)
    .slice(0, RANKED);
  if (rows.length === 0) {
    sheet.text('Không có hồ sơ tiếp nhận trong tháng.', MARGIN, sheet.y);
    sheet.y -= LINE;
    return;
  }
  sheet.table(
    ['Hạng', groupLabel, 'Tiếp nhận', 'Số hóa', 'Tái sử dụng', 'Tổng điểm'],
    rows.map((r, i) => [
      String(i + 1),
      r.group ? nameOf(r.group) : '(không rõ)',
      String(r.received),
      viPercent(r.digitizedRate),
      viPercent(r.reusedRate),
      r.points.total === null || r.points.total === undefined ? '—' : viNumber(r.points.total),
    ]),
    [0.07, 0.41, 0.13, 0.13, 0.13, 0.13],
    [true, false, true, true, true, true],
  );
}

/** Bars of the digitized and reused rates per month, with the 80 % full-points line. */
function trendChart(sheet: Sheet, data: MonthlyReportData): void {
  const height = 170;
  const labelWidth = 34;
  sheet.ensure(height + 50);
  const top = sheet.y;
  const bottom = top - height;
  const left = MARGIN + labelWidth;
  const right = MARGIN + CONTENT_WIDTH;
  const yOf = (rate: number): number => bottom + rate * height;
  for (const tick of [0, 0.2, 0.4, 0.6, 0.8, 1]) {
    sheet.line(left, yOf(tick), right, yOf(tick), { color: LIGHT });
    const label = `${tick * 100} %`;
    sheet.text(label, left - 4 - sheet.width(label, 7), yOf(tick) - 2.5, { size: 7, color: GREY });
  }
  const digitizedId = Object.keys(data.measures).find((id) => data.measures[id] === 'digitized');
  const threshold = data.total.scorecard.indicators.find((i) => i.id === digitizedId)?.fullPointsAt ?? 0.8;
  const months = data.trend.months;
  const slot = (right - left) / Math.max(1, months.length);
  const bar = Math.min(14, slot * 0.35);
  months.forEach((m, i) => {
    const x = left + i * slot + slot / 2;
    const series: [number | null, RGB][] = [
      [m.row.digitizedRate, DIGITIZED_COLOUR],
      [m.row.reusedRate, REUSED_COLOUR],
    ];
    series.forEach(([rate, colour], k) => {
      if (rate === null || rate <= 0) return;
      sheet.page.drawRectangle({
        x: x - bar + k * bar,
        y: bottom,
        width: bar - 1,
        height: rate * height,
        color: colour,
      });
    });
    const label = `${m.month.slice(5, 7)}/${m.month.slice(2, 4)}`;
    sheet.text(label, x - sheet.width(label, 7) / 2, bottom - 10, { size: 7 });
  });
  sheet.line(left, yOf(threshold), right, yOf(threshold), { color: TARGET_COLOUR, thickness: 1, dash: [4, 2] });
  sheet.line(left, bottom, right, bottom);
  sheet.line(left, bottom, left, top);
  // Legend under the axis.
  let x = left;
  const legendY = bottom - 26;
  const legend: [string, RGB, boolean][] = [
    ['Tỷ lệ hồ sơ số hóa', DIGITIZED_COLOUR, false],
    ['Tỷ lệ tái sử dụng', REUSED_COLOUR, false],
    [`Ngưỡng đạt điểm tối đa ${Math.round(threshold * 100)} %`, TARGET_COLOUR, true],
  ];
  for (const [label, colour, dashed] of legend) {
    if (dashed) sheet.line(x, legendY + 3, x + 14, legendY + 3, { color: colour, thickness: 1, dash: [4, 2] });
    else sheet.page.drawRectangle({ x, y: legendY, width: 10, height: 7, color: colour });
    sheet.text(label, x + 18, legendY, { size: 8 });
    x += 18 + sheet.width(label, 8) + 18;
  }
  sheet.y = legendY - LINE - 4;
}

function vietnamClock(at: Date): string {
  const iso = new Date(at.getTime() + VIETNAM_UTC_OFFSET_MS).toISOString();
  return `${iso.slice(11, 16)} ngày ${viDay(iso.slice(0, 10))}`;
}

export async function renderMonthlyReportPdf(
  data: MonthlyReportData,
): Promise<{ bytes: Uint8Array; pageCount: number }> {
  const doc = await PDFDocument.create();
  doc.registerFontkit(await loadFontkit());
  const regular = await doc.embedFont(await textLayerFont(), { subset: true });
  const bold = await doc.embedFont(await headingFont(), { subset: true });
  const monthText = `${data.month.slice(5, 7)}/${data.month.slice(0, 4)}`;
  doc.setTitle(`${MONTHLY_REPORT_TITLE} tháng ${monthText}`);
  doc.setSubject(`Chỉ số số hóa theo ${data.total.scorecard.decision}`);
  doc.setCreator('SoHoa 0.1.0');
  doc.setProducer('SoHoa 0.1.0 (pdf-lib 1.17.1)');
  doc.setCreationDate(data.madeAt);
  doc.setLanguage('vi-VN');

  const s = new Sheet(doc, regular, bold);
  if (data.unitName) {
    s.centered(data.unitName.toLocaleUpperCase('vi'), { size: 10, bold: true });
    s.y -= LINE + 4;
  }
  s.centered(`${MONTHLY_REPORT_TITLE} tháng ${monthText}`.toLocaleUpperCase('vi'), { size: 14, bold: true });
  s.y -= LINE + 2;
  s.centered(`Kỳ báo cáo: từ ngày ${viDay(data.from)} đến ngày ${viDay(data.to)}`, { size: 10 });
  s.y -= LINE;
  const card = data.total.scorecard;
  s.centered(`Chỉ số theo ${card.decision}, bộ chỉ số phiên bản ${card.version}`, { size: 8.5 });
  s.y -= LINE + 4;

  const total = data.total.total;
  s.heading('1. Chỉ số số hóa của đơn vị');
  s.text(`Tổng số hồ sơ tiếp nhận trong kỳ: ${total.received}`, MARGIN, s.y);
  s.y -= LINE + 4;
  s.table(
    ['Chỉ số', 'Nội dung', 'Số hồ sơ', 'Tỷ lệ', 'Điểm'],
    card.indicators.map((i) => {
      const [count, rate] = measured(data.measures[i.id], total) ?? [null, null];
      const points = total.points[i.id];
      return [
        i.id,
        i.nameVi,
        count === null ? '—' : String(count),
        i.measured ? viPercent(rate) : 'chưa đo',
        `${points === null || points === undefined ? '—' : viNumber(points)} / ${viNumber(i.maxPoints)}`,
      ];
    }),
    [0.08, 0.5, 0.12, 0.13, 0.17],
    [false, false, true, true, true],
  );
  const maxTotal = card.indicators.filter((i) => i.measured).reduce((sum, i) => sum + i.maxPoints, 0);
  s.text(
    `Tổng điểm các chỉ số đo được: ${total.points.total === null || total.points.total === undefined ? '—' : viNumber(total.points.total)} / ${viNumber(maxTotal)}`,
    MARGIN,
    s.y,
    { bold: true },
  );
  s.y -= LINE;

  s.heading('2. Xu hướng 12 tháng');
  trendChart(s, data);

  ranking(s, data.byUnit, '3. Xếp hạng theo đơn vị tiếp nhận', 'Đơn vị');
  ranking(s, data.byProcedure, '4. Xếp hạng theo thủ tục', 'Thủ tục', (code) => {
    const name = data.procedureNames.get(code);
    return name ? `${code} ${name}` : code;
  });

  s.heading('5. Việc cần làm');
  const capped = (n: number): string => (n >= MISSING_LIST_CAP ? `≥ ${n}` : String(n));
  s.table(
    ['Danh sách', 'Số lượng'],
    [
      ['Hồ sơ còn thành phần chưa có tệp', capped(data.missing.withoutFiles)],
      ['Kết quả giấy chưa số hóa', capped(data.missing.resultsNotDigitized)],
      ['Quét lại dù đã có bản số hóa còn hiệu lực', capped(data.missing.missedReuse)],
      ['Đang chờ phê duyệt (tại thời điểm lập)', capped(data.missing.pendingApproval)],
    ],
    [0.8, 0.2],
    [false, true],
  );

  s.ensure(LINE * 2);
  s.y -= LINE;
  s.text(`Lập lúc ${vietnamClock(data.madeAt)} bằng SoHoa.`, MARGIN, s.y, { size: 8, color: GREY });

  const pages = doc.getPages();
  pages.forEach((page, i) => {
    const label = `Trang ${i + 1}/${pages.length}`;
    page.drawText(label, {
      x: PAGE_WIDTH - MARGIN - regular.widthOfTextAtSize(label, 8),
      y: MARGIN / 2,
      size: 8,
      font: regular,
      color: GREY,
    });
  });
  const bytes = await doc.save({ useObjectStreams: false });
  return { bytes, pageCount: doc.getPageCount() };
}
