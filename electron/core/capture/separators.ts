/**
 * Separator sheets: printed pages with a large QR code that tell the importer where a scanned
 * stack splits into documents, and for which dossier component each part is. The payload is
 * versioned so sheets printed today are still read after the format grows:
 *
 *   SOHOA-SEP:1:<dossier code>:<component code>     (a component of one dossier)
 *   SOHOA-SEP:1:*:*                                 (a generic "new document" sheet, any dossier)
 *
 * The same text is printed large under the code, so a clerk can read what a sheet is for.
 */
import { PageSizes, PDFDocument, rgb, type PDFFont, type PDFPage } from 'pdf-lib';
import { loadFontkit } from '../pdf/fontkit';
import sharp from 'sharp';
import { parseCccdQr } from '../../../shared/domain/cccd-qr';
import { readGreyQrCodes, QR_WORKING_SIDE } from '../imaging/qr-reader';
import { headingFont, textLayerFont } from '../pdf/pdf-assets';
import { drawQrCode } from '../pdf/qr-drawing';
import type { Raster } from './cleanup';

export const SEPARATOR_PREFIX = 'SOHOA-SEP';
export const SEPARATOR_VERSION = 1;
/** Stands for "any dossier" and "no component" (a generic new-document sheet). */
export const ANY = '*';

export interface SeparatorSheet {
  /** null: a generic sheet, valid in any dossier. */
  dossierCode: string | null;
  /** null: "new document", no component. */
  componentCode: string | null;
  /** Printed under the code; the component's name. */
  label: string;
}

export type ParsedSeparator =
  | { ok: true; dossierCode: string | null; componentCode: string | null }
  | { ok: false; message: string; messageEn: string };

/** The QR text of a sheet. Codes are percent-encoded so a ':' in an imported code cannot shift fields. */
export function separatorPayload(dossierCode: string | null, componentCode: string | null): string {
  const field = (value: string | null) => (value === null ? ANY : encodeURIComponent(value));
  return `${SEPARATOR_PREFIX}:${SEPARATOR_VERSION}:${field(dossierCode)}:${field(componentCode)}`;
}

export function isSeparatorText(text: string): boolean {
  return text.trim().startsWith(`${SEPARATOR_PREFIX}:`);
}

/** Reads a sheet's QR text; a sheet from a newer SoHoa is refused rather than guessed at. */
export function parseSeparatorPayload(text: string): ParsedSeparator {
  const parts = text.trim().split(':');
  if (parts[0] !== SEPARATOR_PREFIX || parts.length < 4) {
    return {
      ok: false,
      message: 'Mã QR trên tờ phân tách không đúng định dạng của SoHoa.',
      messageEn: 'The separator sheet QR code is not in the SoHoa format.',
    };
  }
  if (parts[1] !== String(SEPARATOR_VERSION)) {
    return {
      ok: false,
      message: 'Tờ phân tách được in từ phiên bản SoHoa khác (mới hơn); hãy in lại tờ phân tách từ máy này.',
      messageEn: 'The separator sheet was printed by another (newer) SoHoa version; print it again from this computer.',
    };
  }
  try {
    const field = (value: string) => (value === ANY ? null : decodeURIComponent(value));
    return { ok: true, dossierCode: field(parts[2] ?? ANY), componentCode: field(parts.slice(3).join(':')) };
  } catch {
    return {
      ok: false,
      message: 'Mã QR trên tờ phân tách bị hỏng.',
      messageEn: 'The separator sheet QR code is damaged.',
    };
  }
}

/** What a stack page says about where documents start. */
export type PageMarker =
  { kind: 'separator'; separator: ParsedSeparator } | { kind: 'idCard'; citizenId: string } | null;

/**
 * Looks for a separator sheet's QR code or a chip ID card's on a decoded page. A separator wins
 * over a card (a sheet is only ever a sheet). The card's content is personal data: only its ID
 * number leaves this function, and it is never logged.
 */
export async function detectPageMarker(raster: Raster): Promise<PageMarker> {
  const scale = Math.min(1, QR_WORKING_SIDE / Math.max(raster.width, raster.height));
  let image = sharp(raster.data, { raw: { width: raster.width, height: raster.height, channels: raster.channels } });
  if (scale < 1) image = image.resize({ width: Math.max(1, Math.round(raster.width * scale)), kernel: 'lanczos3' });
  const { data, info } = await image.greyscale().raw().toBuffer({ resolveWithObject: true });
  let grey: Uint8Array = data;
  if (info.channels !== 1) {
    grey = new Uint8Array(info.width * info.height);
    for (let i = 0; i < grey.length; i++) grey[i] = data[i * info.channels] ?? 255;
  }
  const codes = await readGreyQrCodes({ data: grey, width: info.width, height: info.height });
  const separator = codes.find((code) => isSeparatorText(code.text));
  if (separator) return { kind: 'separator', separator: parseSeparatorPayload(separator.text) };
  for (const code of codes) {
    const card = parseCccdQr(code.text);
    if (card.ok) return { kind: 'idCard', citizenId: card.id };
  }
  return null;
}

const [PAGE_WIDTH, PAGE_HEIGHT] = PageSizes.A4;
const MARGIN = 48;
const BLACK = rgb(0, 0, 0);
const QR_SIZE = 300;

function wrap(text: string, font: PDFFont, size: number, width: number): string[] {
  const lines: string[] = [];
  let current = '';
  for (const word of text.split(/\s+/).filter(Boolean)) {
    const candidate = current ? `${current} ${word}` : word;
    if (font.widthOfTextAtSize(candidate, size) <= width || current === '') current = candidate;
    else {
      lines.push(current);
      current = word;
    }
  }
  if (current) lines.push(current);
  return lines;
}

/** Largest size at most `max` at which `text` fits `width` on one line (long dossier codes). */
function fitting(text: string, font: PDFFont, max: number, width: number): number {
  let size = max;
  while (size > 8 && font.widthOfTextAtSize(text, size) > width) size -= 1;
  return size;
}

function centered(page: PDFPage, text: string, font: PDFFont, size: number, y: number): void {
  page.drawText(text, { x: (PAGE_WIDTH - font.widthOfTextAtSize(text, size)) / 2, y, size, font, color: BLACK });
}

/** One A4 page per sheet: heading, a large QR code, what it is for in large type, and how to use it. */
export async function renderSeparatorPdf(
  sheets: readonly SeparatorSheet[],
  title: string,
): Promise<{ bytes: Uint8Array; pageCount: number }> {
  const doc = await PDFDocument.create();
  doc.registerFontkit(await loadFontkit());
  const regular = await doc.embedFont(await textLayerFont(), { subset: true });
  const bold = await doc.embedFont(await headingFont(), { subset: true });
  doc.setTitle(title);
  doc.setCreator('SoHoa 0.1.0');
  doc.setProducer('SoHoa 0.1.0 (pdf-lib 1.17.1)');
  doc.setCreationDate(new Date());
  doc.setLanguage('vi-VN');
  const width = PAGE_WIDTH - 2 * MARGIN;

  for (const sheet of sheets) {
    const page = doc.addPage(PageSizes.A4);
    let y = PAGE_HEIGHT - MARGIN - 20;
    centered(page, 'TỜ PHÂN TÁCH TÀI LIỆU', bold, 26, y);
    y -= 22;
    centered(page, 'SoHoa — đặt tờ này ngay trước các trang của tài liệu', regular, 12, y);
    y -= 24;
    const payload = separatorPayload(sheet.dossierCode, sheet.componentCode);
    drawQrCode(page, payload, { x: (PAGE_WIDTH - QR_SIZE) / 2, top: y, size: QR_SIZE, errorCorrection: 'H' });
    y -= QR_SIZE + 30;
    for (const line of wrap(sheet.label, bold, 30, width)) {
      centered(page, line, bold, 30, y);
      y -= 36;
    }
    y -= 6;
    if (sheet.componentCode !== null) {
      centered(page, `Mã thành phần: ${sheet.componentCode}`, bold, 18, y);
      y -= 26;
    }
    const dossierLine = sheet.dossierCode ? `Hồ sơ: ${sheet.dossierCode}` : 'Dùng cho mọi hồ sơ';
    centered(page, dossierLine, bold, fitting(dossierLine, bold, 22, width), y);
    y -= 34;
    centered(page, payload, regular, fitting(payload, regular, 13, width), y);
    // The foot: what the app does with the sheet, for whoever loads the scanner.
    const foot = [
      'Tờ này không được lưu vào hồ sơ: phần mềm chỉ dùng nó để tách tập giấy quét.',
      'Các trang sau tờ này thuộc một tài liệu mới, cho đến tờ phân tách tiếp theo.',
    ];
    let footY = MARGIN + 14;
    for (const line of [...foot].reverse()) {
      centered(page, line, regular, 10.5, footY);
      footY += 15;
    }
  }
  const bytes = await doc.save({ useObjectStreams: false });
  return { bytes, pageCount: doc.getPageCount() };
}
