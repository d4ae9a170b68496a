import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Backend } from '../../electron/core/backend';
import type { Page } from '../../shared/api/contract';
import { SAMPLE_CCCD_FIELDS, renderIdCardPage } from '../fixtures/id-card-pages';
import { SAMPLE_PAGES, renderTextPage } from '../fixtures/scans';
import { call, openTempBackend, tempDir } from '../support/temp-backend';

const CLI = fileURLToPath(new URL('../../bin/sohoa.mjs', import.meta.url));
const form = SAMPLE_PAGES.find((page) => page.name === 'to-khai-khai-sinh');
if (!form) throw new Error('sample page missing');

/** The card of SAMPLE_CCCD_FIELDS, but its ID number says born in 1986 (digits 5-6): a typo to catch. */
const MISMATCHED_QR =
  '001086012345||Nguyễn Văn An|15031985|Nam|Số 12 Lê Lợi, Bến Nghé, Quận 1, TP Hồ Chí Minh|01052021';

async function runIngest(args: string[]): Promise<{ code: number | null; stdout: string }> {
  const child = spawn(process.execPath, [CLI, 'ingest', ...args], {
    env: { ...process.env, SOHOA_OCR_WORKERS: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr.resume();
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  return { code, stdout };
}

describe('page analysis after OCR through the real backend: ID card QR codes and document types', () => {
  const { dir, cleanup } = tempDir('sohoa-analysis-');
  const inputs = path.join(dir, 'inputs');
  let backend: Backend;
  let close: () => Promise<void>;
  let dossierId: string;
  let cardPage: Page;
  let formPage: Page;

  beforeAll(async () => {
    mkdirSync(inputs);
    // A photocopy of the card, a little askew, small modules, JPEG; and a form without a QR code.
    writeFileSync(
      path.join(inputs, 'cccd.jpg'),
      await renderIdCardPage({ rotateDeg: 3, moduleSize: 3, jpegQuality: 80 }),
    );
    writeFileSync(
      path.join(inputs, 'to-khai.png'),
      await renderTextPage({ lines: form.lines, widthPx: 1240, heightPx: 1754 }),
    );
    writeFileSync(path.join(inputs, 'cccd-2.jpg'), await renderIdCardPage({ payload: MISMATCHED_QR, jpegQuality: 85 }));
    ({ backend, close } = await openTempBackend({ dataDir: path.join(dir, 'data') }));
  });

  afterAll(async () => {
    await close?.();
    cleanup();
  });

  async function importInto(id: string, names: string[]): Promise<number[]> {
    const outcomes = await backend.importFiles(
      names.map((name) => ({ file: path.join(inputs, name), name })),
      { dossierId: id, citizenId: null },
    );
    const pageIds = outcomes.flatMap((outcome) => (outcome.ok ? outcome.pageIds : []));
    await backend.ocr.waitForPages(pageIds);
    return pageIds;
  }

  it('reads the card’s QR code on its page and suggests “ID card”; the form has none and is a “tờ khai”', async () => {
    const dossier = await call(backend, 'dossiers.create', { citizenId: '001085012345', procedureCode: '1.001193' });
    dossierId = dossier.id;
    const [cardId, formId] = await importInto(dossierId, ['cccd.jpg', 'to-khai.png']);
    cardPage = await call(backend, 'pages.get', { id: cardId ?? 0 });
    formPage = await call(backend, 'pages.get', { id: formId ?? 0 });
    expect(cardPage.ocrStatus).toBe('done');
    expect(cardPage.idCards).toEqual([{ ...SAMPLE_CCCD_FIELDS, warnings: [], warningsEn: [] }]);
    expect(cardPage.documentType).toEqual({ documentId: cardPage.documentId, suggested: 'cccd', confirmed: null });
    expect(formPage.idCards).toEqual([]);
    expect(formPage.documentType.suggested).toBe('to-khai');
  });

  it('fills the dossier’s citizen from the card, and search then finds its pages by the name', async () => {
    const applied = await call(backend, 'dossiers.applyIdCard', { dossierId, pageId: cardPage.id });
    expect(applied).toMatchObject({ dossierId, citizenId: '001085012345', citizenName: 'Nguyễn Văn An', warnings: [] });
    expect(applied.card).toEqual({
      citizenId: '001085012345',
      oldId: null,
      name: 'Nguyễn Văn An',
      dob: '1985-03-15',
      sex: 'male',
      address: 'Số 12 Lê Lợi, Bến Nghé, Quận 1, TP Hồ Chí Minh',
      issued: '2021-05-01',
    });
    const detail = await call(backend, 'dossiers.get', { id: dossierId });
    expect(detail.dossier.citizenName).toBe('Nguyễn Văn An');
    expect(
      backend.db.prepare('SELECT name, dob, address FROM citizen_cards WHERE citizen_id = ?').get('001085012345'),
    ).toEqual({
      name: 'Nguyễn Văn An',
      dob: '1985-03-15',
      address: 'Số 12 Lê Lợi, Bến Nghé, Quận 1, TP Hồ Chí Minh',
    });
    expect(
      backend.db
        .prepare(`SELECT count(*) AS n FROM outbox WHERE entity = 'citizen' AND entity_id = ?`)
        .get('001085012345'),
    ).toEqual({ n: 1 });
    const hits = await call(backend, 'search.query', { q: 'nguyen van an', limit: 50 });
    expect(hits.map((hit) => hit.pageId)).toContain(formPage.id);
  });

  it('refuses a card whose ID differs from the dossier’s until the clerk replaces it, and warns on the birth year', async () => {
    const other = await call(backend, 'dossiers.create', {
      citizenId: '079190123456',
      citizenName: 'Trần Thị Bích Ngọc',
      procedureCode: '1.001193',
    });
    const [pageId = 0] = await importInto(other.id, ['cccd-2.jpg']);
    const page = await call(backend, 'pages.get', { id: pageId });
    expect(page.idCards[0]?.warnings.join(' ')).toMatch(/Năm sinh/);

    const refused = await backend.call('dossiers.applyIdCard', { dossierId: other.id, pageId });
    expect(refused.ok).toBe(false);
    if (refused.ok) return;
    expect(refused.error).toMatchObject({ code: 'CONFLICT', field: 'replaceCitizenId' });
    expect(refused.error.message).toMatch(/Số định danh trên thẻ khác/);
    // Personal data never goes into an error message.
    expect(JSON.stringify(refused.error)).not.toMatch(/001086012345|079190123456|Nguyễn/);
    expect((await call(backend, 'dossiers.get', { id: other.id })).dossier.citizenId).toBe('079190123456');

    const applied = await call(backend, 'dossiers.applyIdCard', {
      dossierId: other.id,
      pageId,
      replaceCitizenId: true,
    });
    expect(applied.citizenId).toBe('001086012345');
    expect(applied.warnings.join(' ')).toMatch(/Năm sinh/);
    expect(applied.warnings.join(' ')).toMatch(/Họ tên trong hồ sơ đã được thay/);
    expect(applied.warningsEn).toHaveLength(applied.warnings.length);
    expect(backend.db.prepare('SELECT DISTINCT citizen_id FROM documents WHERE dossier_id = ?').all(other.id)).toEqual([
      { citizen_id: '001086012345' },
    ]);
  });

  it('confirms, corrects and clears a document’s type through the API', async () => {
    const types = await call(backend, 'documentTypes.list', {});
    expect(types.find((type) => type.code === 'cccd')?.nameVi).toMatch(/Căn cước/);

    const documentId = cardPage.documentId;
    expect(await call(backend, 'documents.setType', { documentId, code: 'cccd' })).toEqual({
      documentId,
      suggested: 'cccd',
      confirmed: 'cccd',
    });
    expect((await call(backend, 'pages.get', { id: cardPage.id })).documentType.confirmed).toBe('cccd');
    expect(backend.db.prepare('SELECT type_code FROM doc_type_examples WHERE document_id = ?').get(documentId)).toEqual(
      {
        type_code: 'cccd',
      },
    );
    const unknown = await backend.call('documents.setType', { documentId, code: 'khong-co' });
    expect(unknown.ok ? null : unknown.error.code).toBe('VALIDATION');
    expect((await call(backend, 'documents.setType', { documentId, code: null })).confirmed).toBeNull();
    expect(backend.db.prepare('SELECT count(*) AS n FROM doc_type_examples').get()).toEqual({ n: 0 });
  });

  it('`sohoa ingest --json` gives each page its ID card QR data (or null) and its document type', async () => {
    const batch = path.join(dir, 'batch');
    mkdirSync(batch);
    writeFileSync(
      path.join(batch, '1-cccd.jpg'),
      await renderIdCardPage({ rotateDeg: 90, moduleSize: 3, jpegQuality: 75 }),
    );
    writeFileSync(
      path.join(batch, '2-don.png'),
      await renderTextPage({
        lines: [
          'ĐƠN ĐỀ NGHỊ',
          'Kính gửi: Ủy ban nhân dân phường',
          'Tôi làm đơn này đề nghị cấp bản sao.',
          'Người làm đơn',
        ],
        widthPx: 1000,
        heightPx: 700,
      }),
    );
    const { code, stdout } = await runIngest([batch, '--data', path.join(dir, 'cli-data'), '--json']);
    expect(code).toBe(0);
    const lines = stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { file: string; qr: unknown; docType: string | null });
    expect(lines).toHaveLength(2);
    expect(lines[0]?.qr).toEqual(SAMPLE_CCCD_FIELDS);
    expect(lines[0]?.docType).toBe('cccd');
    expect(lines[1]?.qr).toBeNull();
    expect(lines[1]?.docType).toBe('don');
  });
});
