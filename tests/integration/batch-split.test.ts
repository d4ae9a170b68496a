/**
 * Batch splitting with separator sheets, end to end on real parts: the app's own separator PDF
 * (pdf-lib, embedded fonts) rendered to page images with MuPDF as a scanner would capture them,
 * text pages and an ID card page with a CCCD QR code from the test fixtures, joined into a
 * multi-page TIFF stack; imported through the backend (SQLite, blob store, zxing QR reading).
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import Database from 'better-sqlite3';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main as cli } from '../../electron/cli/main';
import type { Backend } from '../../electron/core/backend';
import { parseSeparatorPayload, separatorPayload } from '../../electron/core/capture/separators';
import { migrate, SCHEMA_VERSION } from '../../electron/core/db/migrate';
import { ARCHIVE_DIR, HotFolderService } from '../../electron/core/hot-folder/hot-folder';
import type { Dossier, ExportFile, ImportOutcome, StagedBatch } from '../../shared/api/contract';
import { renderIdCardPage, SAMPLE_CCCD_FIELDS } from '../fixtures/id-card-pages';
import { renderMultiPageTiff, renderTextPage } from '../fixtures/scans';
import { separatorSheetImages } from '../fixtures/separator-stack';
import { call, openTempBackend, tempDir } from '../support/temp-backend';

const run = promisify(execFile);
const CITIZEN = '079190123456';
const OTHER_CITIZEN = '048085006789';

/** The dossier's separator PDF, printed and scanned. */
async function rasterisedSheets(backend: Backend, dossierId: string): Promise<Buffer[]> {
  const file = await call(backend, 'separators.pdf', { dossierId });
  return separatorSheetImages(await downloadBytes(backend, file), backend.dataDir);
}

async function downloadBytes(backend: Backend, file: ExportFile): Promise<Buffer> {
  const download = backend.exports.download(file.token);
  if (!download) throw new Error('no download');
  const chunks: Buffer[] = [];
  for await (const chunk of download.open()) chunks.push(Buffer.from(chunk as Buffer));
  return Buffer.concat(chunks);
}

function textPage(title: string, seed: number): Promise<Buffer> {
  return renderTextPage({
    lines: [title, 'Họ và tên: Trần Thị Bình', `Trang thử nghiệm số ${seed}`],
    fontSizePt: 14,
    noiseSeed: seed,
  });
}

/** A backend on `dir` that recognizes no text: these tests check the split, and OCR would only load the cores. */
async function openQuiet(dir: string): Promise<Backend> {
  const { backend } = await openTempBackend({ dataDir: dir, runOcr: false });
  // Stopped, the runner ignores the kicks that importing and confirming give it.
  await backend.ocr.stop();
  return backend;
}

async function importStack(backend: Backend, dossierId: string | null, pages: Buffer[], name: string) {
  const file = path.join(backend.dataDir, name);
  writeFileSync(file, await renderMultiPageTiff(pages));
  const [outcome] = await backend.importFiles([{ file, name }], { dossierId, citizenId: null });
  if (!outcome) throw new Error('no outcome');
  return { file, outcome };
}

function documentsOf(backend: Backend, dossierId: string) {
  return backend.db
    .prepare(
      'SELECT id, title, citizen_id, doc_type, page_count, source_sha256 FROM documents WHERE dossier_id = ? ORDER BY created_at, rowid',
    )
    .all(dossierId) as {
    id: string;
    title: string;
    citizen_id: string | null;
    doc_type: string | null;
    page_count: number;
    source_sha256: string;
  }[];
}

describe('separator payload', () => {
  it('round-trips dossier and component codes, generic sheets and refuses other versions', () => {
    const text = separatorPayload('000.00.01.H26-231201-0001', 'TK');
    expect(text).toBe('SOHOA-SEP:1:000.00.01.H26-231201-0001:TK');
    expect(parseSeparatorPayload(text)).toEqual({
      ok: true,
      dossierCode: '000.00.01.H26-231201-0001',
      componentCode: 'TK',
    });
    expect(parseSeparatorPayload(separatorPayload(null, null))).toEqual({
      ok: true,
      dossierCode: null,
      componentCode: null,
    });
    expect(parseSeparatorPayload(separatorPayload('X', 'A:B'))).toMatchObject({ componentCode: 'A:B' });
    const newer = parseSeparatorPayload('SOHOA-SEP:2:X:Y');
    expect(newer.ok).toBe(false);
    if (!newer.ok) expect(newer.message).toMatch(/phiên bản/);
  });
});

describe('migration 012', () => {
  it('creates the staged batch tables as STRICT tables', () => {
    const db = new Database(':memory:');
    migrate(db);
    expect(SCHEMA_VERSION).toBeGreaterThanOrEqual(12);
    const tables = db
      .prepare(`SELECT name, sql FROM sqlite_master WHERE name IN ('staged_batches', 'staged_pages')`)
      .all() as { name: string; sql: string }[];
    expect(tables.map((t) => t.name).sort()).toEqual(['staged_batches', 'staged_pages']);
    for (const table of tables) expect(table.sql).toMatch(/STRICT/);
    db.close();
  });
});

describe('batch splitting at separator sheets', () => {
  const { dir, cleanup } = tempDir('sohoa-batch-');
  let backend: Backend;
  let dossier: Dossier;
  let other: Dossier;
  let sheets: Buffer[];
  let otherSheets: Buffer[];
  let stackFile: string;
  let batch: StagedBatch;

  beforeAll(async () => {
    backend = await openQuiet(dir);
    dossier = await call(backend, 'dossiers.create', { citizenId: CITIZEN, procedureCode: '1.001193' });
    other = await call(backend, 'dossiers.create', { citizenId: OTHER_CITIZEN, procedureCode: '1.001193' });
    // Components of 1.001193: TK (tờ khai), GCS (giấy chứng sinh); then the generic sheet.
    sheets = await rasterisedSheets(backend, dossier.id);
    otherSheets = await rasterisedSheets(backend, other.id);
  }, 120_000);

  afterAll(async () => {
    await backend.close();
    cleanup();
  });

  it('prints one A4 sheet per component plus a new-document sheet', async () => {
    expect(sheets).toHaveLength(3);
    const meta = await sharp(sheets[0]).metadata();
    // A4 at 200 dpi.
    expect(meta.width).toBeGreaterThan(1600);
    expect(meta.height).toBeGreaterThan(2300);
  });

  it('stages a stack with separators and an ID card as a proposed split, nothing committed', async () => {
    const [tk, gcs, generic] = sheets as [Buffer, Buffer, Buffer];
    const pages = [
      tk,
      await textPage('TỜ KHAI ĐĂNG KÝ KHAI SINH', 1),
      await textPage('Tờ khai trang 2', 2),
      gcs,
      await textPage('GIẤY CHỨNG SINH', 3),
      await renderIdCardPage(),
      generic,
      await textPage('GIẤY ỦY QUYỀN', 4),
    ];
    const staged = await importStack(backend, dossier.id, pages, 'chong-giay.tif');
    stackFile = staged.file;
    expect(staged.outcome.ok).toBe(false);
    if (!staged.outcome.ok) {
      expect(staged.outcome.error.code).toBe('STAGED');
      expect(staged.outcome.error.message).toMatch(/xác nhận/);
    }
    expect(documentsOf(backend, dossier.id)).toHaveLength(0);

    const batches = await call(backend, 'batches.list', { dossierId: dossier.id });
    expect(batches).toHaveLength(1);
    batch = batches[0] as StagedBatch;
    expect(batch.pageCount).toBe(8);
    expect(batch.pages.filter((p) => p.role === 'separator').map((p) => p.position)).toEqual([1, 4, 7]);
    expect(batch.pages.every((p) => p.thumb.startsWith('data:image/jpeg;base64,'))).toBe(true);
    const tkId = batch.components.find((c) => c.code === 'TK')?.id;
    const gcsId = batch.components.find((c) => c.code === 'GCS')?.id;
    expect(batch.groups.map((g) => ({ positions: g.positions, componentId: g.componentId, cardId: g.cardId }))).toEqual(
      [
        { positions: [2, 3], componentId: tkId, cardId: null },
        { positions: [5], componentId: gcsId, cardId: null },
        { positions: [6], componentId: null, cardId: SAMPLE_CCCD_FIELDS.id },
        { positions: [8], componentId: null, cardId: null },
      ],
    );
    expect(batch.groups[0]?.componentName).toBe('Tờ khai đăng ký khai sinh');
  }, 120_000);

  it('gives the same staged batch when the same stack is imported again', async () => {
    const [again] = await backend.importFiles([{ file: stackFile, name: 'chong-giay.tif' }], {
      dossierId: dossier.id,
      citizenId: null,
    });
    expect(again?.ok).toBe(false);
    expect(await call(backend, 'batches.list', { dossierId: dossier.id })).toHaveLength(1);
  });

  it('keeps the staged batch across a restart', async () => {
    await backend.close();
    backend = await openQuiet(dir);
    const batches = await call(backend, 'batches.list', { dossierId: dossier.id });
    expect(batches.map((b) => b.id)).toEqual([batch.id]);
    expect(batches[0]?.groups).toHaveLength(4);
  }, 60_000);

  it('lets the clerk move a boundary, and refuses a boundary on a separator sheet', async () => {
    const moved = await call(backend, 'batches.update', {
      batchId: batch.id,
      groups: [
        { start: 2, componentId: batch.groups[0]?.componentId ?? null },
        { start: 3, componentId: null },
        { start: 5, componentId: batch.groups[1]?.componentId ?? null },
        { start: 6, componentId: null },
        { start: 8, componentId: null },
      ],
    });
    expect(moved.groups.map((g) => g.positions)).toEqual([[2], [3], [5], [6], [8]]);
    const refused = await backend.call('batches.update', {
      batchId: batch.id,
      groups: [
        { start: 2, componentId: null },
        { start: 4, componentId: null },
      ],
    });
    expect(refused.ok).toBe(false);
    if (!refused.ok) expect(refused.error.message).toMatch(/tờ phân tách/);
    // Back to the proposal, the last document moved into the ID card's (its back side, say).
    const back = await call(backend, 'batches.update', {
      batchId: batch.id,
      groups: batch.groups.slice(0, 3).map((g) => ({ start: g.start, componentId: g.componentId })),
    });
    expect(back.groups.map((g) => g.positions)).toEqual([[2, 3], [5], [6, 8]]);
  });

  it('commits exactly the confirmed documents, once, without the separator pages', async () => {
    const { documentIds } = await call(backend, 'batches.confirm', { batchId: batch.id });
    expect(documentIds).toHaveLength(3);
    const docs = documentsOf(backend, dossier.id);
    expect(docs.map((d) => d.id)).toEqual(documentIds);
    expect(docs.map((d) => d.page_count)).toEqual([2, 1, 2]);
    expect(docs[0]?.title).toBe('Tờ khai đăng ký khai sinh');
    expect(docs[1]?.title).toBe('Giấy chứng sinh');
    // Each document has its own source PDF (the scans as they came), none is the stack itself.
    const stackSha = createHash('sha256').update(readFileSync(stackFile)).digest('hex');
    expect(new Set(docs.map((d) => d.source_sha256)).size).toBe(3);
    expect(docs.some((d) => d.source_sha256 === stackSha)).toBe(false);
    // The identity document carries the card holder's ID.
    expect(docs[2]).toMatchObject({ citizen_id: SAMPLE_CCCD_FIELDS.id, doc_type: 'cccd' });
    const tag = backend.db
      .prepare(
        `SELECT value FROM tags WHERE kind = 'citizenId' AND page_id = (SELECT id FROM pages WHERE document_id = ? AND page_no = 1)`,
      )
      .all(docs[2]?.id) as { value: string }[];
    expect(tag.map((t) => t.value)).toContain(SAMPLE_CCCD_FIELDS.id);
    // Pages renumbered from 1 and queued for OCR; no separator among them.
    const pageNos = backend.db
      .prepare(
        `SELECT pg.page_no, pg.ocr_status FROM pages pg JOIN documents d ON d.id = pg.document_id
         WHERE d.dossier_id = ? ORDER BY d.created_at, d.rowid, pg.page_no`,
      )
      .all(dossier.id) as { page_no: number; ocr_status: string }[];
    expect(pageNos.map((p) => p.page_no)).toEqual([1, 2, 1, 1, 2]);
    expect(pageNos.every((p) => p.ocr_status === 'queued')).toBe(true);
    // Assigned to the components the sheets named.
    const checklist = await call(backend, 'checklist.get', { dossierId: dossier.id });
    const byCode = Object.fromEntries(checklist.components.map((c) => [c.code, c.items.map((i) => i.documentId)]));
    expect(byCode).toEqual({ TK: [documentIds[0]], GCS: [documentIds[1]] });

    const twice = await backend.call('batches.confirm', { batchId: batch.id });
    expect(twice.ok).toBe(false);
    expect(documentsOf(backend, dossier.id)).toHaveLength(3);
    expect(await call(backend, 'batches.list', { dossierId: dossier.id })).toHaveLength(0);
    // The same stack dropped again is a duplicate, not a second split.
    const [again] = await backend.importFiles([{ file: stackFile, name: 'chong-giay.tif' }], {
      dossierId: dossier.id,
      citizenId: null,
    });
    expect(again).toMatchObject({ ok: true, duplicate: true, documentId: documentIds[0] });
    expect(documentsOf(backend, dossier.id)).toHaveLength(3);
  }, 60_000);

  it('imports the stack as one document when the clerk rejects the split', async () => {
    const [, gcs] = sheets as [Buffer, Buffer, Buffer];
    const { file, outcome } = await importStack(
      backend,
      dossier.id,
      [await textPage('Đơn đề nghị', 5), gcs, await textPage('Giấy chứng sinh bản sao', 6)],
      'chong-2.tif',
    );
    expect(outcome.ok).toBe(false);
    const [pending] = await call(backend, 'batches.list', { dossierId: dossier.id });
    expect(pending?.groups.map((g) => g.positions)).toEqual([[1], [3]]);
    const { documentId } = await call(backend, 'batches.reject', { batchId: pending?.id ?? '' });
    const doc = documentsOf(backend, dossier.id).find((d) => d.id === documentId);
    const stackSha = createHash('sha256').update(readFileSync(file)).digest('hex');
    expect(doc).toMatchObject({ page_count: 3, source_sha256: stackSha });
    expect(await call(backend, 'batches.list', { dossierId: dossier.id })).toHaveLength(0);
  }, 60_000);

  it("refuses a stack with another dossier's separator sheet, in Vietnamese, storing nothing", async () => {
    const before = documentsOf(backend, dossier.id).length;
    const { outcome } = await importStack(
      backend,
      dossier.id,
      [await textPage('Trang đầu', 7), otherSheets[0] as Buffer, await textPage('Trang sau', 8)],
      'nham-ho-so.tif',
    );
    expect(outcome.ok).toBe(false);
    if (!outcome.ok) {
      expect(outcome.error.code).toBe('VALIDATION');
      expect(outcome.error.message).toContain('hồ sơ khác');
      expect(outcome.error.message).toContain(other.code);
      expect(outcome.error.messageEn).toContain('another dossier');
    }
    expect(documentsOf(backend, dossier.id)).toHaveLength(before);
    expect(await call(backend, 'batches.list', { dossierId: dossier.id })).toHaveLength(0);
  }, 60_000);

  it('sends an inbox stack to the dossier its sheets name; generic sheets alone import as one document', async () => {
    const [tk, , generic] = sheets as [Buffer, Buffer, Buffer];
    const named = await importStack(backend, null, [tk, await textPage('Tờ khai gửi qua bưu điện', 11)], 'hop-thu.tif');
    expect(named.outcome).toMatchObject({ ok: false, error: { code: 'STAGED' } });
    const [pending] = await call(backend, 'batches.list', { dossierId: dossier.id });
    expect(pending?.groups.map((g) => g.positions)).toEqual([[2]]);
    await call(backend, 'batches.reject', { batchId: pending?.id ?? '' });
    const plain = await importStack(backend, null, [generic, await textPage('Giấy tờ khác', 12)], 'hop-thu-2.tif');
    expect(plain.outcome).toMatchObject({ ok: true, duplicate: false });
    expect(await call(backend, 'batches.list', { dossierId: null })).toHaveLength(0);
  }, 60_000);

  it('stages a stack dropped into the hot folder for the open dossier; the claim settles, the file is archived', async () => {
    const { dir: folder, cleanup: removeFolder } = tempDir('sohoa-batch-hot-');
    const service = new HotFolderService({
      db: backend.db,
      importFiles: (files, target) => backend.importFiles(files, target),
      folders: [folder],
      now: () => Date.now() + 3_600_000,
    });
    try {
      service.setTarget(dossier.id);
      const [, gcs] = sheets as [Buffer, Buffer, Buffer];
      writeFileSync(
        path.join(folder, 'may-quet-0001.tif'),
        await renderMultiPageTiff([await textPage('Tờ khai từ máy quét', 13), gcs, await textPage('Chứng sinh', 14)]),
      );
      // A file must look the same on two passes before it is taken.
      await service.scanOnce();
      await service.scanOnce();
      const claim = backend.db.prepare('SELECT status, document_id FROM hot_folder_claims').get() as {
        status: string;
        document_id: string | null;
      };
      expect(claim).toEqual({ status: 'imported', document_id: null });
      const [pending] = await call(backend, 'batches.list', { dossierId: dossier.id });
      expect(pending?.sourceName).toBe('may-quet-0001.tif');
      expect(pending?.groups.map((g) => g.positions)).toEqual([[1], [3]]);
      expect(
        readdirSync(path.join(folder, ARCHIVE_DIR), { recursive: true }).some((f) => String(f).endsWith('.tif')),
      ).toBe(true);
      await call(backend, 'batches.reject', { batchId: pending?.id ?? '' });
    } finally {
      await service.stop();
      removeFolder();
    }
  }, 60_000);

  it('prints the sheets from the command line, readable as text too', async () => {
    const out = path.join(dir, 'to-phan-tach.pdf');
    const code = await cli(['separators', dossier.code, '--pdf', out, '--data', dir, '--component', 'GCS']);
    expect(code).toBe(0);
    const text = (await run('pdftotext', [out, '-'])).stdout;
    expect(text).toContain('Giấy chứng sinh');
    expect(text).toContain(`SOHOA-SEP:1:${dossier.code}:GCS`);
    expect(text).not.toContain('Tờ khai đăng ký khai sinh');
  }, 60_000);

  it('imports a stack without separators at once, as before', async () => {
    const { outcome } = await importStack(
      backend,
      other.id,
      [await textPage('Tờ khai', 9), await textPage('Trang 2', 10)],
      'khong-phan-tach.tif',
    );
    expect(outcome).toMatchObject({ ok: true, duplicate: false });
    expect((outcome as Extract<ImportOutcome, { ok: true }>).pageIds).toHaveLength(2);
    expect(await call(backend, 'batches.list', { dossierId: other.id })).toHaveLength(0);
  }, 60_000);
});
