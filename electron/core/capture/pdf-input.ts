/**
 * PDF input through MuPDF's WASM build (`mupdf` on npm), page by page.
 *
 * Why MuPDF and not pdf.js (`pdfjs-dist` 5.6, the last for Node 20): measured on the same mixed
 * scanner PDF (colour JPEG pages at 300 dpi, CCITT G4 pages at 200 dpi), rendered at native
 * resolution: MuPDF 64 ms a page and 271 MB peak RSS for 120 pages, flat; pdf.js 302 ms a page and
 * 500 MB, growing with the file (it holds the whole file, needs @napi-rs/canvas, and falls back to a
 * JS CCITT decoder). Both were pixel-exact on CCITT; on JPEG MuPDF was exact, pdf.js off by one
 * level here and there. MuPDF also reads the file through a callback, so a 300-page PDF is never
 * loaded whole. Its licence is AGPL-3.0 (pdf.js: Apache-2.0): the renderer sits behind this one
 * module so it can be swapped if the distribution terms require.
 */
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import type * as mupdfTypes from 'mupdf';
import type { PDFDocument as PdfDocument, PDFObject as PdfObject, PDFPage, Stream } from 'mupdf';
import { AppFailure } from '../../../shared/api/errors';
import type { Raster } from './cleanup';
import { MAX_INPUT_PIXELS } from './image-input';

type MupdfModule = typeof mupdfTypes;

/** Pages with no image (born-digital) are rendered at this resolution. */
const VECTOR_DPI = 200;
const MIN_DPI = 72;
const MAX_DPI = 600;

let loading: Promise<MupdfModule> | null = null;
/** The WASM module (10 MB) is loaded on the first PDF, not at start. */
function loadMupdf(): Promise<MupdfModule> {
  loading ??= import('mupdf').then((mupdf) => {
    // MuPDF writes warnings about damaged files on stdout by default: stdout is the CLI's data.
    mupdf.setLog({ error: () => undefined, warning: () => undefined });
    return mupdf;
  });
  return loading;
}

export interface PdfWord {
  t: string;
  c: number;
  b: [number, number, number, number];
}

export interface PdfPage {
  pageNo: number;
  raster: Raster;
  dpi: number;
  /** Every image on the page is 1-bit (a bilevel scan). */
  bilevel: boolean;
  /** The page is one DCT image drawn upright over the whole page: its JPEG bytes, as scanned. */
  jpeg: Buffer | null;
  /** The text layer, if any, with word boxes in raster pixels. */
  text: string;
  words: PdfWord[];
}

function refuse(message: string, messageEn: string): never {
  throw new AppFailure('UNSUPPORTED_FILE', message, messageEn);
}

export class PdfSource {
  private constructor(
    private readonly mupdf: MupdfModule,
    private readonly doc: PdfDocument,
    private readonly stream: Stream,
    private readonly closeFile: () => void,
    readonly pageCount: number,
  ) {}

  /** Opens a PDF and refuses it, before any page is rendered, when it cannot be imported safely. */
  static async open(file: string): Promise<PdfSource> {
    const mupdf = await loadMupdf();
    const fd = openSync(file, 'r');
    const size = fstatSync(fd).size;
    // Closed exactly once, by whoever comes first (MuPDF's stream or us): a second close could hit
    // a descriptor number the process has reused meanwhile.
    let closed = false;
    const closeFile = (): void => {
      if (!closed) closeSync(fd);
      closed = true;
    };
    const stream = new mupdf.Stream({
      fileSize: () => size,
      read: (memory, offset, length, position) => (closed ? 0 : readSync(fd, memory, offset, length, position)),
      close: closeFile,
    });
    let doc: PdfDocument | null = null;
    try {
      if (!endsWithEof(fd, size))
        refuse(
          'Tệp PDF không đầy đủ (bị cắt cụt khi sao chép hoặc quét chưa xong).',
          'The PDF is incomplete (cut short while copying or scanning).',
        );
      try {
        const opened = mupdf.Document.openDocument(stream, 'application/pdf');
        doc = opened.asPDF();
        if (!doc) throw new Error('not a PDF');
      } catch (error) {
        if (error instanceof AppFailure) throw error;
        refuse('Tệp PDF bị hỏng, không đọc được.', 'The PDF is damaged and cannot be read.');
      }
      if (doc.needsPassword())
        refuse(
          'Tệp PDF có mật khẩu. Hãy lưu bản không mật khẩu (hoặc quét lại) rồi nhập.',
          'The PDF is password-protected. Save a copy without a password (or rescan) and import that.',
        );
      if (!doc.getTrailer().get('Encrypt').isNull())
        refuse(
          'Tệp PDF được mã hóa (có giới hạn quyền). Hãy lưu bản không mã hóa rồi nhập.',
          'The PDF is encrypted (with permission limits). Save an unencrypted copy and import that.',
        );
      if (hasActiveContent(doc))
        refuse(
          'Tệp PDF chứa mã JavaScript hoặc lệnh chạy chương trình; vì an toàn, không nhập tệp này.',
          'The PDF carries JavaScript or launch actions; it is refused for safety.',
        );
      let count = 0;
      try {
        count = doc.countPages();
      } catch {
        refuse('Tệp PDF bị hỏng, không đọc được.', 'The PDF is damaged and cannot be read.');
      }
      if (count === 0) refuse('Tệp PDF không có trang nào.', 'The PDF has no pages.');
      return new PdfSource(mupdf, doc, stream, closeFile, count);
    } catch (error) {
      doc?.destroy();
      stream.destroy();
      closeFile();
      throw error;
    }
  }

  /** Renders one page (0-based) at the resolution it was scanned at, with its text layer. */
  renderPage(index: number): PdfPage {
    const { mupdf } = this;
    const pageNo = index + 1;
    let page: PDFPage | null = null;
    try {
      page = this.doc.loadPage(index);
      const images: { width: number; height: number; bpc: number; components: number; ctm: number[] }[] = [];
      const device = new mupdf.Device({
        fillImage(image, ctm) {
          images.push({
            width: image.getWidth(),
            height: image.getHeight(),
            bpc: image.getBitsPerComponent(),
            components: image.getNumberOfComponents(),
            ctm,
          });
        },
      });
      page.run(device, mupdf.Matrix.identity);
      device.close();
      device.destroy();

      const [x0, y0, x1, y1] = page.getBounds();
      const pageWidthPt = x1 - x0;
      const pageHeightPt = y1 - y0;
      const largest = images.reduce<(typeof images)[number] | null>(
        (best, image) => (!best || image.width * image.height > best.width * best.height ? image : best),
        null,
      );
      let dpi = VECTOR_DPI;
      if (largest) {
        // The image's pixels per inch as drawn: its width runs along the matrix's first column,
        // sideways or not.
        const [a = 0, b = 0] = largest.ctm;
        const widthPt = Math.hypot(a, b);
        dpi = widthPt > 0 ? (largest.width * 72) / widthPt : VECTOR_DPI;
      }
      dpi = Math.min(MAX_DPI, Math.max(MIN_DPI, Math.round(dpi)));
      const zoom = dpi / 72;
      if (pageWidthPt * zoom * pageHeightPt * zoom > MAX_INPUT_PIXELS)
        refuse(`Trang ${pageNo} của tệp PDF quá lớn để xử lý.`, `Page ${pageNo} of the PDF is too large to process.`);
      const grey = images.length > 0 && images.every((image) => image.components === 1);
      const bilevel = images.length > 0 && images.every((image) => image.bpc === 1);
      const pixmap = page.toPixmap(
        mupdf.Matrix.scale(zoom, zoom),
        grey ? mupdf.ColorSpace.DeviceGray : mupdf.ColorSpace.DeviceRGB,
        false,
        true,
      );
      const channels = pixmap.getNumberOfComponents() as Raster['channels'];
      const width = pixmap.getWidth();
      const height = pixmap.getHeight();
      const stride = pixmap.getStride();
      const pixels = pixmap.getPixels();
      // Copied out of the WASM heap, which the next page reuses.
      const data = Buffer.alloc(width * height * channels);
      for (let y = 0; y < height; y++) {
        data.set(pixels.subarray(y * stride, y * stride + width * channels), y * width * channels);
      }
      pixmap.destroy();

      const { text, words } = this.textLayer(page, zoom);
      const jpeg = images.length === 1 && largest ? this.wholePageJpeg(page, largest, width, height) : null;
      return { pageNo, raster: { data, width, height, channels }, dpi, bilevel, jpeg, text, words };
    } catch (error) {
      if (error instanceof AppFailure) throw error;
      return refuse(
        `Không hiển thị được trang ${pageNo} của tệp PDF: tệp bị hỏng.`,
        `Page ${pageNo} of the PDF cannot be rendered: the file is damaged.`,
      );
    } finally {
      page?.destroy();
      // MuPDF caches decoded images; a long PDF would otherwise grow the WASM heap page by page.
      mupdf.emptyStore();
    }
  }

  close(): void {
    this.doc.destroy();
    this.stream.destroy();
    this.closeFile();
  }

  private textLayer(page: PDFPage, zoom: number): { text: string; words: PdfWord[] } {
    const stext = page.toStructuredText('preserve-whitespace');
    try {
      const words: PdfWord[] = [];
      let current: { t: string; b: [number, number, number, number] } | null = null;
      const flush = (): void => {
        if (current && current.t.trim()) words.push({ t: current.t.normalize('NFC'), c: 100, b: current.b });
        current = null;
      };
      stext.walk({
        onChar(char, _origin, _font, _size, quad) {
          if (/\s/u.test(char)) return flush();
          const xs = [quad[0], quad[2], quad[4], quad[6]].map((v) => Math.round(v * zoom));
          const ys = [quad[1], quad[3], quad[5], quad[7]].map((v) => Math.round(v * zoom));
          const box: [number, number, number, number] = [
            Math.min(...xs),
            Math.min(...ys),
            Math.max(...xs),
            Math.max(...ys),
          ];
          if (!current) current = { t: char, b: box };
          else {
            current.t += char;
            current.b = [
              Math.min(current.b[0], box[0]),
              Math.min(current.b[1], box[1]),
              Math.max(current.b[2], box[2]),
              Math.max(current.b[3], box[3]),
            ];
          }
        },
        endLine: flush,
      });
      flush();
      return { text: stext.asText().normalize('NFC').trim(), words };
    } finally {
      stext.destroy();
    }
  }

  /** The scanned JPEG itself, when the page is exactly that JPEG drawn upright over the page. */
  private wholePageJpeg(
    page: PDFPage,
    image: { width: number; height: number; ctm: number[] },
    width: number,
    height: number,
  ): Buffer | null {
    const [a = 0, b = 0, c = 0, d = 0] = image.ctm;
    const upright = a > 0 && d > 0 && Math.abs(b) < 1e-3 && Math.abs(c) < 1e-3;
    if (!upright || Math.abs(image.width - width) > 2 || Math.abs(image.height - height) > 2) return null;
    const xobjects = page.getObject().getInheritable('Resources').get('XObject');
    if (xobjects.isNull()) return null;
    let found: PdfObject | null = null;
    xobjects.forEach((value) => {
      const object = value.resolve();
      if (found || object.get('Subtype').asName?.() !== 'Image') return;
      const filter = object.get('Filter');
      const name = filter.isArray() ? (filter.length === 1 ? filter.get(0).asName() : '') : filter.asName?.();
      const colorSpace = object.get('ColorSpace');
      const plainColour = colorSpace.isName() && ['DeviceRGB', 'DeviceGray'].includes(colorSpace.asName());
      if (
        name === 'DCTDecode' &&
        plainColour &&
        object.get('Decode').isNull() &&
        object.get('SMask').isNull() &&
        object.get('Width').asNumber() === image.width &&
        object.get('Height').asNumber() === image.height
      )
        found = value;
    });
    if (!found) return null;
    const bytes = Buffer.from((found as PdfObject).readRawStream().asUint8Array());
    return bytes[0] === 0xff && bytes[1] === 0xd8 ? bytes : null;
  }
}

/** A complete PDF ends with %%EOF (possibly followed by a line break or a little padding). */
function endsWithEof(fd: number, size: number): boolean {
  const length = Math.min(size, 1024);
  const tail = Buffer.alloc(length);
  readSync(fd, tail, 0, length, size - length);
  return tail.includes('%%EOF');
}

/**
 * JavaScript anywhere (document actions, form fields, annotations, the names tree) or a launch
 * action. Every object is looked at: actions hide in many places, and a scan has few objects.
 */
function hasActiveContent(doc: PdfDocument): boolean {
  const count = doc.countObjects();
  for (let num = 1; num < count; num++) {
    let object: PdfObject;
    try {
      object = doc.newIndirect(num).resolve();
    } catch {
      continue;
    }
    if (carriesAction(object, 0)) return true;
  }
  return false;
}

/** Looks into direct (not referenced) dictionaries and arrays: an action is often written inline. */
function carriesAction(object: PdfObject, depth: number): boolean {
  if (depth > 8) return false;
  if (object.isArray()) {
    for (let i = 0; i < object.length; i++) {
      const item = object.get(i);
      if (!item.isIndirect() && carriesAction(item, depth + 1)) return true;
    }
    return false;
  }
  if (!object.isDictionary()) return false;
  // /JS in an action, /JavaScript in the names tree, /S /JavaScript or /S /Launch.
  if (!object.get('JS').isNull() || !object.get('JavaScript').isNull()) return true;
  const action = object.get('S');
  if (action.isName() && ['JavaScript', 'Launch'].includes(action.asName())) return true;
  let found = false;
  object.forEach((value) => {
    if (!found && !value.isIndirect() && (value.isDictionary() || value.isArray()))
      found = carriesAction(value, depth + 1);
  });
  return found;
}
