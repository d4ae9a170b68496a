/**
 * Digitized output end to end: scans imported and OCR'd by the real backend (SQLite, sharp,
 * tesseract.js, one worker), exported as searchable PDF/A, checked with poppler's tools (pdftotext,
 * pdfinfo, pdfimages), the PDF/A rules of tests/support/pdfa-rules.ts, the browser host's download
 * route and the `sohoa export` command.
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { unzipSync } from 'fflate';
import sharp from 'sharp';
import { decodePDFRawStream, PDFArray, PDFDocument, PDFRawStream } from 'pdf-lib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Backend } from '../../electron/core/backend';
import { setSetting } from '../../electron/core/config/settings';
import type { OcrLine, OcrWord } from '../../electron/core/ocr/pool';
import { encodePageImage } from '../../electron/core/pdf/page-image';
import { renderSearchablePdf } from '../../electron/core/pdf/searchable-pdf';
import { startWebHost, type WebHost } from '../../electron/web/server';
import type { ExportFile } from '../../shared/api/contract';
import { normalizeForCer, renderMultiPageTiff, renderTextPage } from '../fixtures/scans';
import { parseXmp, pdfaViolations, readXmp } from '../support/pdfa-rules';
import { call, openTempBackend, tempDir } from '../support/temp-backend';
import { setUpAdmin, type WebSession } from '../support/web-session';

const run = promisify(execFile);
const SOHOA = path.resolve('bin/sohoa.mjs');

const CITIZEN_ID = '001085012345';
const FORM_LINES = [
  'CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM',
  'Độc lập - Tự do - Hạnh phúc',
  'TỜ KHAI ĐĂNG KÝ KHAI SINH',
  'Họ và tên: Nguyễn Văn An',
  'Số định danh cá nhân: 001085012345',
];
const LETTER_LINES = ['GIẤY ỦY QUYỀN', 'Bên ủy quyền: Võ Thị Hồng Nhung', 'Nội dung: nộp hồ sơ và nhận kết quả'];
const SEAL_LINES = ['QUYẾT ĐỊNH', 'Chủ tịch Ủy ban nhân dân phường'];

/** A small page: few lines keep OCR to about a second a page. */
function smallPage(
  lines: readonly string[],
  dpi: number,
  extra: { rgb?: boolean; jpegQuality?: number; widthCm?: number } = {},
) {
  const { widthCm = 16, ...rest } = extra;
  const px = (cm: number) => Math.round((cm / 2.54) * dpi);
  return renderTextPage({ lines, dpi, widthPx: px(widthCm), heightPx: px(9), noiseSeed: 11, ...rest });
}

/** A red ring and a blue signature stroke over a colour scan, as a seal and a pen leave them. */
async function withSeal(page: Buffer): Promise<Buffer> {
  const meta = await sharp(page).metadata();
  const size = Math.round((meta.width ?? 800) / 4);
  const seal = Buffer.from(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${size}" height="${size}">
      <circle cx="${size / 2}" cy="${size / 2}" r="${size * 0.42}" fill="none" stroke="#c8102e" stroke-width="${size * 0.05}"/>
      <circle cx="${size / 2}" cy="${size / 2}" r="${size * 0.3}" fill="none" stroke="#c8102e" stroke-width="${size * 0.02}"/>
      <path d="M ${size * 0.1} ${size * 0.8} C ${size * 0.4} ${size * 0.5}, ${size * 0.6} ${size}, ${size * 0.9} ${size * 0.7}" stroke="#1a3a9c" stroke-width="${size * 0.02}" fill="none"/>
    </svg>`,
  );
  return sharp(page)
    .composite([
      {
        input: seal,
        top: Math.round((meta.height ?? 600) - size * 1.1),
        left: Math.round((meta.width ?? 800) - size * 1.2),
      },
    ])
    .jpeg({ quality: 85 })
    .withMetadata({ density: meta.density ?? 200 })
    .toBuffer();
}

async function pdftotext(file: string, ...args: string[]): Promise<string> {
  return (await run('pdftotext', [...args, file, '-'])).stdout;
}

function words(text: string): string[] {
  return normalizeForCer(text).split(' ').filter(Boolean);
}

describe('searchable PDF/A export (real backend, tesseract.js, pdf-lib, poppler)', () => {
  let backend: Backend;
  let dataDir: string;
  let close: () => Promise<void>;
  let host: WebHost;
  let session: WebSession;
  let out: string;
  let dossierId: string;
  let dossierCode: string;
  const documents: Record<'form' | 'letter' | 'seal' | 'failed', string> = {
    form: '',
    letter: '',
    seal: '',
    failed: '',
  };

  beforeAll(async () => {
    ({ backend, dir: dataDir, close } = await openTempBackend({ ocrWorkers: 1 }));
    out = path.join(dataDir, 'out');
    mkdirSync(out);
    setSetting(backend.db, 'unit.name', 'UBND phường Bến Nghé');
    setSetting(backend.db, 'unit.agencyCode', '000.00.01.H26');
    const dossier = await call(backend, 'dossiers.create', {
      citizenId: CITIZEN_ID,
      citizenName: 'Nguyễn Văn An',
      procedureCode: '1.001193',
    });
    dossierId = dossier.id;
    dossierCode = dossier.code;

    const inputs = path.join(dataDir, 'inputs');
    mkdirSync(inputs);
    const files = {
      form: ['to-khai.png', await smallPage(FORM_LINES, 300)],
      // Two pages from a sheet feeder: the stored pages lose the TIFF's resolution, the source keeps it.
      letter: [
        'uy-quyen.tif',
        await renderMultiPageTiff([await smallPage(LETTER_LINES, 200), await smallPage(['Trang 2'], 200)]),
      ],
      // 11 cm wide at 200 dpi: under OCR's minimum width, so OCR reads an upscaled copy.
      seal: ['quyet-dinh.jpg', await withSeal(await smallPage(SEAL_LINES, 200, { rgb: true, widthCm: 11 }))],
      failed: ['mo.png', await smallPage(['Bản sao mờ'], 200)],
    } as const;
    for (const [key, [name, bytes]] of Object.entries(files)) {
      const file = path.join(inputs, name);
      writeFileSync(file, bytes);
      const [outcome] = await backend.importFiles([{ file, name }], { dossierId, citizenId: null });
      if (!outcome?.ok) throw new Error(`import of ${name} failed`);
      documents[key as keyof typeof documents] = outcome.documentId;
      await backend.ocr.waitForPages(outcome.pageIds);
    }
    // The last document's OCR is taken as failed (as after three failed attempts): it must still export.
    backend.db
      .prepare(
        `UPDATE pages SET ocr_status = 'failed', ocr_text = '', ocr_words = NULL, ocr_lines = NULL, ocr_error = 'Lỗi' WHERE document_id = ?`,
      )
      .run(documents.failed);
    host = await startWebHost({ dataDir, backend });
    // Downloads need a signed-in person, whichever host opened the backend.
    session = await setUpAdmin(host.url);
  });

  afterAll(async () => {
    await host?.close();
    await close?.();
  });

  async function download(file: ExportFile): Promise<{ bytes: Buffer; headers: Headers }> {
    const response = await fetch(host.url + file.downloadPath, { headers: { cookie: session.cookieHeader } });
    expect(response.status).toBe(200);
    return { bytes: Buffer.from(await response.arrayBuffer()), headers: response.headers };
  }

  async function exportDocument(
    key: keyof typeof documents,
  ): Promise<{ file: string; info: ExportFile; bytes: Buffer }> {
    const info = await call(backend, 'exports.documentPdf', { documentId: documents[key] });
    const { bytes, headers } = await download(info);
    expect(headers.get('content-type')).toBe('application/pdf');
    expect(headers.get('content-disposition')).toContain('attachment');
    const file = path.join(out, `${key}.pdf`);
    writeFileSync(file, bytes);
    return { file, info, bytes };
  }

  let form: ReturnType<typeof exportDocument> | undefined;
  /** The form's PDF, exported once for the tests that read it. */
  function formPdf(): ReturnType<typeof exportDocument> {
    form ??= exportDocument('form');
    return form;
  }

  function storedPages(documentId: string) {
    return backend.db
      .prepare('SELECT ocr_text, ocr_words, width, height FROM pages WHERE document_id = ? ORDER BY page_no')
      .all(documentId) as { ocr_text: string; ocr_words: string | null; width: number; height: number }[];
  }

  it('gives a text layer that copies as the recognized Vietnamese words, in reading order', async () => {
    const { file, info } = await formPdf();
    expect(info.pageCount).toBe(1);
    expect(info.pagesWithoutText).toBe(0);
    const [page] = storedPages(documents.form);
    // OCR read the page (accents included) ...
    expect(normalizeForCer(page?.ocr_text ?? '')).toContain('Số định danh cá nhân: 001085012345');
    // ... and the PDF gives back exactly those words, in that order.
    const extracted = await pdftotext(file);
    expect(words(extracted)).toEqual(words(page?.ocr_text ?? ''));
    expect(extracted).toContain('CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM');
    expect(extracted).toContain('Độc lập - Tự do - Hạnh phúc');
    // Each line comes out as one line (text placed on its own baseline, not jumbled).
    const lines = extracted
      .split('\n')
      .map((l) => l.trim())
      .filter(Boolean);
    expect(lines.indexOf('TỜ KHAI ĐĂNG KÝ KHAI SINH')).toBeLessThan(lines.findIndex((l) => l.startsWith('Họ và tên')));
  });

  it('places each word over its scanned box and sizes the page from the scan resolution (100 %)', async () => {
    const { file } = await formPdf();
    const { stdout } = await run('pdfinfo', [file]);
    // 16 × 9 cm at 300 dpi: 1890 × 1063 px → 453.6 × 255.12 pt.
    const [, w, h] = /Page size:\s+([\d.]+) x ([\d.]+) pts/.exec(stdout) ?? [];
    const [stored] = storedPages(documents.form);
    expect(Number(w)).toBeCloseTo(((stored?.width ?? 0) * 72) / 300, 1);
    expect(Number(h)).toBeCloseTo(((stored?.height ?? 0) * 72) / 300, 1);
    const images = (await run('pdfimages', ['-list', file])).stdout.trim().split('\n').slice(2);
    expect(images).toHaveLength(1);
    // width height color comp bpc enc interp object id x-ppi y-ppi: the scan's own pixels at 300 ppi.
    const cols = images[0]?.trim().split(/\s+/) ?? [];
    expect(cols.slice(3, 5).map(Number)).toEqual([stored?.width, stored?.height]);
    expect(cols[5]).toBe('gray');
    expect(cols.slice(12, 14).map(Number)).toEqual([300, 300]);

    // Word boxes from the text layer (points) against the OCR boxes (pixels).
    const bbox = await pdftotext(file, '-bbox');
    const placed = [...bbox.matchAll(/xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]+)</g)].map(
      (m) => ({ text: m[5] ?? '', box: [1, 2, 3, 4].map((i) => Number(m[i])) }),
    );
    const ocrWords = JSON.parse(stored?.ocr_words ?? '[]') as { t: string; b: number[] }[];
    const pt = 72 / 300;
    let checked = 0;
    for (const word of ocrWords) {
      const match = placed.find(
        (p) => p.text === word.t.normalize('NFC') && Math.abs((p.box[0] ?? 0) - (word.b[0] ?? 0) * pt) < 2,
      );
      expect(match, word.t).toBeDefined();
      if (!match) continue;
      expect(Math.abs((match.box[2] ?? 0) - (word.b[2] ?? 0) * pt)).toBeLessThan(1.5);
      // Vertically the selection covers the word's ink.
      const middle = (((word.b[1] ?? 0) + (word.b[3] ?? 0)) / 2) * pt;
      expect(match.box[1]).toBeLessThan(middle);
      expect(match.box[3]).toBeGreaterThan(middle);
      checked++;
    }
    expect(checked).toBeGreaterThan(15);

    // The text is invisible: every text object draws in rendering mode 3, over the scan.
    const pdf = await PDFDocument.load(readFileSync(file));
    const contents = pdf.getPages()[0]?.node.Contents();
    const streams =
      contents instanceof PDFArray ? contents.asArray().map((ref) => pdf.context.lookup(ref)) : [contents];
    const operators = streams
      .filter((stream): stream is PDFRawStream => stream instanceof PDFRawStream)
      .map((stream) => Buffer.from(decodePDFRawStream(stream).decode()).toString('latin1'))
      .join('\n');
    const textObjects = operators.split('BT').slice(1);
    expect(textObjects.length).toBeGreaterThan(3);
    for (const object of textObjects) expect(object).toMatch(/^\s*\/\S+ [\d.]+ Tf\s+3 Tr/);
    expect(operators.indexOf('Do')).toBeLessThan(operators.indexOf('BT'));
  });

  it('writes the metadata to the Info dictionary and to XMP, and keeps the PDF/A-2b rules', async () => {
    const { file } = await formPdf();
    const bytes = readFileSync(file);
    expect(await pdfaViolations(bytes)).toEqual([]);

    const info = (await run('pdfinfo', ['-custom', file])).stdout;
    expect(info).toMatch(/Title:\s+to-khai/);
    expect(info).toMatch(/Author:\s+UBND phường Bến Nghé/);
    expect(info).toMatch(new RegExp(`SoHoaOwnerId:\\s*${CITIZEN_ID}`));
    expect(info).toMatch(new RegExp(`SoHoaDossierCode:\\s*${dossierCode.replace(/\./g, '\\.')}`));
    expect(info).toMatch(/SoHoaProcedureCode:\s*1\.001193/);
    expect(info).toMatch(/SoHoaUnitCode:\s*000\.00\.01\.H26/);
    const summary = (await run('pdfinfo', [file])).stdout;
    expect(summary).toMatch(/Encrypted:\s+no/);
    expect(summary).toMatch(/JavaScript:\s+no/);
    expect(summary).toMatch(/Metadata Stream:\s+yes/);

    const xmp = await readXmp(bytes);
    const { facts } = parseXmp(xmp ?? '');
    const p = facts.properties;
    expect(p.get('pdfaid:part')).toBe('2');
    expect(p.get('pdfaid:conformance')).toBe('B');
    expect(p.get('sohoa:ownerId')).toBe(CITIZEN_ID);
    expect(p.get('sohoa:ownerName')).toBe('Nguyễn Văn An');
    expect(p.get('sohoa:dossierCode')).toBe(dossierCode);
    expect(p.get('sohoa:procedureCode')).toBe('1.001193');
    expect(p.get('sohoa:unitName')).toBe('UBND phường Bến Nghé');
    expect(p.get('sohoa:unitCode')).toBe('000.00.01.H26');
    expect(p.get('sohoa:digitizedBy')).toMatch(/^SoHoa/);
    expect(new Date(p.get('sohoa:digitizedAt') ?? '').getTime()).not.toBeNaN();
    expect(p.get('sohoa:pageCount')).toBe('1');
    // The embedded subset font is the only font, and it is embedded.
    const fonts = (await run('pdffonts', [file])).stdout.trim().split('\n').slice(2);
    expect(fonts).toHaveLength(1);
    expect(fonts[0]).toMatch(/^[A-Z]{6}\+BeVietnamPro.*CID TrueType\s+Identity-H\s+yes\s+yes\s+yes/);
  });

  it('keeps colour where the page has a seal, and sizes TIFF pages by the source file resolution', async () => {
    const seal = await exportDocument('seal');
    const sealImages = (await run('pdfimages', ['-list', seal.file])).stdout.trim().split('\n').slice(2);
    expect(sealImages[0]?.trim().split(/\s+/)[5]).toBe('rgb');
    expect(await pdfaViolations(seal.bytes)).toEqual([]);
    // OCR read an upscaled copy; its boxes were stored in the page's own pixels, so the layer fits the page.
    const [sealPage] = storedPages(documents.seal);
    const sealWords = JSON.parse(sealPage?.ocr_words ?? '[]') as { t: string; b: number[] }[];
    expect(sealWords.length).toBeGreaterThan(3);
    expect(Math.max(...sealWords.map((w) => w.b[2] ?? 0))).toBeLessThanOrEqual(sealPage?.width ?? 0);
    expect(Math.max(...sealWords.map((w) => w.b[3] ?? 0))).toBeLessThanOrEqual(sealPage?.height ?? 0);
    const first = sealWords[0];
    // The first word starts at the 2 cm margin (157 px at 200 dpi), as drawn.
    expect(Math.abs((first?.b[0] ?? 0) - 157)).toBeLessThan(12);
    expect(await pdftotext(seal.file)).toContain('QUYẾT ĐỊNH');

    const letter = await exportDocument('letter');
    expect(letter.info.pageCount).toBe(2);
    const sizes = [
      ...(await run('pdfinfo', ['-f', '1', '-l', '2', letter.file])).stdout.matchAll(
        /size:\s+([\d.]+) x ([\d.]+) pts/g,
      ),
    ];
    const [stored] = storedPages(documents.letter);
    expect(sizes).toHaveLength(2);
    expect(Number(sizes[0]?.[1])).toBeCloseTo(((stored?.width ?? 0) * 72) / 200, 1);
    expect(await pdftotext(letter.file)).toContain('Võ Thị Hồng Nhung');
  });

  it('exports a document whose OCR failed as images only', async () => {
    const failed = await exportDocument('failed');
    expect(failed.info.pagesWithoutText).toBe(1);
    expect((await pdftotext(failed.file)).trim()).toBe('');
    expect(await pdfaViolations(failed.bytes)).toEqual([]);
  });

  it('makes a new PDF when the OCR text changes, and reuses the stored one otherwise', async () => {
    const rendition = () =>
      backend.db
        .prepare(`SELECT sha256, created_at FROM pdf_renditions WHERE subject = ?`)
        .get(`document:${documents.seal}`) as { sha256: string; created_at: string };
    await call(backend, 'exports.documentPdf', { documentId: documents.seal });
    const before = rendition();
    await call(backend, 'exports.documentPdf', { documentId: documents.seal });
    expect(rendition()).toEqual(before);

    // A corrected word (what the review screen will do) changes the text layer.
    const page = backend.db.prepare('SELECT id, ocr_words FROM pages WHERE document_id = ?').get(documents.seal) as {
      id: number;
      ocr_words: string;
    };
    const corrected = (JSON.parse(page.ocr_words) as { t: string }[]).map((w, i) =>
      i === 0 ? { ...w, t: 'SỬAĐỔI' } : w,
    );
    backend.db.prepare('UPDATE pages SET ocr_words = ? WHERE id = ?').run(JSON.stringify(corrected), page.id);
    const after = await call(backend, 'exports.documentPdf', { documentId: documents.seal });
    expect(rendition().sha256).not.toBe(before.sha256);
    const file = path.join(out, 'corrected.pdf');
    writeFileSync(file, (await download(after)).bytes);
    expect(await pdftotext(file)).toContain('SỬAĐỔI');
  });

  it('exports the dossier as one PDF and as a ZIP of one PDF per document with a manifest', async () => {
    const whole = await call(backend, 'exports.dossierPdf', { dossierId });
    expect(whole.pageCount).toBe(5);
    expect(whole.fileName).toBe(`${dossierCode}.pdf`);
    const { bytes: pdf } = await download(whole);
    expect(await pdfaViolations(pdf)).toEqual([]);

    const zipInfo = await call(backend, 'exports.dossierZip', { dossierId });
    const { bytes, headers } = await download(zipInfo);
    expect(headers.get('content-type')).toBe('application/zip');
    const entries = unzipSync(bytes);
    const names = Object.keys(entries).sort();
    expect(names.filter((n) => n.endsWith('.pdf'))).toHaveLength(4);
    expect(names).toContain('manifest.json');
    const manifest = JSON.parse(Buffer.from(entries['manifest.json'] ?? []).toString('utf8')) as {
      dossier: { code: string; ownerId: string; procedureCode: string };
      unit: { name: string };
      documents: { file: string; documentId: string; sha256: string; pageCount: number; pagesWithoutText: number }[];
    };
    expect(manifest.dossier).toMatchObject({ code: dossierCode, ownerId: CITIZEN_ID, procedureCode: '1.001193' });
    expect(manifest.unit.name).toBe('UBND phường Bến Nghé');
    expect(manifest.documents.map((d) => d.documentId)).toEqual([
      documents.form,
      documents.letter,
      documents.seal,
      documents.failed,
    ]);
    for (const doc of manifest.documents) {
      const entry = entries[doc.file];
      expect(entry, doc.file).toBeDefined();
      expect(
        createHash('sha256')
          .update(entry ?? new Uint8Array())
          .digest('hex'),
      ).toBe(doc.sha256);
      expect(
        Buffer.from(entry ?? [])
          .subarray(0, 5)
          .toString('latin1'),
      ).toBe('%PDF-');
    }
    expect(manifest.documents.find((d) => d.documentId === documents.failed)?.pagesWithoutText).toBe(1);
  });

  it('refuses unknown ids and expired links with clear messages', async () => {
    const missing = await backend.call('exports.documentPdf', { documentId: 'khong-co' });
    expect(missing.ok).toBe(false);
    if (!missing.ok) {
      expect(missing.error.code).toBe('NOT_FOUND');
      expect(missing.error.message).toMatch(/Không tìm thấy/);
      expect(missing.error.messageEn).toBeTruthy();
    }
    const response = await fetch(`${host.url}/exports/${'0'.repeat(32)}`, {
      headers: { cookie: session.cookieHeader },
    });
    expect(response.status).toBe(404);
    expect(await response.text()).toMatch(/hết hạn/);
  });

  it('`sohoa export` writes a dossier PDF and a ZIP', async () => {
    const pdfFile = path.join(out, 'cli.pdf');
    const zipFile = path.join(out, 'cli.zip');
    const pdfRun = await run(process.execPath, [
      SOHOA,
      'export',
      dossierCode,
      '--pdf',
      pdfFile,
      '--data',
      dataDir,
      '--json',
    ]);
    expect(JSON.parse(pdfRun.stdout)).toMatchObject({ kind: 'pdf', subject: 'dossier', pages: 5, pagesWithoutText: 1 });
    expect(pdfRun.stderr).toMatch(/chưa có chữ/);
    expect(await pdftotext(pdfFile)).toContain('Độc lập - Tự do - Hạnh phúc');

    await run(process.execPath, [SOHOA, 'export', dossierId, '--zip', zipFile, '--data', dataDir]);
    expect(Object.keys(unzipSync(readFileSync(zipFile)))).toContain('manifest.json');

    const refused = await run(process.execPath, [
      SOHOA,
      'export',
      documents.form,
      '--zip',
      zipFile,
      '--data',
      dataDir,
    ]).catch((error: { code: number; stderr: string }) => error);
    expect(refused).toMatchObject({ code: 1 });
    expect((refused as { stderr: string }).stderr).toMatch(/--zip chỉ dùng cho một hồ sơ/);
  });
});

describe('page image modes', () => {
  it('chooses colour, grey text, continuous grey or bilevel by what the page holds', async () => {
    const text = await renderTextPage({ lines: FORM_LINES, widthPx: 1200, heightPx: 700, dpi: 200, noiseSeed: 3 });
    expect((await encodePageImage(text)).mode).toBe('greyText');
    const colour = await withSeal(await renderTextPage({ lines: SEAL_LINES, widthPx: 1200, heightPx: 700, rgb: true }));
    expect((await encodePageImage(colour)).mode).toBe('colour');
    // Same page without the seal, saved as a colour JPEG as scanners do: no colour to keep.
    const plainRgb = await renderTextPage({
      lines: SEAL_LINES,
      widthPx: 1200,
      heightPx: 700,
      rgb: true,
      jpegQuality: 85,
    });
    expect((await encodePageImage(plainRgb)).mode).not.toBe('colour');
    const bilevel = await sharp(text).threshold(140).toColourspace('b-w').png().toBuffer();
    expect((await encodePageImage(bilevel)).mode).toBe('bilevel');
    // A photo: smooth grey tones everywhere.
    const photo = await sharp(Buffer.from(Array.from({ length: 600 * 400 }, (_, i) => (i % 600) / 3 + 30)), {
      raw: { width: 600, height: 400, channels: 1 },
    })
      .toColourspace('b-w')
      .png()
      .toBuffer();
    const encoded = await encodePageImage(photo);
    expect(encoded.mode).toBe('grey');
    expect(encoded.filter).toBe('DCTDecode');
  });
});

describe('text layer on a slanted scan', () => {
  it('keeps each slanted line whole and in order for text extraction', async () => {
    const { dir, cleanup } = tempDir('sohoa-pdf-slant-');
    try {
      // Two long lines rising 2° to the right (as tesseract reports a page laid askew).
      const slope = Math.tan((2 * Math.PI) / 180);
      const lineWords = [
        'Căn cứ Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015'.split(' '),
        'Ủy ban nhân dân phường Bến Nghé Quận 1 Thành phố Hồ Chí Minh'.split(' '),
        // Letters the embedded font lacks are left out (a .notdef glyph breaks PDF/A and copies as junk).
        ['Mã', 'số', '漢字', 'A漢'],
      ];
      const words: OcrWord[] = [];
      const lines: OcrLine[] = [];
      lineWords.forEach((texts, row) => {
        const base = 200 + row * 90;
        // Boxes as a 12 pt Times-like face at 200 dpi gives them: about 20 px a letter, 12 px between words.
        let x0 = 200;
        for (const t of texts) {
          const width = t.length * 20;
          const y = base - slope * (x0 - 200);
          words.push({ t, c: 95, b: [x0, y - 30, x0 + width, y + 8] });
          x0 += width + 12;
        }
        lines.push({
          b: [200, base - 30 - slope * (x0 - 200), x0, base + 8],
          bl: [200, base, x0, base - slope * (x0 - 200)],
          h: 38,
          d: 8,
          n: texts.length,
        });
      });
      const image = await sharp({ create: { width: 1600, height: 700, channels: 3, background: '#ffffff' } })
        .toColourspace('b-w')
        .png()
        .toBuffer();
      const now = new Date();
      const { bytes } = await renderSearchablePdf([{ image: async () => image, dpi: 200, words, lines }], {
        title: 'slant',
        author: 'SoHoa',
        subject: '',
        keywords: [],
        creator: 'SoHoa',
        producer: 'SoHoa',
        createdAt: now,
        modifiedAt: now,
        documentId: 'c'.repeat(32),
        instanceId: 'd'.repeat(32),
        facts: {
          ownerId: null,
          ownerName: null,
          dossierCode: null,
          procedureCode: null,
          procedureName: null,
          documentType: null,
          digitizedBy: 'test',
          digitizedAt: now.toISOString(),
          unitName: null,
          unitCode: null,
          sourceId: 'slant',
          pageCount: 1,
        },
      });
      const file = path.join(dir, 'slant.pdf');
      writeFileSync(file, bytes);
      const extracted = (await pdftotext(file))
        .split('\n')
        .map((l) => l.trim())
        .filter(Boolean);
      expect(extracted.slice(0, 2)).toEqual(lineWords.slice(0, 2).map((line) => line.join(' ')));
      expect(extracted.slice(2).join(' ')).toBe('Mã số A');
    } finally {
      cleanup();
    }
  });
});
