import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type * as ZxingReaderModule from 'zxing-wasm/reader';
import { main as cli } from '../../electron/cli/main';
import type { Backend } from '../../electron/core/backend';
import { readQrCodes } from '../../electron/core/imaging/qr-reader';
import { startWebHost, type WebHost } from '../../electron/web/server';
import {
  CODE128_PATTERNS,
  code128Checksum,
  CODE_B,
  CODE_C,
  encodeCode128,
  START_B,
  START_C,
  STOP,
} from '../../electron/core/receipts/code128';
import type { Dossier, ExportFile } from '../../shared/api/contract';
import { call, openTempBackend, tempDir } from '../support/temp-backend';
import { setUpAdmin, TEST_ADMIN, type WebSession } from '../support/web-session';

const require = createRequire(import.meta.url);
const A5 = { width: 419.53, height: 595.28 };
const UNIT = 'UBND Phường Bến Nghé';
const OWNER = 'Trần Thị Bình';

/** zxing-wasm started from the package's own .wasm, as electron/core/imaging/qr-reader.ts does: offline. */
async function zxing(): Promise<typeof ZxingReaderModule> {
  const reader = await import('zxing-wasm/reader');
  const bytes = await readFile(require.resolve('zxing-wasm/reader/zxing_reader.wasm'));
  const wasmBinary = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
  await reader.prepareZXingModule({ overrides: { wasmBinary }, fireImmediately: true });
  return reader;
}

async function readCode128(png: Buffer): Promise<string[]> {
  const reader = await zxing();
  const { data, info } = await sharp(png).flatten({ background: '#ffffff' }).ensureAlpha().raw().toBuffer({
    resolveWithObject: true,
  });
  const results = await reader.readBarcodes(
    { data: new Uint8ClampedArray(data), width: info.width, height: info.height, colorSpace: 'srgb' } as ImageData,
    { formats: ['Code128'], tryHarder: true },
  );
  return results.filter((r) => r.isValid).map((r) => r.text);
}

/** Reads back: ISO values of the symbols from a bar/space width list (the decoder's side of the table). */
function valuesFromWidths(widths: number[]): number[] {
  const values: number[] = [];
  for (let i = 0; i + 6 <= widths.length; i += 6) {
    const key = widths.slice(i, i + 6).join('');
    const value = CODE128_PATTERNS.indexOf(key);
    if (value === STOP || key === '233111') break;
    values.push(value);
  }
  return values;
}

describe('Code 128 encoder', () => {
  it('has 107 patterns of 11 modules (STOP 13), all different, starting with a bar of 3 spaces and 3 bars', () => {
    expect(CODE128_PATTERNS).toHaveLength(107);
    expect(new Set(CODE128_PATTERNS).size).toBe(107);
    CODE128_PATTERNS.forEach((p, value) => {
      const widths = [...p].map(Number);
      expect(widths.reduce((a, b) => a + b, 0)).toBe(value === STOP ? 13 : 11);
      // Bars (even positions) always cover an even number of modules: the parity check readers use.
      expect(widths.filter((_, i) => i % 2 === 0).reduce((a, b) => a + b, 0) % 2).toBe(0);
    });
  });

  it('encodes "Wikipedia" in code set B with check symbol 88 (the textbook example)', () => {
    const code = encodeCode128('Wikipedia');
    expect(code.values).toEqual([START_B, 55, 73, 75, 73, 80, 69, 68, 73, 65, 88, STOP]);
    expect(code.checksum).toBe(88);
    expect(code.modules).toBe(11 * 11 + 13);
  });

  it('packs an even run of digits in code set C from the start', () => {
    const code = encodeCode128('123456');
    expect(code.values).toEqual([START_C, 12, 34, 56, code128Checksum([START_C, 12, 34, 56]), STOP]);
    // 105 + 12 + 34·2 + 56·3 = 353; 353 mod 103 = 44
    expect(code.checksum).toBe(44);
  });

  it('switches to code set C for the date and sequence of a dossier code, and back to B between them', () => {
    const code = encodeCode128('000.00.01.H26-261126-0001');
    const data = code.values.slice(0, -2);
    expect(data[0]).toBe(START_B);
    // '-' then C for 261126, B for '-', C for 0001.
    const tail = data.slice(data.indexOf(CODE_C) - 1);
    expect(tail).toEqual([13, CODE_C, 26, 11, 26, CODE_B, 13, CODE_C, 0, 1]);
    expect(code.checksum).toBe(code128Checksum(data));
    expect(valuesFromWidths(code.widths)).toEqual([...data, code.checksum]);
    // Fewer symbols than code set B alone (25 characters + start + check + stop).
    expect(code.values.length).toBeLessThan(28);
  });

  it('puts an odd leading digit of a run in code set B', () => {
    expect(encodeCode128('A12345').values.slice(0, -2)).toEqual([START_B, 33, 17, CODE_C, 23, 45]);
  });

  it('refuses text outside printable ASCII', () => {
    expect(() => encodeCode128('Hồ sơ')).toThrow(RangeError);
    expect(() => encodeCode128('')).toThrow(RangeError);
  });
});

describe('the reception receipt (Mẫu 01): A5 PDF through the backend, read back with poppler and zxing', () => {
  let backend: Backend;
  let close: () => Promise<void>;
  let dossier: Dossier;
  let file: ExportFile;
  const { dir: work, cleanup } = tempDir('sohoa-receipt-');
  const pdfPath = path.join(work, 'receipt.pdf');

  beforeAll(async () => {
    ({ backend, close } = await openTempBackend({ runOcr: false }));
    await call(backend, 'settings.updateUnit', { agencyCode: '000.00.01.H26', unitName: UNIT, workstationNo: 0 });
    dossier = await call(backend, 'dossiers.create', {
      citizenId: '079190123456',
      citizenName: OWNER,
      procedureCode: '1.000894',
    });
    const { components } = await call(backend, 'checklist.get', { dossierId: dossier.id });
    const byCode = (code: string) => components.find((c) => c.code === code)?.id ?? '';
    await call(backend, 'checklist.setCopies', { componentId: byCode('TK'), originals: 1, copies: 0 });
    await call(backend, 'checklist.setCopies', { componentId: byCode('XNHN'), originals: 1, copies: 2 });
    file = await call(backend, 'receipts.pdf', {
      dossierId: dossier.id,
      phone: '0901234567',
      address: '12 Lê Lợi, Phường Bến Nghé',
    });
    const download = backend.exports.download(file.token);
    if (!download) throw new Error('no download behind the token');
    const chunks: Buffer[] = [];
    for await (const chunk of download.open()) chunks.push(chunk as Buffer);
    writeFileSync(pdfPath, Buffer.concat(chunks));
  });

  afterAll(async () => {
    await close?.();
    cleanup();
  });

  it('hands back a download link like the other exports', () => {
    expect(file).toMatchObject({ mime: 'application/pdf', pageCount: 1, pagesWithoutText: 0 });
    expect(file.downloadPath).toBe(`/exports/${file.token}`);
    expect(file.fileName).toBe(`giay-tiep-nhan-${dossier.code}.pdf`);
    expect(readFileSync(pdfPath).length).toBe(file.size);
  });

  it('is one A5 page with the Vietnamese font embedded', () => {
    const info = execFileSync('pdfinfo', [pdfPath], { encoding: 'utf8' });
    const size = /Page size:\s+([\d.]+) x ([\d.]+) pts/.exec(info);
    expect(Number(size?.[1])).toBeCloseTo(A5.width, 0);
    expect(Number(size?.[2])).toBeCloseTo(A5.height, 0);
    expect(Math.abs(Number(size?.[1]) - A5.width)).toBeLessThanOrEqual(1);
    expect(Math.abs(Number(size?.[2]) - A5.height)).toBeLessThanOrEqual(1);
    expect(info).toMatch(/Pages:\s+1\n/);
    const fonts = execFileSync('pdffonts', [pdfPath], { encoding: 'utf8' });
    expect(fonts).toMatch(/BeVietnamPro/);
    // Embedded (emb) with a ToUnicode map (uni), so the text reads back as Vietnamese.
    const rows = fonts.split('\n').filter((l) => /BeVietnamPro/.test(l));
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows) expect(row).toMatch(/Identity-H\s+yes\s+(yes|no)\s+yes\b/);
  });

  it('reads back the unit, code, citizen, procedure, components with originals and copies, and the dates', () => {
    const text = execFileSync('pdftotext', ['-layout', '-enc', 'UTF-8', pdfPath, '-'], { encoding: 'utf8' }).normalize(
      'NFC',
    );
    expect(text.toLocaleLowerCase('vi')).toContain('giấy tiếp nhận hồ sơ và hẹn trả kết quả');
    expect(text.toLocaleLowerCase('vi')).toContain(UNIT.toLocaleLowerCase('vi'));
    expect(text).toContain(dossier.code);
    expect(text).toContain(OWNER);
    expect(text).toContain('079190123456');
    expect(text).toContain('0901234567');
    expect(text).toContain('12 Lê Lợi, Phường Bến Nghé');
    expect(text).toContain('Đăng ký kết hôn');
    // Each component's row: its number, name, originals and copies on one line.
    expect(text).toMatch(/1\s+Tờ khai đăng ký kết hôn\s+1\s+0\s*\n/);
    expect(text).toMatch(/2\s+Giấy xác nhận tình trạng hôn nhân\s+1\s+2\s*\n/);
    expect(text).toContain('5 ngày làm việc');
    const promised = dossier.promisedReturnDate ?? '';
    const [y, m, d] = promised.split('-');
    expect(text).toMatch(new RegExp(`Thời gian trả kết quả.*ngày ${d}/${m}/${y}`));
    // The submitter defaults to the owner; the register number is the code's sequence.
    expect(text).toMatch(new RegExp(`Tiếp nhận hồ sơ của:\\s+${OWNER}`));
    expect(text).toContain(`Số thứ tự ${dossier.code.slice(-4)}`);
    expect(text).toContain('NGƯỜI TIẾP NHẬN HỒ SƠ');
  });

  it('carries a QR code and a Code 128 barcode of the dossier code that decode at 200 dpi', async () => {
    execFileSync('pdftoppm', ['-r', '200', '-png', '-singlefile', pdfPath, path.join(work, 'page')]);
    const png = readFileSync(path.join(work, 'page.png'));
    const qr = await readQrCodes(png);
    expect(qr.map((c) => c.text)).toEqual([dossier.code]);
    expect(await readCode128(png)).toEqual([dossier.code]);
  });

  it('records the print in the processing log, once per print and reprint', async () => {
    const prints = () =>
      backend.db.prepare(`SELECT action, subject, citizen_id FROM processing_log WHERE action = 'print'`).all() as {
        action: string;
        subject: string;
        citizen_id: string;
      }[];
    expect(prints()).toEqual([{ action: 'print', subject: `dossier:${dossier.id}`, citizen_id: '079190123456' }]);
    const again = await call(backend, 'receipts.pdf', { dossierId: dossier.id, submitter: 'Lê Văn Cường' });
    expect(again.token).not.toBe(file.token);
    expect(prints()).toHaveLength(2);
  });

  it('refuses an unknown dossier in Vietnamese and English', async () => {
    const result = await backend.call('receipts.pdf', { dossierId: 'no-such-dossier' });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error).toMatchObject({ code: 'NOT_FOUND', message: 'Không tìm thấy hồ sơ.' });
    expect(result.error.messageEn).toBeTruthy();
  });

  it('sohoa receipt <code> --pdf writes the file whole', async () => {
    const out = path.join(work, 'cli-receipt.pdf');
    const stdout = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    let code: number;
    try {
      code = await cli(['receipt', dossier.code, '--pdf', out, '--data', backend.dataDir, '--phone', '0901234567']);
    } finally {
      stdout.mockRestore();
    }
    expect(code).toBe(0);
    expect(readFileSync(out).subarray(0, 5).toString('latin1')).toBe('%PDF-');
    const text = execFileSync('pdftotext', ['-enc', 'UTF-8', out, '-'], { encoding: 'utf8' });
    expect(text).toContain(dossier.code);
    expect(readdirSync(work).filter((f) => f.endsWith('.part'))).toEqual([]);
  });
});

describe('browser mode: "In giấy tiếp nhận" downloads the receipt over HTTP', () => {
  let host: WebHost;
  let session: WebSession;
  const root = tempDir('sohoa-receipt-web-');

  async function api<T>(name: string, input: unknown): Promise<T> {
    const res = await fetch(`${host.url}/api/${name}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie: session.cookieHeader },
      body: JSON.stringify(input),
    });
    const result = (await res.json()) as { ok: boolean; value?: T; error?: { code: string } };
    if (!result.ok || result.value === undefined) throw new Error(`${name} failed: ${result.error?.code ?? '?'}`);
    return result.value;
  }

  beforeAll(async () => {
    host = await startWebHost({ dataDir: path.join(root.dir, 'data'), port: 0, rendererDir: root.dir, ocrWorkers: 1 });
    session = await setUpAdmin(host.url);
  });

  afterAll(async () => {
    await host?.close();
    root.cleanup();
  });

  it('prepares the PDF with a session, serves it at GET /exports/<token>, and logs the print under the user', async () => {
    const dossier = await api<Dossier>('dossiers.create', {
      citizenId: '048085006789',
      citizenName: 'Lê Văn Cường',
      procedureCode: '1.001193',
    });
    const file = await api<ExportFile>('receipts.pdf', { dossierId: dossier.id });
    const anonymous = await fetch(`${host.url}${file.downloadPath}`);
    expect(anonymous.status).not.toBe(200);
    await anonymous.body?.cancel();
    const res = await fetch(`${host.url}${file.downloadPath}`, { headers: { cookie: session.cookieHeader } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/pdf');
    expect(res.headers.get('content-disposition')).toContain('attachment');
    const bytes = Buffer.from(await res.arrayBuffer());
    expect(bytes.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    const out = path.join(root.dir, 'web-receipt.pdf');
    writeFileSync(out, bytes);
    const text = execFileSync('pdftotext', ['-enc', 'UTF-8', out, '-'], { encoding: 'utf8' });
    // The receiving officer is the signed-in clerk.
    expect(text).toContain(TEST_ADMIN.displayName);
    expect(text).toContain('Lê Văn Cường');
    const backend = host.backend;
    const prints = backend.db.prepare(`SELECT username, subject FROM processing_log WHERE action = 'print'`).all() as {
      username: string;
      subject: string;
    }[];
    expect(prints).toEqual([{ username: TEST_ADMIN.username, subject: `dossier:${dossier.id}` }]);
  });
});
