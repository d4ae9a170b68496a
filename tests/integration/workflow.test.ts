import Database from 'better-sqlite3';
import { mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { openBackend, type Backend } from '../../electron/core/backend';
import { migrate } from '../../electron/core/db/migrate';
import { createDossier } from '../../electron/core/dossiers/dossier-service';
import { main as cli } from '../../electron/cli/main';
import type { CallInput, CallName, ChecklistComponent, Dossier } from '../../shared/api/contract';
import type { AppError } from '../../shared/api/errors';
import { parseDossierCode } from '../../shared/domain/codes';
import { addWorkingDays, vietnamIsoDate } from '../../shared/domain/working-days';
import { toPortalDossier } from '../../shared/sync/portal-mapping';
import { DossierRecord, DossierStatusRecord } from '../../shared/sync/records';
import { renderTextPage } from '../fixtures/scans';
import { call, tempDir } from '../support/temp-backend';

const CITIZEN = '001085012345';
const OTHER_CITIZEN = '079190123456';
const DAY_MS = 86_400_000;
const today = vietnamIsoDate(new Date());
const dayOffset = (days: number) => new Date(Date.parse(today) + days * DAY_MS).toISOString().slice(0, 10);

/** The province's catalog: birth registration now has three components, marriage asks for a birth certificate. */
const PROVINCE_CSV = [
  'Mã thủ tục;Tên thủ tục;Lĩnh vực;Cấp thực hiện;Kết quả giấy;Số ngày xử lý;Loại giấy tờ kết quả;Mã thành phần;Tên thành phần;Mã loại giấy tờ;Bắt buộc',
  '1.001193;Đăng ký khai sinh;Hộ tịch;Cấp xã;có;3;giay-khai-sinh;TK;Tờ khai đăng ký khai sinh;to-khai;có',
  '1.001193;;;;;;;GCS;Giấy chứng sinh;giay-chung-sinh;có',
  '1.001193;;;;;;;UQ;"Văn bản ủy quyền (nếu có)";giay-uy-quyen;không',
  '1.000894;Đăng ký kết hôn;Hộ tịch;Cấp xã;có;5;giay-chung-nhan-ket-hon;TK;Tờ khai đăng ký kết hôn;to-khai;có',
  '1.000894;;;;;;;GKS;Bản sao giấy khai sinh;giay-khai-sinh;có',
  '1.000894;;;;;;;XNHN;Giấy xác nhận tình trạng hôn nhân;xac-nhan-hon-nhan;có',
].join('\r\n');

async function expectRefusal<N extends CallName>(backend: Backend, name: N, input: CallInput<N>): Promise<AppError> {
  const result = await backend.call(name, input);
  if (result.ok) throw new Error(`${name} should have been refused`);
  expect(result.error.message).not.toBe('');
  expect(result.error.messageEn).toBeTruthy();
  return result.error;
}

function countFiles(dir: string): number {
  let n = 0;
  for (const entry of readdirSync(dir)) {
    const full = path.join(dir, entry);
    n += statSync(full).isDirectory() ? countFiles(full) : 1;
  }
  return n;
}

function count(backend: Backend, table: string): number {
  return (backend.db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
}

describe('the counter workflow (real SQLite, real files, tesseract.js on a few small pages)', () => {
  const { dir, cleanup } = tempDir('sohoa-workflow-');
  const inputs = path.join(dir, 'inputs');
  let backend: Backend;
  let seq = 0;

  /** Imports one small synthetic scan into a dossier; each scan's bytes differ. */
  async function scan(dossierId: string, title: string): Promise<{ documentId: string; pageIds: number[] }> {
    seq += 1;
    const file = path.join(inputs, `${title}-${seq}.png`);
    writeFileSync(file, await renderTextPage({ lines: [title, `Bản quét số ${seq}`], widthPx: 900, heightPx: 500 }));
    const [outcome] = await backend.importFiles([{ file, name: `${title}.png` }], { dossierId, citizenId: null });
    if (!outcome?.ok || outcome.duplicate) throw new Error('import failed');
    return { documentId: outcome.documentId, pageIds: outcome.pageIds };
  }

  async function importCatalog(name: string, text: string) {
    const token = await backend.uploads.receive(name, Buffer.from(text, 'utf8'));
    return backend.call('procedures.import', { upload: token });
  }

  const component = (components: ChecklistComponent[], code: string): ChecklistComponent => {
    const found = components.find((c) => c.code === code);
    if (!found) throw new Error(`component ${code} missing`);
    return found;
  };

  beforeAll(async () => {
    mkdirSync(inputs);
    backend = await openBackend({ dataDir: path.join(dir, 'data'), host: 'cli', ocrWorkers: 1 });
  });

  afterAll(async () => {
    await backend?.close();
    cleanup();
  });

  // -------------------------------------------------------------------------------------------
  // Catalog

  let sampleDossier: Dossier;

  it('starts with the sample catalog, marked as a sample, as the active version', async () => {
    const versions = await call(backend, 'procedures.versions', {});
    expect(versions).toHaveLength(1);
    expect(versions[0]).toMatchObject({ sample: true, active: true, procedureCount: 4 });
    const procedures = await call(backend, 'procedures.list', {});
    expect(procedures.every((p) => p.sample)).toBe(true);
    expect(procedures.find((p) => p.code === '1.001193')).toMatchObject({
      field: 'Hộ tịch',
      processingDays: 1,
      components: [{ code: 'TK' }, { code: 'GCS' }],
    });
    sampleDossier = await call(backend, 'dossiers.create', {
      citizenId: CITIZEN,
      citizenName: 'Nguyễn Văn An',
      procedureCode: '1.001193',
    });
    expect(sampleDossier.catalogVersionId).toBe(versions[0]?.id);
  });

  it('refuses a bad row by its row and column, and changes nothing', async () => {
    const before = { versions: count(backend, 'catalog_versions'), procedures: count(backend, 'catalog_procedures') };
    const bad = PROVINCE_CSV.replace(
      '1.000894;Đăng ký kết hôn;Hộ tịch;Cấp xã;có;5',
      '1.000894;Đăng ký kết hôn;Hộ tịch;Cấp xã;có;năm',
    );
    const result = await importCatalog('tinh.csv', bad);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.code).toBe('VALIDATION');
    expect(result.error.message).toContain('Dòng 5, cột “Số ngày xử lý” (F)');
    expect(result.error.messageEn).toContain('Line 5');
    expect({ versions: count(backend, 'catalog_versions'), procedures: count(backend, 'catalog_procedures') }).toEqual(
      before,
    );
    // The upload is consumed either way.
    expect(readdirSync(backend.uploads.dir)).toEqual([]);
  });

  it('imports the province catalog (CSV with BOM) as a new active version', async () => {
    const result = await importCatalog('danh-muc-tinh.csv', `\uFEFF${PROVINCE_CSV}`);
    if (!result.ok) throw new Error(result.error.message);
    expect(result.value).toMatchObject({ sample: false, active: true, procedureCount: 2, componentCount: 6 });
    const versions = await call(backend, 'procedures.versions', {});
    expect(versions.map((v) => v.active)).toEqual([true, false]);
    const procedures = await call(backend, 'procedures.list', {});
    expect(procedures.map((p) => p.code)).toEqual(['1.000894', '1.001193']);
    expect(procedures.some((p) => p.sample)).toBe(false);
    expect(procedures.find((p) => p.code === '1.001193')?.components.map((c) => [c.code, c.required])).toEqual([
      ['TK', true],
      ['GCS', true],
      ['UQ', false],
    ]);
    // A procedure only the sample had is no longer offered.
    expect(
      await expectRefusal(backend, 'dossiers.create', { citizenId: CITIZEN, procedureCode: '1.003005' }),
    ).toMatchObject({
      field: 'procedureCode',
    });
  });

  it('keeps an old dossier on the checklist of the version it was received under', async () => {
    const old = await call(backend, 'checklist.get', { dossierId: sampleDossier.id });
    expect(old.catalogVersionId).toBe(sampleDossier.catalogVersionId);
    expect(old.components.map((c) => c.code)).toEqual(['TK', 'GCS']);
    const detail = await call(backend, 'dossiers.get', { id: sampleDossier.id });
    expect(detail.dossier.procedureName).toBe('Đăng ký khai sinh');
    const fresh = await call(backend, 'dossiers.create', { citizenId: OTHER_CITIZEN, procedureCode: '1.001193' });
    const checklist = await call(backend, 'checklist.get', { dossierId: fresh.id });
    expect(checklist.components.map((c) => c.code)).toEqual(['TK', 'GCS', 'UQ']);
  });

  it('imports a catalog from the command line, and refuses a bad file there too', async () => {
    const file = path.join(inputs, 'catalog.json');
    writeFileSync(
      file,
      JSON.stringify({
        procedures: [
          {
            code: '1.004227',
            name: 'Cấp bản sao trích lục hộ tịch',
            resultOnPaper: true,
            processingDays: 1,
            components: [],
          },
        ],
      }),
    );
    const out: string[] = [];
    const err: string[] = [];
    const stdout = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => (out.push(String(chunk)), true));
    const stderr = vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => (err.push(String(chunk)), true));
    let okCode: number;
    let badCode: number;
    try {
      okCode = await cli(['catalog', 'import', file, '--data', backend.dataDir, '--json']);
      writeFileSync(file, '{"procedures": [{"code": "1.004227", "name": "", "processingDays": 1}]}');
      badCode = await cli(['catalog', 'import', file, '--data', backend.dataDir]);
    } finally {
      stdout.mockRestore();
      stderr.mockRestore();
    }
    expect(okCode).toBe(0);
    expect(JSON.parse(out.join(''))).toMatchObject({ procedureCount: 1, active: true, sourceName: 'catalog.json' });
    expect(badCode).toBe(1);
    expect(err.join('')).toMatch(/Thủ tục thứ 1 \(mã 1\.004227\), trường “name”: thiếu giá trị/);
    // Back to the province catalog for the rest of the suite.
    const again = await importCatalog('danh-muc-tinh.csv', PROVINCE_CSV);
    expect(again.ok).toBe(true);
  });

  // -------------------------------------------------------------------------------------------
  // Checklist, approval, lifecycle

  let birth: Dossier;
  let tkScan: string;
  let gcsScan: string;

  it('shows a new dossier its checklist, and the promised return date from the processing days', async () => {
    birth = await call(backend, 'dossiers.create', {
      citizenId: CITIZEN,
      citizenName: 'Nguyễn Văn An',
      procedureCode: '1.001193',
      channel: 3,
    });
    expect(birth.channel).toBe(3);
    expect(birth.status).toBe('received');
    expect(birth.promisedReturnDate).toBe(addWorkingDays(vietnamIsoDate(new Date(birth.createdAt)), 3));
    const checklist = await call(backend, 'checklist.get', { dossierId: birth.id });
    expect(checklist.components.map((c) => [c.code, c.state, c.required])).toEqual([
      ['TK', 'not_digitized', true],
      ['GCS', 'not_digitized', true],
      ['UQ', 'not_digitized', false],
    ]);
    expect(checklist.complete).toBe(false);
  });

  it('assigns scanned documents to components; each waits for approval', async () => {
    const tk = await scan(birth.id, 'to-khai');
    const gcs = await scan(birth.id, 'giay-chung-sinh');
    tkScan = tk.documentId;
    gcsScan = gcs.documentId;
    // Recognized pages alone do not make a dossier digitized: its checklist must be filled too.
    await backend.ocr.waitForPages([...tk.pageIds, ...gcs.pageIds]);
    expect((await call(backend, 'dossiers.get', { id: birth.id })).dossier.status).toBe('digitizing');
    let checklist = await call(backend, 'checklist.get', { dossierId: birth.id });
    expect(checklist.unassigned.map((d) => d.documentId)).toEqual([tkScan, gcsScan]);

    const tkComponent = await call(backend, 'checklist.assign', {
      componentId: component(checklist.components, 'TK').id,
      documentId: tkScan,
    });
    expect(tkComponent).toMatchObject({ state: 'digitized', digitized: true, reused: false, fromNationalStore: false });
    expect(tkComponent.items).toMatchObject([
      { documentId: tkScan, kind: 'scanned', approval: 'pending', docType: 'to-khai' },
    ]);
    // The same scan twice in a component, or a scan of another dossier, is refused.
    expect(
      (await expectRefusal(backend, 'checklist.assign', { componentId: tkComponent.id, documentId: tkScan })).code,
    ).toBe('CONFLICT');
    const elsewhere = await scan(sampleDossier.id, 'don');
    expect(
      (
        await expectRefusal(backend, 'checklist.assign', {
          componentId: tkComponent.id,
          documentId: elsewhere.documentId,
        })
      ).message,
    ).toMatch(/không thuộc hồ sơ này/);

    // Missing needs a reason, and not on a component that holds a document.
    const gcsId = component(checklist.components, 'GCS').id;
    expect((await expectRefusal(backend, 'checklist.markMissing', { componentId: gcsId, reason: '  ' })).field).toBe(
      'reason',
    );
    expect(
      (await expectRefusal(backend, 'checklist.markMissing', { componentId: tkComponent.id, reason: 'Thiếu' })).code,
    ).toBe('CONFLICT');
    const missing = await call(backend, 'checklist.markMissing', {
      componentId: gcsId,
      reason: 'Công dân hẹn bổ sung',
    });
    expect(missing).toMatchObject({ state: 'not_digitized', missingReason: 'Công dân hẹn bổ sung' });
    // Every required component is accounted for (filled, or missing with a reason): digitized.
    expect((await call(backend, 'dossiers.get', { id: birth.id })).dossier.status).toBe('digitized');
    const filled = await call(backend, 'checklist.assign', { componentId: gcsId, documentId: gcsScan });
    expect(filled).toMatchObject({ state: 'digitized', missingReason: null });

    checklist = await call(backend, 'checklist.get', { dossierId: birth.id });
    expect(checklist.unassigned).toEqual([]);
    expect(checklist.complete).toBe(true); // UQ is optional
    const copies = await call(backend, 'checklist.setCopies', { componentId: gcsId, originals: 1, copies: 2 });
    expect(copies).toMatchObject({ originals: 1, copies: 2 });
  });

  it('sends a rejected scan back to the clerk, and the dossier back to digitizing', async () => {
    const pending = await call(backend, 'approval.list', { status: 'pending', dossierId: birth.id });
    expect(pending.map((i) => i.componentCode)).toEqual(['TK', 'GCS']);
    const [tkItem, gcsItem] = pending;
    if (!tkItem || !gcsItem) throw new Error('items missing');
    expect(
      (await expectRefusal(backend, 'approval.decide', { itemId: tkItem.itemId, decision: 'rejected' })).field,
    ).toBe('reason');
    const rejected = await call(backend, 'approval.decide', {
      itemId: tkItem.itemId,
      decision: 'rejected',
      reason: 'Ảnh mờ, quét lại',
    });
    expect(rejected).toMatchObject({ approval: 'rejected', reason: 'Ảnh mờ, quét lại', decidedBy: 'admin' });
    const approved = await call(backend, 'approval.decide', { itemId: gcsItem.itemId, decision: 'approved' });
    expect(approved.approval).toBe('approved');
    expect(
      (await expectRefusal(backend, 'approval.decide', { itemId: gcsItem.itemId, decision: 'rejected', reason: 'x' }))
        .code,
    ).toBe('CONFLICT');

    const clerkQueue = await call(backend, 'approval.list', { status: 'rejected' });
    expect(clerkQueue.map((i) => [i.itemId, i.dossierCode, i.reason])).toEqual([
      [tkItem.itemId, birth.code, 'Ảnh mờ, quét lại'],
    ]);
    expect(await call(backend, 'approval.list', { status: 'pending', dossierId: birth.id })).toEqual([]);
    const checklist = await call(backend, 'checklist.get', { dossierId: birth.id });
    expect(component(checklist.components, 'TK').state).toBe('not_digitized');
    expect((await call(backend, 'dossiers.get', { id: birth.id })).dossier.status).toBe('digitizing');
    // A rejected scan is not offered for reuse either.
    const offered = await call(backend, 'reuse.lookup', { citizenId: CITIZEN });
    expect(offered.map((d) => d.documentId)).not.toContain(tkScan);

    // The clerk rescans, assigns, and takes the rejected scan off the component.
    const rescan = await scan(birth.id, 'to-khai-quet-lai');
    await backend.ocr.waitForPages(rescan.pageIds);
    const tkId = component(checklist.components, 'TK').id;
    await call(backend, 'checklist.assign', { componentId: tkId, documentId: rescan.documentId });
    const after = await call(backend, 'checklist.unassign', { itemId: tkItem.itemId });
    expect(after.items.map((i) => i.documentId)).toEqual([rescan.documentId]);
    // The rejected scan stays on record, but is not offered to assign again.
    const cleaned = await call(backend, 'checklist.get', { dossierId: birth.id });
    expect(cleaned.unassigned.map((d) => d.documentId)).not.toContain(tkScan);
    expect(await call(backend, 'approval.list', { status: 'rejected' })).toEqual([]);
    expect((await call(backend, 'dossiers.get', { id: birth.id })).dossier.status).toBe('digitized');
  });

  let resultScan: string;

  it('records the result and the return, refusing steps out of order', async () => {
    expect((await expectRefusal(backend, 'dossiers.markReturned', { dossierId: birth.id })).code).toBe('CONFLICT');
    const result = await scan(birth.id, 'giay-khai-sinh-ket-qua');
    resultScan = result.documentId;
    // Recognizing the result's page holds the dossier in "digitizing" a moment.
    expect(
      (await expectRefusal(backend, 'dossiers.recordResult', { dossierId: birth.id, resultCode: 'KQ.G15.000031' }))
        .code,
    ).toBe('CONFLICT');
    await backend.ocr.waitForPages(result.pageIds);
    const recorded = await call(backend, 'dossiers.recordResult', {
      dossierId: birth.id,
      resultCode: 'KQ.G15.000031',
      documentId: resultScan,
    });
    expect(recorded).toMatchObject({ status: 'result_recorded', resultCode: 'KQ.G15.000031' });
    // The checklist is closed once the result exists.
    const checklist = await call(backend, 'checklist.get', { dossierId: birth.id });
    expect(checklist.locked).toBe(true);
    expect(
      (
        await expectRefusal(backend, 'checklist.markMissing', {
          componentId: component(checklist.components, 'UQ').id,
          reason: 'Không có',
        })
      ).code,
    ).toBe('CONFLICT');
    const returned = await call(backend, 'dossiers.markReturned', { dossierId: birth.id });
    expect(returned.status).toBe('returned');
  });

  it('keeps every lifecycle change with who and when', async () => {
    const history = await call(backend, 'dossiers.history', { dossierId: birth.id });
    expect(history.map((h) => [h.fromStatus, h.toStatus])).toEqual([
      [null, 'received'],
      ['received', 'digitizing'],
      ['digitizing', 'digitized'],
      ['digitized', 'digitizing'],
      ['digitizing', 'digitized'],
      ['digitized', 'digitizing'],
      ['digitizing', 'digitized'],
      ['digitized', 'result_recorded'],
      ['result_recorded', 'returned'],
    ]);
    expect(history.every((h) => h.actor !== '' && !Number.isNaN(Date.parse(h.at)))).toBe(true);
    expect(history[0]?.actor).toBe('admin');
    // OCR finishing a page is the system's doing; the supervisor's rejection is the caller's.
    expect(history[2]?.actor).toBe('admin');
    expect(history[3]?.actor).toBe('admin');
    expect(history[6]?.actor).toBe('system');
    expect(history.map((h) => h.at)).toEqual([...history.map((h) => h.at)].sort());
    // Each change also went to the outbox, as the sync status record.
    const statuses = (
      backend.db
        .prepare(
          `SELECT payload FROM outbox WHERE entity = 'dossier' AND entity_id = ? AND op = 'status' ORDER BY rowid`,
        )
        .all(birth.id) as { payload: string }[]
    ).map((row) => DossierStatusRecord.parse(JSON.parse(row.payload)));
    expect(statuses.map((s) => s.status)).toEqual(history.map((h) => h.toStatus));
  });

  // -------------------------------------------------------------------------------------------
  // Reuse

  let marriage: Dossier;

  it('suggests, per component, the citizen’s valid documents of its type', async () => {
    marriage = await call(backend, 'dossiers.create', { citizenId: CITIZEN, procedureCode: '1.000894' });
    const checklist = await call(backend, 'checklist.get', { dossierId: marriage.id });
    const suggestions = await call(backend, 'reuse.suggest', { dossierId: marriage.id });
    const offered = (code: string) =>
      suggestions.components.find((c) => c.componentId === component(checklist.components, code).id)?.candidates ?? [];
    // The tờ khai scanned for the birth dossier, approved or pending, fits the marriage tờ khai.
    expect(offered('TK').map((c) => c.docType)).toEqual(['to-khai']);
    expect(offered('TK')[0]).toMatchObject({ origin: 'component', dossierCode: birth.code, source: 'local' });
    // The birth registration's result (its type comes from the catalog) fits "bản sao giấy khai sinh".
    expect(offered('GKS')).toMatchObject([
      { documentId: resultScan, origin: 'result', resultCode: 'KQ.G15.000031', docType: 'giay-khai-sinh' },
    ]);
    expect(offered('XNHN')).toEqual([]);
    // The birth certificate scan is of no type the marriage asks for: it is among the others.
    expect(suggestions.others.map((c) => c.documentId)).toContain(gcsScan);
    // Another citizen's documents are never offered.
    const strangers = await call(backend, 'reuse.lookup', { citizenId: OTHER_CITIZEN });
    expect(strangers.map((d) => d.documentId)).not.toContain(gcsScan);
  });

  it('attaches a document by reference, never a copy, and records the reuse flags', async () => {
    const checklist = await call(backend, 'checklist.get', { dossierId: marriage.id });
    const [tkCandidate] =
      (await call(backend, 'reuse.suggest', { dossierId: marriage.id })).components.find(
        (c) => c.componentId === component(checklist.components, 'TK').id,
      )?.candidates ?? [];
    if (!tkCandidate) throw new Error('no candidate');
    const before = {
      documents: count(backend, 'documents'),
      pages: count(backend, 'pages'),
      blobs: count(backend, 'blobs'),
      files: countFiles(path.join(backend.dataDir, 'store')),
    };

    const tk = await call(backend, 'checklist.reuse', {
      componentId: component(checklist.components, 'TK').id,
      documentId: tkCandidate.documentId,
    });
    expect(tk).toMatchObject({
      state: 'reused_component',
      digitized: true,
      reused: true,
      fromNationalStore: false,
      replacingResultCode: null,
    });
    expect(tk.items).toMatchObject([
      { documentId: tkCandidate.documentId, kind: 'reused_component', approval: null, originDossierCode: birth.code },
    ]);
    const gks = await call(backend, 'checklist.reuse', {
      componentId: component(checklist.components, 'GKS').id,
      documentId: resultScan,
    });
    expect(gks).toMatchObject({ state: 'reused_result', reused: true, replacingResultCode: 'KQ.G15.000031' });

    expect({
      documents: count(backend, 'documents'),
      pages: count(backend, 'pages'),
      blobs: count(backend, 'blobs'),
      files: countFiles(path.join(backend.dataDir, 'store')),
    }).toEqual(before);
    // Both components point at the very rows the birth dossier holds.
    const refs = backend.db
      .prepare(
        `SELECT i.document_id FROM component_items i JOIN dossier_components c ON c.id = i.component_id
         WHERE c.dossier_id = ? ORDER BY i.added_at`,
      )
      .all(marriage.id) as { document_id: string }[];
    expect(refs.map((r) => r.document_id)).toEqual([tkCandidate.documentId, resultScan]);
    // Reusing the same document again, or this dossier's own document, is refused.
    expect(
      (await expectRefusal(backend, 'checklist.reuse', { componentId: tk.id, documentId: tkCandidate.documentId }))
        .code,
    ).toBe('CONFLICT');
    const own = await scan(marriage.id, 'to-khai-ket-hon');
    expect(
      (await expectRefusal(backend, 'checklist.reuse', { componentId: tk.id, documentId: own.documentId })).message,
    ).toMatch(/thuộc chính hồ sơ này/);
  });

  it('writes the flags to the outbox in the same change, under the national field names after mapping', async () => {
    const row = backend.db
      .prepare(
        `SELECT payload FROM outbox WHERE entity = 'dossier' AND entity_id = ? AND op = 'update' ORDER BY rowid DESC LIMIT 1`,
      )
      .get(marriage.id) as { payload: string };
    const record = DossierRecord.parse(JSON.parse(row.payload));
    const portal = toPortalDossier(record, [], []);
    expect(portal.KenhThucHien).toBe(1);
    expect(
      portal.ThanhPhanHoSo.map((c) => [
        c.MaThanhPhan,
        c.DuocSoHoa,
        c.DuocTaiSuDung,
        c.DuocLayTuKhoDMQG,
        c.MaKetQuaThayThe,
      ]),
    ).toEqual([
      ['TK', 1, 1, 0, null],
      ['GKS', 1, 1, 0, 'KQ.G15.000031'],
      ['XNHN', 0, 0, 0, null],
    ]);
    // A reuse whose transaction fails leaves neither the item nor its outbox row.
    const outboxBefore = count(backend, 'outbox');
    const itemsBefore = count(backend, 'component_items');
    backend.db.exec(`CREATE TRIGGER fail_reuse BEFORE INSERT ON outbox BEGIN SELECT RAISE(ABORT, 'disk full'); END`);
    try {
      const checklist = await call(backend, 'checklist.get', { dossierId: marriage.id });
      const failed = await backend.call('checklist.reuse', {
        componentId: component(checklist.components, 'XNHN').id,
        documentId: gcsScan,
      });
      expect(failed.ok).toBe(false);
    } finally {
      backend.db.exec('DROP TRIGGER fail_reuse');
    }
    expect(count(backend, 'outbox')).toBe(outboxBefore);
    expect(count(backend, 'component_items')).toBe(itemsBefore);
  });

  it('never offers an expired document, and refuses to attach one', async () => {
    const checklist = await call(backend, 'checklist.get', { dossierId: marriage.id });
    const xnhn = component(checklist.components, 'XNHN').id;
    expect(await call(backend, 'checklist.setValidity', { documentId: gcsScan, validUntil: dayOffset(-1) })).toEqual({
      documentId: gcsScan,
      validUntil: dayOffset(-1),
    });
    expect((await call(backend, 'reuse.lookup', { citizenId: CITIZEN })).map((d) => d.documentId)).not.toContain(
      gcsScan,
    );
    expect(
      (await call(backend, 'reuse.suggest', { dossierId: marriage.id })).others.map((d) => d.documentId),
    ).not.toContain(gcsScan);
    expect(
      (await expectRefusal(backend, 'checklist.reuse', { componentId: xnhn, documentId: gcsScan })).message,
    ).toMatch(/hết hiệu lực/);
    // Valid through today: still offered.
    await call(backend, 'checklist.setValidity', { documentId: gcsScan, validUntil: today });
    const offered = (await call(backend, 'reuse.lookup', { citizenId: CITIZEN })).find((d) => d.documentId === gcsScan);
    expect(offered).toMatchObject({ validUntil: today, docType: 'giay-chung-sinh' });
    expect(
      (await expectRefusal(backend, 'checklist.setValidity', { documentId: gcsScan, validUntil: '2025-02-30' })).field,
    ).toBe('validUntil');
  });
});

// ---------------------------------------------------------------------------------------------

describe('dossier codes across workstations', () => {
  it('never repeat between two workstations of one unit working offline on the same day', async () => {
    const { dir, cleanup } = tempDir('sohoa-codes-');
    const [a, b] = await Promise.all(
      ['ws-a', 'ws-b'].map((name) => openBackend({ dataDir: path.join(dir, name), host: 'cli', runOcr: false })),
    );
    if (!a || !b) throw new Error('backends');
    try {
      expect((await call(a, 'settings.unit', {})).configured).toBe(false);
      // Settings are checked: a wrong agency code or workstation number is refused in Vietnamese.
      expect((await expectRefusal(a, 'settings.updateUnit', { agencyCode: '000.00.01' })).field).toBe('agencyCode');
      expect((await expectRefusal(a, 'settings.updateUnit', { workstationNo: 10 })).message).toMatch(/từ 0 đến 9/);
      const unit = { agencyCode: '000.00.01.H26', unitName: 'UBND xã Thử Nghiệm' };
      expect(await call(a, 'settings.updateUnit', { ...unit, workstationNo: 1 })).toEqual({
        ...unit,
        workstationNo: 1,
        configured: true,
      });
      await call(b, 'settings.updateUnit', { ...unit, workstationNo: 2 });

      // The same morning in Vietnam (and a reception just before midnight, still the same day).
      const times = ['2025-03-03T01:00:00Z', '2025-03-03T09:30:00Z', '2025-03-03T16:59:00Z'];
      const codes: string[] = [];
      for (let i = 0; i < 30; i++) {
        const now = new Date(times[i % times.length] ?? '');
        for (const ws of [a, b]) {
          codes.push(
            createDossier(ws.db, { citizenId: CITIZEN, citizenName: '', procedureCode: '1.001193' }, { now }).code,
          );
        }
      }
      expect(new Set(codes).size).toBe(codes.length);
      const parsed = codes.map((code) => parseDossierCode(code));
      expect(parsed.every((p) => p?.agency === '000.00.01.H26' && p.date === '2025-03-03')).toBe(true);
      const ofA = parsed.filter((_p, i) => i % 2 === 0).map((p) => p?.sequence);
      const ofB = parsed.filter((_p, i) => i % 2 === 1).map((p) => p?.sequence);
      expect(ofA.slice(0, 3)).toEqual([1000, 1001, 1002]);
      expect(ofB.slice(0, 3)).toEqual([2000, 2001, 2002]);
      // Through the call as well, on today's date.
      const viaCall = await call(a, 'dossiers.create', { citizenId: CITIZEN, procedureCode: '1.001193' });
      expect(viaCall.code).toMatch(/^000\.00\.01\.H26-\d{6}-1\d{3}$/);
      expect(parseDossierCode(viaCall.code)?.date).toBe(vietnamIsoDate(new Date(viaCall.createdAt)));
    } finally {
      await Promise.all([a.close(), b.close()]);
      cleanup();
    }
  });
});

// ---------------------------------------------------------------------------------------------

describe('migration 2 on a database with version 1 data', () => {
  it('keeps dossiers, documents and counters; gives old dossiers their checklist and history', async () => {
    const { dir, cleanup } = tempDir('sohoa-migrate2-');
    try {
      const dataDir = path.join(dir, 'data');
      mkdirSync(dataDir);
      const file = path.join(dataDir, 'sohoa.db');
      const v1 = new Database(file);
      v1.pragma('foreign_keys = ON');
      migrate(v1, 1);
      v1.prepare(`INSERT INTO settings VALUES ('unit.agencyCode', '000.00.01.H26')`).run();
      v1.prepare(`INSERT INTO procedures VALUES (?, ?, ?, 1)`).run(
        '1.001193',
        'Đăng ký khai sinh',
        JSON.stringify([
          { code: 'TK', name: 'Tờ khai', docType: 'to-khai' },
          { code: 'GCS', name: 'Giấy chứng sinh', docType: 'giay-chung-sinh' },
        ]),
      );
      const dossiers = [
        ['d-1', '000.00.01.H26-240102-0001', CITIZEN, 'Nguyễn Văn An', 'received', '2024-01-02T01:00:00.000Z'],
        ['d-2', '000.00.01.H26-240102-0002', OTHER_CITIZEN, 'Trần Thị Bình', 'digitized', '2024-01-02T02:00:00.000Z'],
      ] as const;
      for (const [id, code, citizen, name, status, at] of dossiers) {
        v1.prepare(`INSERT INTO dossiers VALUES (?, ?, ?, ?, '1.001193', ?, ?, ?)`).run(
          id,
          code,
          citizen,
          name,
          status,
          at,
          at,
        );
      }
      v1.prepare(`INSERT INTO dossier_sequences VALUES ('000.00.01.H26', '2024-01-02', 2)`).run();
      v1.prepare(`INSERT INTO blobs VALUES ('a', 1, 'image/png', 'now')`).run();
      v1.prepare(
        `INSERT INTO documents (id, dossier_id, citizen_id, title, source_name, source_sha256, page_count, created_at)
         VALUES ('doc-1', 'd-2', ?, 'to-khai', 'to-khai.png', 'a', 1, '2024-01-02T02:00:00.000Z')`,
      ).run(OTHER_CITIZEN);
      v1.prepare(
        `INSERT INTO pages (document_id, page_no, image_sha256, thumb_sha256, width, height, ocr_status, search_text)
         VALUES ('doc-1', 1, 'a', 'a', 10, 10, 'done', 'to khai')`,
      ).run();
      const before = v1
        .prepare(
          'SELECT id, code, citizen_id, citizen_name, procedure_code, status, created_at FROM dossiers ORDER BY id',
        )
        .all();
      v1.close();

      const backend = await openBackend({ dataDir, host: 'cli', runOcr: false });
      try {
        const db = backend.db;
        expect(
          db
            .prepare(
              'SELECT id, code, citizen_id, citizen_name, procedure_code, status, created_at FROM dossiers ORDER BY id',
            )
            .all(),
        ).toEqual(before);
        expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
        expect(db.pragma('foreign_key_check')).toEqual([]);
        expect(() =>
          db
            .prepare(
              `INSERT INTO component_items (id, component_id, document_id, kind, approval, added_by, added_at)
                      VALUES ('x', 'no-such-component', 'doc-1', 'scanned', 'pending', 't', 'now')`,
            )
            .run(),
        ).toThrow(/FOREIGN KEY/);
        expect(() => db.prepare(`UPDATE documents SET dossier_id = 'gone' WHERE id = 'doc-1'`).run()).toThrow(
          /FOREIGN KEY/,
        );
        const indexes = (
          db.prepare(`SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'dossiers'`).all() as {
            name: string;
          }[]
        ).map((r) => r.name);
        expect(indexes).toEqual(expect.arrayContaining(['dossiers_by_citizen', 'dossiers_by_status']));
        // The new statuses are allowed by the rebuilt table; nonsense still is not.
        expect(() => db.prepare(`UPDATE dossiers SET status = 'nonsense' WHERE id = 'd-1'`).run()).toThrow(/CHECK/);

        const old = await call(backend, 'checklist.get', { dossierId: 'd-2' });
        expect(old.components.map((c) => [c.code, c.name, c.state])).toEqual([
          ['TK', 'Tờ khai', 'not_digitized'],
          ['GCS', 'Giấy chứng sinh', 'not_digitized'],
        ]);
        expect(old.unassigned.map((d) => d.documentId)).toEqual(['doc-1']);
        expect((await call(backend, 'dossiers.history', { dossierId: 'd-2' })).map((h) => h.toStatus)).toEqual([
          'received',
          'digitized',
        ]);
        const detail = await call(backend, 'dossiers.get', { id: 'd-2' });
        expect(detail.dossier).toMatchObject({
          procedureName: 'Đăng ký khai sinh',
          channel: 1,
          promisedReturnDate: null,
        });
        expect(detail.documents.map((d) => d.id)).toEqual(['doc-1']);
        // The migrated sample is replaced by the shipped one for new dossiers; old ones keep theirs.
        const versions = await call(backend, 'procedures.versions', {});
        expect(versions.map((v) => [v.id, v.sample, v.active])).toEqual([
          [2, true, true],
          [1, true, false],
        ]);
        expect(detail.dossier.catalogVersionId).toBe(1);
        // The old counter is kept: workstation 0 goes on after 0002 on that day.
        const next = createDossier(
          db,
          { citizenId: CITIZEN, citizenName: '', procedureCode: '1.001193' },
          {
            now: new Date('2024-01-02T05:00:00Z'),
          },
        );
        expect(next.code).toBe('000.00.01.H26-240102-0003');
        expect((await call(backend, 'reuse.lookup', { citizenId: OTHER_CITIZEN })).map((d) => d.documentId)).toEqual([
          'doc-1',
        ]);
      } finally {
        await backend.close();
      }
    } finally {
      cleanup();
    }
  });
});
