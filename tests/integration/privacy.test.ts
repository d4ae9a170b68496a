/**
 * Privacy: postal processor mode (purge after the central store confirms, crash-safe, reported)
 * with a real sync server, and citizens' requests (72-hour limit, export as PDF and ZIP checked
 * with pdftotext and unzip, restriction hiding from reuse and search, deletion refused for case
 * files under retention and done for the rest), all in the hash-chained processing log.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createUser, signIn } from '../../electron/core/accounts/accounts';
import { verifyProcessingLog } from '../../electron/core/audit/processing-log';
import { openBackend, type Backend } from '../../electron/core/backend';
import { migrate } from '../../electron/core/db/migrate';
import { purgeDossierRecords } from '../../electron/core/privacy/purge';
import { main as cli } from '../../electron/cli/main';
import { parseVietnamInstant, requestDueAt, type PurgeReport } from '../../shared/api/calls/privacy';
import type { CallInput, CallName } from '../../shared/api/contract';
import { renderTextPage } from '../fixtures/scans';
import { enrolCode, startTestServer, type TestServer } from '../support/sync-support';
import { call, tempDir, TEST_PASSPHRASE } from '../support/temp-backend';

const CITIZEN_A = '001085012345';
const CITIZEN_B = '079190123456';
const CITIZEN_C = '048085006789';
const FAST = { attempts: 2, baseDelayMs: 10, maxDelayMs: 50, requestTimeoutMs: 5000 };
const CONTRACT = 'HĐ-BĐ-2026/017';

describe('72-hour limit in Vietnam time', () => {
  it('reads a wall-clock time as Asia/Ho_Chi_Minh and adds 72 hours', () => {
    // 23:30 in Hà Nội is 16:30 UTC the same day; a date boundary is where a UTC mistake shows.
    const received = parseVietnamInstant('2026-11-20T23:30');
    expect(received?.toISOString()).toBe('2026-11-20T16:30:00.000Z');
    expect(requestDueAt(received!).toISOString()).toBe('2026-11-23T16:30:00.000Z');
    expect(parseVietnamInstant('2026-11-20T08:00:00Z')?.toISOString()).toBe('2026-11-20T08:00:00.000Z');
    expect(parseVietnamInstant('20/11/2026')).toBeNull();
    expect(parseVietnamInstant('2026-02-30T10:00')).toBeNull();
  });
});

describe('migration 010 (privacy)', () => {
  it('adds the purge and request tables and keeps existing documents unpurged', () => {
    const { dir, cleanup } = tempDir('sohoa-privacy-migration-');
    const db = new Database(path.join(dir, 'sohoa.db'));
    try {
      db.pragma('foreign_keys = ON');
      migrate(db, 8);
      db.prepare(
        `INSERT INTO blobs (sha256, size, mime, created_at) VALUES ('${'a'.repeat(64)}', 1, 'image/png', 'x')`,
      ).run();
      expect(migrate(db, 10)).toBe(10);
      expect(db.prepare('SELECT purged_at FROM blobs').get()).toEqual({ purged_at: null });
      const tables = (
        db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table'`).all() as { name: string }[]
      ).map((t) => t.name);
      expect(tables).toEqual(
        expect.arrayContaining(['privacy_purges', 'privacy_file_queue', 'citizen_requests', 'citizen_restrictions']),
      );
      // An unknown kind of request is refused by the schema itself.
      expect(() =>
        db
          .prepare(
            `INSERT INTO citizen_requests (id, citizen_id, kind, received_at, due_at, legal_basis, created_by, created_at)
             VALUES ('r', '${CITIZEN_A}', 'gossip', 'x', 'x', 'x', 'x', 'x')`,
          )
          .run(),
      ).toThrow();
    } finally {
      db.close();
      cleanup();
    }
  });
});

describe('privacy with a real sync server', () => {
  const temp = tempDir('sohoa-privacy-');
  const dataDir = path.join(temp.dir, 'counter');
  let server: TestServer;
  let backend: Backend;
  let seq = 0;

  const open = () =>
    openBackend({ dataDir, host: 'cli', ocrWorkers: 1, passphrase: TEST_PASSPHRASE, syncTuning: FAST });

  async function importPage(target: { dossierId: string | null; citizenId: string | null }, word: string) {
    const file = path.join(temp.dir, `scan-${++seq}.png`);
    writeFileSync(
      file,
      await renderTextPage({
        lines: ['GIẤY XÁC NHẬN', `Mã tra cứu ${word}`],
        widthPx: 900,
        heightPx: 500,
        fontSizePt: 16,
      }),
    );
    const [outcome] = await backend.importFiles([{ file, name: `giay-${seq}.png` }], target);
    if (!outcome?.ok) throw new Error('import failed');
    await backend.ocr.waitForPages(outcome.pageIds);
    return outcome;
  }

  /** A dossier whose checklist is accounted for and whose pages are recognized: digitized. */
  async function digitizedDossier(citizenId: string, words: string[]) {
    const procedures = await call(backend, 'procedures.list', {});
    const dossier = await call(backend, 'dossiers.create', {
      citizenId,
      citizenName: 'Trần Thị Thử',
      procedureCode: procedures[0]!.code,
      channel: 3,
    });
    const documents: string[] = [];
    for (const word of words)
      documents.push((await importPage({ dossierId: dossier.id, citizenId: null }, word)).documentId);
    const checklist = await call(backend, 'checklist.get', { dossierId: dossier.id });
    for (const [index, component] of checklist.components.entries()) {
      const documentId = documents[index];
      if (documentId) await call(backend, 'checklist.assign', { componentId: component.id, documentId });
      else if (component.required)
        await call(backend, 'checklist.markMissing', { componentId: component.id, reason: 'Công dân hẹn bổ sung' });
    }
    expect((await call(backend, 'dossiers.get', { id: dossier.id })).dossier.status).toBe('digitized');
    return { id: dossier.id, code: dossier.code, documents };
  }

  const filesOf = (documentIds: string[]): string[] =>
    (
      backend.db
        .prepare(
          `SELECT source_sha256 AS sha FROM documents WHERE id IN (SELECT value FROM json_each(@ids))
           UNION SELECT image_sha256 FROM pages WHERE document_id IN (SELECT value FROM json_each(@ids))
           UNION SELECT thumb_sha256 FROM pages WHERE document_id IN (SELECT value FROM json_each(@ids))`,
        )
        .all({ ids: JSON.stringify(documentIds) }) as { sha: string }[]
    ).map((r) => r.sha);

  async function stored(hashes: string[]): Promise<boolean[]> {
    return Promise.all(hashes.map((sha) => backend.store.has(sha)));
  }

  const logEntries = (subject: string) =>
    backend.db.prepare('SELECT * FROM processing_log WHERE subject = ? ORDER BY seq').all(subject) as {
      action: string;
      username: string;
      legal_basis: string;
      citizen_id: string | null;
    }[];

  async function expectRefusal<N extends CallName>(name: N, input: CallInput<N>) {
    const result = await backend.call(name, input);
    if (result.ok) throw new Error(`${name} was not refused`);
    expect(result.error.messageEn).toBeTruthy();
    return result.error;
  }

  async function runCli(args: string[]): Promise<{ code: number; out: string }> {
    const out: string[] = [];
    const stdout = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => (out.push(String(chunk)), true));
    const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      return { code: await cli([...args, '--data', dataDir]), out: out.join('') };
    } finally {
      stdout.mockRestore();
      stderr.mockRestore();
    }
  }

  beforeAll(async () => {
    server = await startTestServer('sqlite', path.join(temp.dir, 'server'));
    backend = await open();
    await call(backend, 'sync.enrol', { server: server.url, code: await enrolCode(server.storage, '000.00.05.H26') });
  });

  afterAll(async () => {
    await backend?.close();
    await server?.close();
    temp.cleanup();
  });

  // -------------------------------------------------------------------------------------------
  // Postal processor mode

  let confirmed: Awaited<ReturnType<typeof digitizedDossier>>;
  let workloadBefore = 0;

  it('needs a contract reference to turn processor mode on', async () => {
    expect(await call(backend, 'privacy.processorSettings', {})).toEqual({ processorMode: false, contractRef: '' });
    const refused = await expectRefusal('privacy.setProcessor', { processorMode: true, contractRef: ' ' });
    expect(refused).toMatchObject({ code: 'VALIDATION', field: 'contractRef' });
    expect(refused.message).toMatch(/số hợp đồng/);
    expect(await call(backend, 'privacy.setProcessor', { processorMode: true, contractRef: CONTRACT })).toEqual({
      processorMode: true,
      contractRef: CONTRACT,
    });
  });

  it('purges nothing the central store has not confirmed', async () => {
    confirmed = await digitizedDossier(CITIZEN_A, ['PURGEALPHA']);
    const files = filesOf(confirmed.documents);
    expect(await call(backend, 'privacy.purgeNow', {})).toEqual({ purged: 0, filesRemoved: 0 });
    expect(await stored(files)).toEqual(files.map(() => true));
    expect((await call(backend, 'search.query', { q: 'PURGEALPHA', limit: 10 })).length).toBe(1);
    const today = new Date(Date.now() + 7 * 3_600_000).toISOString().slice(0, 10);
    const workload = await call(backend, 'reports.postalWorkload', { from: today, to: today, per: 'day' });
    workloadBefore = workload.rows.reduce((n, r) => n + r.pages, 0);
    expect(workloadBefore).toBeGreaterThan(0);
  });

  it('purges a dossier once the sync push is acknowledged, keeping what the reports count', async () => {
    // Another record (outside the dossier) uses the same bytes (the page's thumbnail): that file must stay.
    const sharedImage = (
      backend.db.prepare('SELECT thumb_sha256 AS sha FROM pages WHERE document_id = ?').get(confirmed.documents[0]) as {
        sha: string;
      }
    ).sha;
    backend.db
      .prepare(
        `INSERT INTO documents (id, dossier_id, citizen_id, title, source_name, source_sha256, page_count, created_at)
         VALUES ('shared-doc', NULL, ?, 'Bản sao', 'ban-sao.png', ?, 0, ?)`,
      )
      .run(CITIZEN_B, sharedImage, new Date().toISOString());
    const files = filesOf(confirmed.documents);

    const summary = await call(backend, 'sync.now', {});
    expect(summary).toMatchObject({ errors: 0, pending: 0 });
    await call(backend, 'privacy.purgeNow', {}); // waits for the purge the sync run started

    expect((await stored(files)).filter(Boolean).length).toBe(1);
    expect(await backend.store.has(sharedImage)).toBe(true);
    const dossier = backend.db
      .prepare('SELECT citizen_id, citizen_name, code FROM dossiers WHERE id = ?')
      .get(confirmed.id);
    expect(dossier).toEqual({ citizen_id: '', citizen_name: '', code: confirmed.code });
    const pages = backend.db
      .prepare('SELECT ocr_text, ocr_words, search_text, width FROM pages WHERE document_id = ?')
      .all(confirmed.documents[0]) as {
      ocr_text: string;
      ocr_words: string | null;
      search_text: string;
      width: number;
    }[];
    expect(pages.length).toBe(1);
    expect(pages[0]).toMatchObject({ ocr_text: '', ocr_words: null, search_text: '' });
    expect(pages[0]!.width).toBeGreaterThan(0);
    expect(await call(backend, 'search.query', { q: 'PURGEALPHA', limit: 10 })).toEqual([]);
    expect(backend.db.prepare(`SELECT count(*) AS n FROM pages_fts WHERE pages_fts MATCH 'purgealpha'`).get()).toEqual({
      n: 0,
    });
    expect(backend.db.prepare('SELECT count(*) AS n FROM dossiers WHERE citizen_id = ?').get(CITIZEN_A)).toEqual({
      n: 0,
    });
    // The postal invoice still counts the pages.
    const today = new Date(Date.now() + 7 * 3_600_000).toISOString().slice(0, 10);
    const workload = await call(backend, 'reports.postalWorkload', { from: today, to: today, per: 'day' });
    expect(workload.rows.reduce((n, r) => n + r.pages, 0)).toBe(workloadBefore);

    // Nothing about it is sent again: that would blank the central store's copy.
    const component = (await call(backend, 'checklist.get', { dossierId: confirmed.id })).components[0]!;
    // Refused with a reason the clerk can act on, not an internal error.
    const edit = await backend.call('checklist.setCopies', { componentId: component.id, originals: 1, copies: 1 });
    expect(edit.ok ? null : edit.error.code).toBe('CONFLICT');
    expect(edit.ok ? '' : edit.error.message).toContain('đã được xóa theo chế độ bưu điện');
    expect((await call(backend, 'sync.status', {})).pending).toBe(0);

    const report = await call(backend, 'privacy.purgeReport', {});
    expect(report.contractRef).toBe(CONTRACT);
    expect(report.rows).toMatchObject([
      { dossierCode: confirmed.code, contractRef: CONTRACT, state: 'done', documents: 1, pages: 1, filesShared: 1 },
    ]);
    expect(report.rows[0]!.filesRemoved).toBe(files.length - 1);
    const [entry] = logEntries(`dossier:${confirmed.id}`).filter((e) => e.action === 'delete');
    expect(entry).toMatchObject({ citizen_id: CITIZEN_A });
    expect(entry!.legal_basis).toContain(CONTRACT);
  });

  it('finishes a purge interrupted between its steps on the next start, and only once', async () => {
    // Synced with processor mode off, so nothing purges it on its own.
    await call(backend, 'privacy.setProcessor', { processorMode: false, contractRef: CONTRACT });
    const later = await digitizedDossier(CITIZEN_A, ['PURGEBETA']);
    expect((await call(backend, 'sync.now', {})).pending).toBe(0);
    await call(backend, 'privacy.purgeNow', {}); // after the run the sync started (mode off: purges nothing)
    await call(backend, 'privacy.setProcessor', { processorMode: true, contractRef: CONTRACT });
    const files = filesOf(later.documents);

    // The records step commits, then the process dies before any file is removed.
    expect(purgeDossierRecords(backend.db, later.id, { userId: null, username: 'system' })).toBe(true);
    expect(await stored(files)).toEqual(files.map(() => true));
    expect((await call(backend, 'privacy.purgeReport', {})).rows.find((r) => r.dossierId === later.id)?.state).toBe(
      'files',
    );
    await backend.close();

    backend = await open();
    await call(backend, 'privacy.purgeNow', {});
    expect(await stored(files)).toEqual(files.map(() => false));
    const row = (await call(backend, 'privacy.purgeReport', {})).rows.find((r) => r.dossierId === later.id);
    expect(row).toMatchObject({ state: 'done', filesRemoved: files.length, filesShared: 0 });
    // Again: nothing new, nothing counted twice, one log entry.
    expect(await call(backend, 'privacy.purgeNow', {})).toEqual({ purged: 0, filesRemoved: 0 });
    expect((await call(backend, 'privacy.purgeReport', {})).rows.find((r) => r.dossierId === later.id)).toEqual(row);
    expect(logEntries(`dossier:${later.id}`).filter((e) => e.action === 'delete').length).toBe(1);
    await call(backend, 'privacy.setProcessor', { processorMode: false, contractRef: CONTRACT });
  });

  it('lists purges by Vietnam day on the command line', async () => {
    const today = new Date(Date.now() + 7 * 3_600_000).toISOString().slice(0, 10);
    const json = await runCli(['purge-report', '--from', today, '--to', today, '--json']);
    expect(json.code).toBe(0);
    const report = JSON.parse(json.out) as PurgeReport;
    expect(report).toMatchObject({ contractRef: CONTRACT, totals: { dossiers: 2 } });
    expect(report.rows.map((r) => r.dossierCode)).toContain(confirmed.code);
    const none = await runCli(['purge-report', '--from', '2020-01-01', '--to', '2020-01-31', '--json']);
    expect((JSON.parse(none.out) as PurgeReport).rows).toEqual([]);
    const text = await runCli(['purge-report']);
    expect(text.out).toContain(`Hợp đồng xử lý dữ liệu: ${CONTRACT}`);
    expect(text.out).toContain(confirmed.code);
  });

  // -------------------------------------------------------------------------------------------
  // Citizens' requests

  let dossierB: { id: string; code: string; documents: string[] };
  let unfiledB: string;
  let dossierC: { id: string; code: string; documents: string[] };

  it('tracks a request against the 72-hour limit', async () => {
    dossierB = await digitizedDossier(CITIZEN_B, ['BINHDOSSIER']);
    unfiledB = (await importPage({ dossierId: null, citizenId: CITIZEN_B }, 'BINHCHUANOP')).documentId;
    dossierC = await digitizedDossier(CITIZEN_C, ['CUONGPAPER']);

    const old = await call(backend, 'privacy.createRequest', {
      citizenId: CITIZEN_B,
      kind: 'access',
      receivedAt: '2026-01-05T09:00',
      legalBasis: 'Quyền của chủ thể dữ liệu (Luật 91/2025/QH15)',
    });
    expect(old).toMatchObject({ receivedAt: '2026-01-05T02:00:00.000Z', dueAt: '2026-01-08T02:00:00.000Z' });
    expect(old.overdue).toBe(true);
    const fresh = await call(backend, 'privacy.createRequest', {
      citizenId: CITIZEN_B,
      kind: 'access',
      legalBasis: 'Quyền của chủ thể dữ liệu',
    });
    expect(fresh.overdue).toBe(false);
    expect(fresh.hoursLeft).toBeGreaterThan(71);
    const open = await call(backend, 'privacy.listRequests', { status: 'open' });
    expect(open.map((r) => r.id).slice(0, 2)).toEqual([old.id, fresh.id]); // most urgent first
    expect(
      (await expectRefusal('privacy.createRequest', { citizenId: '123', kind: 'access', legalBasis: 'x' })).field,
    ).toBe('citizenId');
    expect(
      (await expectRefusal('privacy.createRequest', { citizenId: CITIZEN_B, kind: 'access', legalBasis: '' })).field,
    ).toBe('legalBasis');
    const refused = await expectRefusal('privacy.closeRequest', { id: old.id, status: 'refused', outcome: '' });
    expect(refused.field).toBe('outcome');
    const closed = await call(backend, 'privacy.closeRequest', { id: old.id, status: 'done', outcome: 'Đã trả lời' });
    expect(closed).toMatchObject({ status: 'done', overdue: true, hoursLeft: null });
  });

  it("exports every document of one ID number as one PDF and as a ZIP, and none of another's", async () => {
    const request = await call(backend, 'privacy.createRequest', {
      citizenId: CITIZEN_B,
      kind: 'access',
      legalBasis: 'Quyền của chủ thể dữ liệu',
    });
    const pdf = await call(backend, 'privacy.exportCitizen', { requestId: request.id, format: 'pdf' });
    const pdfFile = path.join(temp.dir, 'citizen.pdf');
    writeFileSync(pdfFile, Buffer.from(await streamBytes(backend.exports.download(pdf.token)!.open())));
    const text = execFileSync('pdftotext', ['-layout', pdfFile, '-'], { encoding: 'utf8' });
    expect(text).toContain(CITIZEN_B);
    expect(text).toContain(dossierB.code);
    expect(text).toMatch(/BINHDOSSIER/);
    expect(text).toMatch(/BINHCHUANOP/);
    expect(text).not.toMatch(/CUONGPAPER/);
    expect(text).not.toContain(CITIZEN_C);
    expect(text).not.toContain(dossierC.code);

    const zip = await call(backend, 'privacy.exportCitizen', { requestId: request.id, format: 'zip' });
    const zipFile = path.join(temp.dir, 'citizen.zip');
    writeFileSync(zipFile, Buffer.from(await streamBytes(backend.exports.download(zip.token)!.open())));
    const listing = execFileSync('unzip', ['-Z1', zipFile], { encoding: 'utf8' }).trim().split('\n');
    expect(listing.filter((n) => n.endsWith('.pdf')).length).toBe(2);
    expect(listing).toContain('manifest.json');
    const manifestText = execFileSync('unzip', ['-p', zipFile, 'manifest.json'], { encoding: 'utf8' });
    const manifest = JSON.parse(manifestText) as {
      citizenId: string;
      dossiers: { code: string }[];
      documents: { id: string; file: string | null; tags: unknown[] }[];
      processingLog: { action: string; subject: string }[];
    };
    expect(manifest.citizenId).toBe(CITIZEN_B);
    expect(manifest.dossiers.map((d) => d.code)).toEqual([dossierB.code]);
    expect(manifest.documents.map((d) => d.id).sort()).toEqual([...dossierB.documents, unfiledB, 'shared-doc'].sort());
    expect(manifest.processingLog.some((e) => e.action === 'export' && e.subject === `citizen:${CITIZEN_B}`)).toBe(
      true,
    );
    expect(manifestText).not.toContain(CITIZEN_C);
    expect(manifestText).not.toContain(dossierC.code);
    for (const name of listing.filter((n) => n.endsWith('.pdf'))) {
      const part = execFileSync('sh', ['-c', `unzip -p "${zipFile}" "${name}" | pdftotext - -`], { encoding: 'utf8' });
      expect(part).toMatch(/BINH(DOSSIER|CHUANOP)/);
    }
    const exports = logEntries(`citizen:${CITIZEN_B}`).filter((e) => e.action === 'export');
    expect(exports.length).toBe(2);
    expect(exports[0]!.legal_basis).toContain('Quyền của chủ thể dữ liệu');
    // An export answers an access request only.
    const deletion = await call(backend, 'privacy.createRequest', {
      citizenId: CITIZEN_C,
      kind: 'deletion',
      legalBasis: 'Yêu cầu xoá dữ liệu',
    });
    expect((await expectRefusal('privacy.exportCitizen', { requestId: deletion.id, format: 'pdf' })).code).toBe(
      'CONFLICT',
    );
    await call(backend, 'privacy.closeRequest', { id: deletion.id, status: 'done', outcome: 'Nhập nhầm' });
  });

  it('hides a restricted citizen from reuse, and from search except for administrators', async () => {
    await createUser(backend.db, {
      username: 'canbo1',
      displayName: 'Cán bộ',
      role: 'clerk',
      password: 'mat-khau-thu',
    });
    const { token } = await signIn(backend.db, { username: 'canbo1', password: 'mat-khau-thu' });
    const asClerk = async (q: string) => {
      const result = await backend.call('search.query', { q, limit: 10 }, { token, fromPerson: true });
      if (!result.ok) throw new Error(result.error.message);
      return result.value as unknown[];
    };
    expect((await asClerk('CUONGPAPER')).length).toBe(1);
    expect((await call(backend, 'reuse.lookup', { citizenId: CITIZEN_C })).length).toBeGreaterThan(0);

    const request = await call(backend, 'privacy.createRequest', {
      citizenId: CITIZEN_C,
      kind: 'restriction',
      legalBasis: 'Yêu cầu hạn chế xử lý',
    });
    expect((await call(backend, 'privacy.restrict', { requestId: request.id })).restricted).toBe(true);
    expect(await call(backend, 'reuse.lookup', { citizenId: CITIZEN_C })).toEqual([]);
    expect(await asClerk('CUONGPAPER')).toEqual([]);
    expect((await call(backend, 'search.query', { q: 'CUONGPAPER', limit: 10 })).length).toBe(1); // the admin
    expect((await asClerk('BINHDOSSIER')).length).toBe(1); // others are unaffected

    expect((await call(backend, 'privacy.liftRestriction', { requestId: request.id })).restricted).toBe(false);
    expect((await asClerk('CUONGPAPER')).length).toBe(1);
    expect(logEntries(`restriction:${CITIZEN_C}`)).toMatchObject([{ action: 'update', citizen_id: CITIZEN_C }]);
    expect(logEntries(`restriction-lifted:${CITIZEN_C}`).length).toBe(1);
  });

  it('refuses to delete case files kept under retention, naming them, and deletes the rest', async () => {
    const refusedRequest = await call(backend, 'privacy.createRequest', {
      citizenId: CITIZEN_C,
      kind: 'deletion',
      legalBasis: 'Yêu cầu xoá dữ liệu',
    });
    const refusal = await expectRefusal('privacy.deleteCitizenData', { requestId: refusedRequest.id });
    expect(refusal.code).toBe('CONFLICT');
    expect(refusal.message).toContain(dossierC.code);
    expect(refusal.message).toMatch(/lưu giữ/);
    const closed = (await call(backend, 'privacy.listRequests', {})).find((r) => r.id === refusedRequest.id);
    expect(closed).toMatchObject({ status: 'refused', outcome: refusal.message });
    expect(await stored(filesOf(dossierC.documents))).toEqual(filesOf(dossierC.documents).map(() => true));

    const unfiledFiles = filesOf([unfiledB]);
    const request = await call(backend, 'privacy.createRequest', {
      citizenId: CITIZEN_B,
      kind: 'deletion',
      legalBasis: 'Yêu cầu xoá dữ liệu',
    });
    const outcome = await call(backend, 'privacy.deleteCitizenData', { requestId: request.id });
    expect(outcome).toMatchObject({ deletedDocuments: 2, keptDossiers: [dossierB.code] });
    expect(outcome.outcome).toContain(dossierB.code);
    expect(await stored(unfiledFiles)).toEqual(unfiledFiles.map(() => false));
    expect(backend.db.prepare('SELECT count(*) AS n FROM documents WHERE id = ?').get(unfiledB)).toEqual({ n: 0 });
    expect(await call(backend, 'search.query', { q: 'BINHCHUANOP', limit: 10 })).toEqual([]);
    expect((await call(backend, 'search.query', { q: 'BINHDOSSIER', limit: 10 })).length).toBe(1);
    // The image the purged dossier shared with the deleted copy is gone now too: nothing uses it.
    expect(logEntries(`document:${unfiledB}`)).toMatchObject([{ action: 'delete', citizen_id: CITIZEN_B }]);
    expect((await call(backend, 'privacy.listRequests', {})).find((r) => r.id === request.id)?.status).toBe('done');
  });

  it('logs the command line export, and the processing log chain still verifies', async () => {
    const out = path.join(temp.dir, 'cli-export.pdf');
    const exported = await runCli(['export', dossierB.id, '--pdf', out]);
    expect(exported.code).toBe(0);
    expect(readFileSync(out).subarray(0, 5).toString()).toBe('%PDF-');
    expect(logEntries(`dossier:${dossierB.id}`).filter((e) => e.action === 'export')).toMatchObject([
      { citizen_id: CITIZEN_B },
    ]);
    expect(verifyProcessingLog(backend.db)).toMatchObject({ ok: true });
    expect(await runCli(['audit', 'verify'])).toMatchObject({ code: 0 });
  });
});

async function streamBytes(stream: NodeJS.ReadableStream): Promise<Uint8Array> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as string));
  return Buffer.concat(chunks);
}
