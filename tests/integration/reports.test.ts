import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { main as cli } from '../../electron/cli/main';
import type { Backend } from '../../electron/core/backend';
import { call, openTempBackend } from '../support/temp-backend';

/**
 * The 766 indicators over real SQLite. Reception times and component flags are set directly in
 * the tables (the checklist's own tests cover how flags get there): these fixtures pin the
 * period edges to the second in Asia/Ho_Chi_Minh.
 */

const CITIZEN = '001085012345';
const OTHER = '079190123456';
const PERIOD = { from: '2026-03-01', to: '2026-03-31' };

type ComponentState = 'not_digitized' | 'digitized' | 'reused_component' | 'reused_result';

describe('reports: the 766 indicators and the missing lists', () => {
  let backend: Backend;
  let close: () => Promise<void>;
  const ids: Record<string, string> = {};

  const run = (sql: string, ...params: unknown[]) => backend.db.prepare(sql).run(...params);

  async function receive(
    name: string,
    procedureCode: string,
    channel: 1 | 2 | 3,
    receivedAt: string,
    citizen = CITIZEN,
  ) {
    const dossier = await call(backend, 'dossiers.create', {
      citizenId: citizen,
      citizenName: 'Nguyễn Văn Thử',
      procedureCode,
      channel,
    });
    ids[name] = dossier.id;
    // Reception time is set in SQLite: the edges of the period are what is tested.
    run('UPDATE dossiers SET created_at = ?, updated_at = ? WHERE id = ?', receivedAt, receivedAt, dossier.id);
    run(
      "UPDATE dossier_status_history SET at = ? WHERE dossier_id = ? AND to_status = 'received'",
      receivedAt,
      dossier.id,
    );
    return dossier.id;
  }

  function setComponent(dossierId: string, code: string, state: ComponentState, national = false) {
    run(
      `UPDATE dossier_components SET state = ?, digitized = ?, reused = ?, from_national_store = ?,
              replacing_result_code = ? WHERE dossier_id = ? AND code = ?`,
      state,
      state === 'not_digitized' ? 0 : 1,
      state.startsWith('reused') ? 1 : 0,
      national ? 1 : 0,
      state === 'reused_result' ? 'KQ.G15.000031' : null,
      dossierId,
      code,
    );
  }

  function addDocument(
    dossierId: string | null,
    citizen: string,
    docType: string,
    createdAt: string,
    validUntil: string | null = null,
  ) {
    const id = randomUUID();
    const sha = randomUUID().replace(/-/g, '').padEnd(64, '0');
    run("INSERT INTO blobs (sha256, size, mime, created_at) VALUES (?, 1, 'image/png', ?)", sha, createdAt);
    run(
      `INSERT INTO documents (id, dossier_id, citizen_id, title, source_name, source_sha256, page_count, created_at, doc_type, valid_until)
       VALUES (?, ?, ?, 'Giấy tờ thử', 'thu.png', ?, 1, ?, ?, ?)`,
      id,
      dossierId,
      citizen,
      sha,
      createdAt,
      docType,
      validUntil,
    );
    return id;
  }

  function recordResult(dossierId: string, scanned: boolean) {
    const documentId = scanned ? addDocument(dossierId, CITIZEN, 'ket-qua', '2026-03-20T03:00:00.000Z') : null;
    run(
      "UPDATE dossiers SET status = 'result_recorded', result_code = 'KQ-1', result_document_id = ? WHERE id = ?",
      documentId,
      dossierId,
    );
  }

  function addScan(
    dossierId: string,
    componentCode: string,
    documentId: string,
    addedAt: string,
    approval: 'pending' | 'approved' | 'rejected',
    operator = 'clerk1',
  ) {
    const component = backend.db
      .prepare('SELECT id FROM dossier_components WHERE dossier_id = ? AND code = ?')
      .get(dossierId, componentCode) as { id: string };
    run(
      `INSERT INTO component_items (id, component_id, document_id, kind, approval, approval_reason, added_by, added_at)
       VALUES (?, ?, ?, 'scanned', ?, ?, ?, ?)`,
      randomUUID(),
      component.id,
      documentId,
      approval,
      approval === 'rejected' ? 'Mờ' : null,
      operator,
      addedAt,
    );
  }

  beforeAll(async () => {
    ({ backend, close } = await openTempBackend({ runOcr: false, runSync: false }));
    // In the period (March 2026, Vietnam time):
    // D1 one component scanned, paper result scanned: digitized, result digitized.
    const d1 = await receive('D1', '1.004227', 1, '2026-03-10T02:00:00.000Z');
    setComponent(d1, 'TK', 'digitized');
    recordResult(d1, true);
    // D2 TK reused from the national store, GCS scanned, no result yet: reused + linked, not digitized.
    const d2 = await receive('D2', '1.001193', 2, '2026-03-11T02:00:00.000Z');
    setComponent(d2, 'TK', 'reused_component', true);
    setComponent(d2, 'GCS', 'digitized');
    // D3 everything reused, result scanned: reused AND digitized.
    const d3 = await receive('D3', '1.001193', 3, '2026-03-12T02:00:00.000Z');
    setComponent(d3, 'TK', 'reused_component');
    setComponent(d3, 'GCS', 'reused_result');
    recordResult(d3, true);
    // D4 nothing scanned.
    await receive('D4', '1.004227', 1, '2026-03-13T02:00:00.000Z');
    // D5 at 23:59:59 +07 on the last day: in. Digitized.
    const d5 = await receive('D5', '1.004227', 1, '2026-03-31T16:59:59.000Z');
    setComponent(d5, 'TK', 'digitized');
    recordResult(d5, true);
    // D7 at 00:00:00 +07 on the first day: in. Result recorded on paper only.
    const d7 = await receive('D7', '1.004227', 1, '2026-02-28T17:00:00.000Z');
    setComponent(d7, 'TK', 'digitized');
    recordResult(d7, false);
    // Outside: D6 at 00:00:00 +07 the next day, D8 at 23:59:59 +07 the day before. Both digitized.
    for (const [name, at] of [
      ['D6', '2026-03-31T17:00:00.000Z'],
      ['D8', '2026-02-28T16:59:59.000Z'],
    ] as const) {
      const id = await receive(name, '1.004227', 1, at);
      setComponent(id, 'TK', 'digitized');
      recordResult(id, true);
    }
    // D2 is received by another unit and another clerk (grouping).
    run("UPDATE dossiers SET code = '000.00.02.H99-260311-0001' WHERE id = ?", d2);
    run("UPDATE dossier_status_history SET actor = 'clerk2' WHERE dossier_id = ? AND to_status = 'received'", d2);

    // Missed reuse: the citizen's declaration (to-khai) from D8 existed when D4's was scanned again.
    addDocument(ids.D8 ?? null, CITIZEN, 'to-khai', '2026-02-28T17:30:00.000Z');
    addScan(
      d1,
      'TK',
      addDocument(d1, CITIZEN, 'to-khai', '2026-03-10T02:05:00.000Z'),
      '2026-03-10T02:05:00.000Z',
      'approved',
    );
    // Another citizen's rescan with only an expired document on record: not a missed reuse.
    const d9 = await receive('D9', '1.004227', 1, '2026-03-15T02:00:00.000Z', OTHER);
    addDocument(null, OTHER, 'to-khai', '2025-01-01T00:00:00.000Z', '2025-12-31');
    addScan(
      d9,
      'TK',
      addDocument(d9, OTHER, 'to-khai', '2026-03-15T02:05:00.000Z'),
      '2026-03-15T02:05:00.000Z',
      'pending',
    );
    setComponent(d9, 'TK', 'digitized');
  });

  afterAll(async () => {
    await close();
  });

  it('computes every indicator against a hand-computed period', async () => {
    const report = await call(backend, 'reports.indicators', PERIOD);
    // In: D1 D2 D3 D4 D5 D7 D9 = 7. Digitized (all components + paper result): D1 D3 D5 = 3.
    // Reused: D2 D3 = 2. Results digitized: D1 D3 D5 = 3. Linked: D2 = 1.
    expect(report.total).toMatchObject({
      group: 'all',
      received: 7,
      digitized: 3,
      digitizedRate: 0.4286,
      reused: 2,
      reusedRate: 0.2857,
      resultsDigitized: 3,
      resultsDigitizedRate: 0.4286,
      linkedToStore: 1,
      linkedToStoreRate: 0.1429,
    });
    // 4.1: 3/7 × 6 = 2.57; 4.2: 3/7 × 4 / 0.8 = 2.14; 4.3: 2/7 × 2 / 0.8 = 0.71; 4.4: 1/7 × 4 = 0.57.
    expect(report.total.points).toEqual({
      '4.1': 2.57,
      '4.2': 2.14,
      '4.3': 0.71,
      '4.4': 0.57,
      '4.5': null,
      total: 5.99,
    });
    expect(report.scorecard).toMatchObject({ version: 1, decision: '766/QĐ-TTg' });
    expect(report.scorecard.indicators.find((i) => i.id === '4.5')?.measured).toBe(false);
  });

  it('counts a dossier at 23:59:59 +07 on the last day and at 00:00:00 +07 on the first, not a second outside', async () => {
    const lastDay = await call(backend, 'reports.indicators', { from: '2026-03-31', to: '2026-03-31' });
    expect(lastDay.total.received).toBe(1); // D5, not D6
    const nextDay = await call(backend, 'reports.indicators', { from: '2026-04-01', to: '2026-04-01' });
    expect(nextDay.total.received).toBe(1); // D6
    const firstDay = await call(backend, 'reports.indicators', { from: '2026-03-01', to: '2026-03-01' });
    expect(firstDay.total.received).toBe(1); // D7, not D8
    const dayBefore = await call(backend, 'reports.indicators', { from: '2026-02-28', to: '2026-02-28' });
    expect(dayBefore.total.received).toBe(1); // D8
  });

  it('groups by channel, unit, clerk and procedure', async () => {
    const byChannel = await call(backend, 'reports.indicators', { ...PERIOD, by: 'channel' });
    expect(byChannel.groups.map((g) => [g.group, g.received, g.digitized, g.reused])).toEqual([
      ['direct', 5, 2, 0],
      ['online', 1, 0, 1],
      ['postal', 1, 1, 1],
    ]);
    // The postal dossier reuses at 100 % ≥ 80 %: full 2 points.
    expect(byChannel.groups[2]?.points['4.3']).toBe(2);

    const byUnit = await call(backend, 'reports.indicators', { ...PERIOD, by: 'unit' });
    expect(byUnit.groups.map((g) => g.received)).toEqual([6, 1]);
    expect(byUnit.groups[1]?.group).toBe('000.00.02.H99');

    const byClerk = await call(backend, 'reports.indicators', { ...PERIOD, by: 'clerk' });
    expect(byClerk.groups.find((g) => g.group === 'clerk2')?.received).toBe(1);

    const byProcedure = await call(backend, 'reports.indicators', { ...PERIOD, by: 'procedure' });
    expect(byProcedure.groups.map((g) => [g.group, g.received])).toEqual([
      ['1.001193', 2],
      ['1.004227', 5],
    ]);
  });

  it('reads the flags the checklist itself writes when a document is reused', async () => {
    const dossierId = await receive('R1', '1.004227', 1, '2026-05-05T03:00:00.000Z');
    const existing = addDocument(null, CITIZEN, 'to-khai', '2026-05-01T03:00:00.000Z');
    const checklist = await call(backend, 'checklist.get', { dossierId });
    const tk = checklist.components.find((c) => c.code === 'TK');
    if (!tk) throw new Error('the procedure has a TK component');
    await call(backend, 'checklist.reuse', { componentId: tk.id, documentId: existing });
    const day = await call(backend, 'reports.indicators', { from: '2026-05-05', to: '2026-05-05' });
    // Reused (and the component has a file), but the paper result is not scanned yet.
    expect(day.total).toMatchObject({ received: 1, reused: 1, reusedRate: 1, digitized: 0 });
    expect(day.total.points['4.3']).toBe(2);
  });

  it('counts postal workload per operator and day, by page size, with rescans and rejected pages', async () => {
    const p1 = await receive('P1', '1.001193', 3, '2026-06-01T01:00:00.000Z');
    const blob = 'b'.repeat(64);
    run(
      "INSERT INTO blobs (sha256, size, mime, created_at) VALUES (?, 1, 'image/png', '2026-06-01T00:00:00.000Z')",
      blob,
    );
    let pageNo = 0;
    const withPages = (sizes: [number, number, number | null][]) => {
      const documentId = addDocument(p1, CITIZEN, 'to-khai', '2026-06-01T01:30:00.000Z');
      for (const [width, height, dpi] of sizes) {
        run(
          'INSERT INTO pages (document_id, page_no, image_sha256, thumb_sha256, width, height, dpi) VALUES (?, ?, ?, ?, ?, ?, ?)',
          documentId,
          ++pageNo,
          blob,
          blob,
          width,
          height,
          dpi,
        );
      }
      return documentId;
    };
    const scan = (code: string, documentId: string, at: string, approval: 'approved' | 'rejected' | 'pending') =>
      addScan(p1, code, documentId, at, approval, 'postal1');
    // 1 June (Vietnam): an A4 + A3 scan rejected, the A4 rescanned, and a large plan at 23:30 +07.
    scan(
      'TK',
      withPages([
        [1654, 2339, 200],
        [2339, 3307, 200],
      ]),
      '2026-06-01T02:00:00.000Z',
      'rejected',
    );
    scan('TK', withPages([[1654, 2339, 200]]), '2026-06-01T03:00:00.000Z', 'approved');
    scan('GCS', withPages([[4000, 6000, 200]]), '2026-06-01T16:30:00.000Z', 'approved');
    // 2 June (Vietnam) at 00:30 +07: a page without a known resolution.
    scan('GCS', withPages([[1000, 1400, null]]), '2026-06-01T17:30:00.000Z', 'pending');
    run(
      "INSERT INTO dossier_status_history (dossier_id, from_status, to_status, actor, at) VALUES (?, 'digitizing', 'digitized', 'x', ?)",
      p1,
      '2026-06-01T05:00:00.000Z',
    );
    const byDay = await call(backend, 'reports.postalWorkload', { from: '2026-06-01', to: '2026-06-30' });
    expect(byDay.rows).toEqual([
      {
        operator: 'postal1',
        period: '2026-06-01',
        dossiers: 1,
        documents: 3,
        pages: 4,
        pagesA4: 2,
        pagesA3: 1,
        pagesLarger: 1,
        pagesUnknownSize: 0,
        // These pages' images are placeholders, not pictures: their colour mode is unknown.
        pagesColour: 0,
        pagesGreyscale: 0,
        pagesBilevel: 0,
        pagesUnknownColour: 4,
        rescans: 1,
        rejectedPages: 2,
        medianHoursToDigitized: 4,
      },
      {
        operator: 'postal1',
        period: '2026-06-02',
        dossiers: 1,
        documents: 1,
        pages: 1,
        pagesA4: 0,
        pagesA3: 0,
        pagesLarger: 0,
        pagesUnknownSize: 1,
        pagesColour: 0,
        pagesGreyscale: 0,
        pagesBilevel: 0,
        pagesUnknownColour: 1,
        rescans: 0, // a second document for GCS, not a redo
        rejectedPages: 0,
        medianHoursToDigitized: 4,
      },
    ]);
    const byMonth = await call(backend, 'reports.postalWorkload', {
      from: '2026-06-01',
      to: '2026-06-30',
      per: 'month',
    });
    expect(byMonth.rows).toHaveLength(1);
    expect(byMonth.rows[0]).toMatchObject({ period: '2026-06', documents: 4, pages: 5, rescans: 1, rejectedPages: 2 });
  });

  it('refuses a reversed or impossible period in Vietnamese and English', async () => {
    for (const input of [
      { from: '2026-03-31', to: '2026-03-01' },
      { from: '2026-02-30', to: '2026-03-01' },
    ]) {
      const result = await backend.call('reports.indicators', input);
      expect(result.ok).toBe(false);
      if (!result.ok) {
        expect(result.error.code).toBe('VALIDATION');
        expect(result.error.message).toMatch(/Khoảng thời gian/);
        expect(result.error.messageEn).toMatch(/Invalid period/);
      }
    }
  });

  it('lists what is missing', async () => {
    const missing = await call(backend, 'reports.missing', PERIOD);
    expect(missing.withoutFiles.map((d) => d.dossierId)).toEqual([ids.D4]);
    expect(missing.withoutFiles[0]?.componentsWithoutFile).toBe(1);
    expect(missing.resultsNotDigitized.map((d) => d.dossierId)).toEqual([ids.D7]);
    expect(missing.missedReuse).toHaveLength(1);
    expect(missing.missedReuse[0]).toMatchObject({ dossierId: ids.D1, docType: 'to-khai' });
    // Waiting now, whatever the period: D9's scan (D1's was approved).
    const pending = missing.pendingApproval.map((p) => p.dossierId);
    expect(pending).toContain(ids.D9);
    expect(pending).not.toContain(ids.D1);
    // Nothing personal in the lists.
    expect(JSON.stringify(missing)).not.toContain(CITIZEN);
    expect(JSON.stringify(missing)).not.toContain('Nguyễn');
  });

  it('prints one JSON object per group, and CSV with a BOM, from the command line', async () => {
    const out: string[] = [];
    const stdout = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
      out.push(String(chunk));
      return true;
    });
    let jsonCode: number;
    let csvCode: number;
    let csv = '';
    try {
      jsonCode = await cli([
        'report',
        ...['--from', PERIOD.from, '--to', PERIOD.to],
        '--by',
        'channel',
        '--json',
        '--data',
        backend.dataDir,
      ]);
      const json = out.splice(0).join('');
      csvCode = await cli([
        'report',
        ...['--from', PERIOD.from, '--to', PERIOD.to],
        '--csv',
        '--data',
        backend.dataDir,
      ]);
      csv = out.splice(0).join('');
      out.push(json);
    } finally {
      stdout.mockRestore();
    }
    expect(jsonCode).toBe(0);
    const lines = (out[0] ?? '')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines.map((l) => l.group)).toEqual(['direct', 'online', 'postal']);
    expect(Object.keys(lines[0] ?? {})).toEqual([
      'group',
      'received',
      'digitized',
      'digitizedRate',
      'reused',
      'reusedRate',
      'resultsDigitized',
      'linkedToStore',
      'points',
    ]);
    expect(lines[2]).toMatchObject({ received: 1, digitized: 1, reused: 1, reusedRate: 1 });
    expect(csvCode).toBe(0);
    expect(csv.startsWith('\uFEFF')).toBe(true);
    const rows = csv.slice(1).trim().split('\r\n');
    expect(rows[0]).toContain('Tiếp nhận / received');
    expect(rows[1]).toMatch(/^all,7,3,0\.4286,2,0\.2857,3,1,2\.57,2\.14,0\.71,0\.57,,5\.99$/);
  });
});
