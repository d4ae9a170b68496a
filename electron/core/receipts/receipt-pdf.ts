/**
 * Draws the reception receipt (Mẫu 01, Giấy tiếp nhận hồ sơ và hẹn trả kết quả) on an A5 page:
 * text in Be Vietnam Pro (every Vietnamese letter precomposed, so the PDF's text reads back as
 * NFC Vietnamese), the dossier code as a Code 128 barcode and as a QR code for status lookup,
 * both drawn as vector rectangles so they print sharp at any printer resolution.
 */
import { PageSizes, PDFDocument, rgb, type PDFFont, type PDFPage } from 'pdf-lib';
import { loadFontkit } from '../pdf/fontkit';
import { headingFont, textLayerFont } from '../pdf/pdf-assets';
import { drawQrCode } from '../pdf/qr-drawing';
import { encodeCode128 } from './code128';

export interface ReceiptComponent {
  name: string;
  originals: number;
  copies: number;
  /** Marked missing by the clerk: printed so the citizen sees what is still owed. */
  missing: boolean;
}

export interface ReceiptData {
  unitName: string;
  dossierCode: string;
  /** Register book (the reception day, YYMMDD) and number in it (the code's sequence). */
  registerBook: string;
  registerNo: string;
  ownerName: string;
  submitterName: string;
  address: string | null;
  phone: string | null;
  idNumber: string;
  procedureName: string;
  procedureCode: string;
  components: ReceiptComponent[];
  sets: number;
  processingDays: number | null;
  /** When the dossier was received (an instant; printed in Vietnam time). */
  receivedAt: Date;
  /** `YYYY-MM-DD`, or null when the procedure states no processing time. */
  promisedReturnDate: string | null;
  collectAt: string;
  officerName: string;
}

export const RECEIPT_TITLE = 'Giấy tiếp nhận hồ sơ và hẹn trả kết quả';

const [PAGE_WIDTH, PAGE_HEIGHT] = PageSizes.A5;
const MARGIN = 28;
const CONTENT_WIDTH = PAGE_WIDTH - 2 * MARGIN;
const SIZE = 8.5;
const LINE = 11.5;
const BLACK = rgb(0, 0, 0);
const VIETNAM_OFFSET_MS = 7 * 3_600_000;

/** dd/mm/yyyy from `YYYY-MM-DD`. */
export function vietnameseDay(isoDay: string): string {
  const [y, m, d] = isoDay.split('-');
  return `${d}/${m}/${y}`;
}

function vietnamParts(at: Date): { day: string; month: string; year: string; hour: string; minute: string } {
  const iso = new Date(at.getTime() + VIETNAM_OFFSET_MS).toISOString();
  return {
    year: iso.slice(0, 4),
    month: iso.slice(5, 7),
    day: iso.slice(8, 10),
    hour: iso.slice(11, 13),
    minute: iso.slice(14, 16),
  };
}

/** Splits text into lines no wider than `width` (a word longer than a line is cut). */
function wrap(text: string, font: PDFFont, size: number, width: number): string[] {
  const lines: string[] = [];
  let current = '';
  for (const word of text.split(/\s+/).filter(Boolean)) {
    const candidate = current ? `${current} ${word}` : word;
    if (font.widthOfTextAtSize(candidate, size) <= width) {
      current = candidate;
      continue;
    }
    if (current) lines.push(current);
    let rest = word;
    while (font.widthOfTextAtSize(rest, size) > width && rest.length > 1) {
      let cut = rest.length - 1;
      while (cut > 1 && font.widthOfTextAtSize(rest.slice(0, cut), size) > width) cut--;
      lines.push(rest.slice(0, cut));
      rest = rest.slice(cut);
    }
    current = rest;
  }
  if (current || lines.length === 0) lines.push(current);
  return lines;
}

/** A cursor down the page that starts a new A5 page when the next block does not fit. */
class Writer {
  page: PDFPage;
  y: number;

  constructor(
    private readonly doc: PDFDocument,
    readonly regular: PDFFont,
    readonly bold: PDFFont,
  ) {
    this.page = doc.addPage(PageSizes.A5);
    this.y = PAGE_HEIGHT - MARGIN;
  }

  ensure(height: number): void {
    if (this.y - height >= MARGIN) return;
    this.page = this.doc.addPage(PageSizes.A5);
    this.y = PAGE_HEIGHT - MARGIN;
  }

  text(text: string, x: number, y: number, options: { size?: number; bold?: boolean } = {}): void {
    this.page.drawText(text, {
      x,
      y,
      size: options.size ?? SIZE,
      font: options.bold ? this.bold : this.regular,
      color: BLACK,
    });
  }

  centered(text: string, centerX: number, options: { size?: number; bold?: boolean } = {}): void {
    const font = options.bold ? this.bold : this.regular;
    const width = font.widthOfTextAtSize(text, options.size ?? SIZE);
    this.text(text, centerX - width / 2, this.y, options);
  }

  /** "Label: value" with the value wrapped under itself; a dotted line when the value is blank. */
  field(label: string, value: string | null): void {
    const labelText = `${label}: `;
    const labelWidth = this.regular.widthOfTextAtSize(labelText, SIZE);
    const shown = value && value.trim() ? value.trim() : '.'.repeat(60);
    const lines = wrap(shown, this.bold, SIZE, CONTENT_WIDTH - labelWidth);
    this.ensure(lines.length * LINE);
    this.text(labelText, MARGIN, this.y);
    for (const line of lines) {
      this.text(line, MARGIN + labelWidth, this.y, { bold: Boolean(value && value.trim()) });
      this.y -= LINE;
    }
  }

  rect(x: number, y: number, width: number, height: number): void {
    this.page.drawRectangle({ x, y, width, height, color: BLACK });
  }

  line(x1: number, y1: number, x2: number, y2: number): void {
    this.page.drawLine({ start: { x: x1, y: y1 }, end: { x: x2, y: y2 }, thickness: 0.5, color: BLACK });
  }
}

/** The dossier code as Code 128 bars, `height` tall, at most `maxWidth` wide (quiet zones included). */
function drawBarcode(w: Writer, code: string, x: number, top: number, maxWidth: number, height: number): number {
  const symbol = encodeCode128(code);
  // 10 modules of quiet zone each side; a module no narrower than 0.75 pt (about 2 px at 200 dpi).
  const module = Math.max(0.75, Math.min(1.2, maxWidth / (symbol.modules + 20)));
  let cursor = x + 10 * module;
  symbol.widths.forEach((width, index) => {
    if (index % 2 === 0) w.rect(cursor, top - height, width * module, height);
    cursor += width * module;
  });
  return cursor + 10 * module - x;
}

const pad2 = (n: number): string => String(n).padStart(2, '0');

export async function renderReceiptPdf(data: ReceiptData): Promise<{ bytes: Uint8Array; pageCount: number }> {
  const doc = await PDFDocument.create();
  doc.registerFontkit(await loadFontkit());
  const regular = await doc.embedFont(await textLayerFont(), { subset: true });
  const bold = await doc.embedFont(await headingFont(), { subset: true });
  const received = vietnamParts(data.receivedAt);
  doc.setTitle(`${RECEIPT_TITLE} — ${data.dossierCode}`);
  doc.setSubject(`Mẫu 01 — ${data.dossierCode}`);
  doc.setCreator('SoHoa 0.1.0');
  doc.setProducer('SoHoa 0.1.0 (pdf-lib 1.17.1)');
  doc.setCreationDate(new Date());
  doc.setLanguage('vi-VN');

  const w = new Writer(doc, regular, bold);
  const left = MARGIN + CONTENT_WIDTH * 0.22;
  const right = MARGIN + CONTENT_WIDTH * 0.7;
  const top = w.y - 8;

  // Header: the unit on the left, the national motto on the right.
  const unitLines = wrap(data.unitName.toLocaleUpperCase('vi') || '.'.repeat(30), bold, 7.5, CONTENT_WIDTH * 0.44);
  w.y = top;
  for (const line of unitLines) {
    w.centered(line, left, { size: 7.5, bold: true });
    w.y -= 10;
  }
  const leftBottom = w.y;
  w.y = top;
  w.centered('CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM', right, { size: 7.5, bold: true });
  w.y -= 10;
  w.centered('Độc lập - Tự do - Hạnh phúc', right, { size: 8, bold: true });
  w.y -= 14;
  w.centered(`ngày ${received.day} tháng ${received.month} năm ${received.year}`, right, { size: 8 });
  w.y = Math.min(leftBottom, w.y) - 16;

  w.centered(RECEIPT_TITLE.toLocaleUpperCase('vi'), PAGE_WIDTH / 2, { size: 11, bold: true });
  w.y -= 16;

  // The code, its barcode, and the QR for status lookup at the right.
  const qrSize = 70;
  const blockTop = w.y + 6;
  w.text('Mã hồ sơ: ', MARGIN, w.y);
  w.text(data.dossierCode, MARGIN + regular.widthOfTextAtSize('Mã hồ sơ: ', SIZE), w.y, { bold: true });
  w.y -= 6;
  drawBarcode(w, data.dossierCode, MARGIN - 8, w.y, CONTENT_WIDTH - qrSize - 8, 30);
  w.y -= 42;
  w.text('(Quét mã QR để tra cứu tình trạng hồ sơ)', MARGIN, w.y, { size: 7 });
  drawQrCode(w.page, data.dossierCode, {
    x: PAGE_WIDTH - MARGIN - qrSize + 4,
    top: blockTop,
    size: qrSize,
    errorCorrection: 'M',
  });
  w.y = Math.min(w.y, blockTop - qrSize) - LINE;

  w.field('Bộ phận tiếp nhận và trả kết quả', data.unitName || null);
  w.field('Tiếp nhận hồ sơ của', data.submitterName);
  w.field('Chủ hồ sơ', data.ownerName);
  w.field('Số CCCD/Hộ chiếu', data.idNumber);
  w.field('Địa chỉ', data.address);
  w.field('Số điện thoại', data.phone);
  w.field('Nội dung yêu cầu giải quyết', `${data.procedureName} (mã thủ tục ${data.procedureCode})`);

  // The components table: number, name, originals, copies.
  const cols = [MARGIN, MARGIN + 22, MARGIN + CONTENT_WIDTH - 96, MARGIN + CONTENT_WIDTH - 48, MARGIN + CONTENT_WIDTH];
  const nameWidth = (cols[2] ?? 0) - (cols[1] ?? 0) - 6;
  const row = (cells: string[], lines: string[], options: { bold?: boolean } = {}): void => {
    const height = lines.length * LINE + 4;
    w.ensure(height);
    const rowTop = w.y + LINE - 2;
    w.line(MARGIN, rowTop, MARGIN + CONTENT_WIDTH, rowTop);
    let y = w.y;
    for (const line of lines) {
      w.text(line, (cols[1] ?? 0) + 3, y, options);
      y -= LINE;
    }
    cells.forEach((cell, i) => {
      const colIndex = i === 0 ? 0 : i + 1;
      const x0 = cols[colIndex] ?? 0;
      const x1 = cols[colIndex + 1] ?? 0;
      const font = options.bold ? bold : regular;
      w.text(cell, (x0 + x1) / 2 - font.widthOfTextAtSize(cell, SIZE) / 2, w.y, options);
    });
    const rowBottom = rowTop - height;
    for (const x of cols) w.line(x, rowTop, x, rowBottom);
    w.line(MARGIN, rowBottom, MARGIN + CONTENT_WIDTH, rowBottom);
    w.y = rowBottom - LINE + 2;
  };
  w.ensure(LINE * 2);
  w.text('Thành phần hồ sơ nộp gồm:', MARGIN, w.y);
  w.y -= LINE + 2;
  row(['STT', 'Bản chính', 'Bản sao'], ['Tên thành phần hồ sơ'], { bold: true });
  data.components.forEach((c, i) => {
    const name = c.missing ? `${c.name} (thiếu)` : c.name;
    row([String(i + 1), String(c.originals), String(c.copies)], wrap(name, regular, SIZE, nameWidth));
  });
  w.y -= 2;

  w.field('Số lượng hồ sơ', `${pad2(data.sets)} (bộ)`);
  w.field(
    'Thời gian giải quyết hồ sơ theo quy định',
    data.processingDays === null ? null : `${data.processingDays} ngày làm việc`,
  );
  w.field(
    'Thời gian nhận hồ sơ',
    `${received.hour} giờ ${received.minute} phút, ngày ${received.day}/${received.month}/${received.year}`,
  );
  w.field(
    'Thời gian trả kết quả giải quyết hồ sơ',
    data.promisedReturnDate ? `ngày ${vietnameseDay(data.promisedReturnDate)}` : null,
  );
  w.field('Nhận kết quả tại', data.collectAt);
  w.field('Vào Sổ theo dõi hồ sơ', `Quyển số ${data.registerBook}, Số thứ tự ${data.registerNo}`);

  // Signatures: the submitter on the left, the receiving officer on the right.
  w.ensure(78);
  w.y -= 6;
  const signLeft = MARGIN + CONTENT_WIDTH * 0.25;
  const signRight = MARGIN + CONTENT_WIDTH * 0.75;
  w.centered('NGƯỜI NỘP HỒ SƠ', signLeft, { bold: true });
  w.centered('NGƯỜI TIẾP NHẬN HỒ SƠ', signRight, { bold: true });
  w.y -= 10;
  w.centered('(Ký và ghi rõ họ tên)', signLeft, { size: 7 });
  w.centered('(Ký và ghi rõ họ tên)', signRight, { size: 7 });
  w.y -= 48;
  w.centered(data.submitterName, signLeft, { bold: true });
  w.centered(data.officerName, signRight, { bold: true });

  const bytes = await doc.save({ useObjectStreams: false });
  return { bytes, pageCount: doc.getPageCount() };
}
