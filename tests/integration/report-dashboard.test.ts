/**
 * The supervisor's dashboard over real SQLite: the trend by month, the drill-down from every number
 * to exactly the dossiers it counts, the CSV files (BOM, Vietnamese intact), the monthly PDF
 * (text read back with poppler's pdftotext) and the postal workload's colour modes.
 */
import { execFileSync } from 'node:child_process';
import { createHash, randomUUID } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { buffer } from 'node:stream/consumers';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { main as cli } from '../../electron/cli/main';
import { createUser, signIn } from '../../electron/core/accounts/accounts';
import { openBackend, type Backend } from '../../electron/core/backend';
import { encodePageImage, pageColourMode } from '../../electron/core/pdf/page-image';
import type { CallInput, CallName, CallOutput, ExportFile } from '../../shared/api/contract';
import { DRILL_MEASURES } from '../../shared/api/calls/reports';
import type { Role } from '../../shared/api/permissions';
import { REPORT_GROUPINGS } from '../../shared/domain/scorecard';
import { tempDir } from '../support/temp-backend';

const CITIZENS = ['001085012345', '079190123456', '048085006789'];
const PROCEDURES = ['1.004227', '1.001193'];
const UNITS = ['000.00.01.H26', '000.00.02.H26'];
const CLERKS = ['clerk-a', 'clerk-b', 'clerk-c'];
const QUARTER = { from: '2026-01-01', to: '2026-03-31' };
const PASSPHRASE = 'cum-mat-khau-thu';
const FACT_MEASURES = ['received', 'digitized', 'reused', 'resultsDigitized', 'linkedToStore'] as const;

/** A small deterministic generator: the same dossiers every run. */
function lcg(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1103515245 + 12345) % 2 ** 31;
    return state / 2 ** 31;
  };
}

describe('reports dashboard: trend, drill-down, CSV, monthly PDF, workload colour', () => {
  const { dir, cleanup } = tempDir('sohoa-report-dashboard-');
  let backend: Backend;
  const tokens = {} as Record<Role, string>;
  const run = (sql: string, ...params: unknown[]) => backend.db.prepare(sql).run(...params);

  async function as<N extends CallName>(role: Role, name: N, input: CallInput<N>): Promise<CallOutput<N>> {
    const result = await backend.call(name, input, { token: tokens[role] });
    if (!result.ok) throw new Error(`${name} failed: ${result.error.code} ${result.error.message}`);
    return result.value as CallOutput<N>;
  }

  async function downloaded(file: ExportFile): Promise<Buffer> {
    const download = backend.exports.download(file.token);
    if (!download) throw new Error('download vanished');
    return buffer(download.open());
  }

  async function storeImage(bytes: Buffer): Promise<string> {
    const { sha256, size } = await backend.store.put(bytes);
    run(
      "INSERT OR IGNORE INTO blobs (sha256, size, mime, created_at) VALUES (?, ?, 'image/png', ?)",
      sha256,
      size,
      '2026-03-01T00:00:00.000Z',
    );
    return sha256;
  }

  beforeAll(async () => {
    backend = await openBackend({
      dataDir: dir,
      host: 'browser',
      runOcr: false,
      runSync: false,
      watchHotFolders: false,
      passphrase: PASSPHRASE,
    });
    for (const role of ['admin', 'supervisor', 'postal', 'clerk'] as const) {
      await createUser(backend.db, { username: `tk-${role}`, displayName: role, role, password: 'mat-khau-thu' });
      tokens[role] = (await signIn(backend.db, { username: `tk-${role}`, password: 'mat-khau-thu' })).token;
    }
    const random = lcg(766);
    const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)] as T;
    for (let n = 0; n < 48; n++) {
      const dossier = await as('admin', 'dossiers.create', {
        citizenId: pick(CITIZENS),
        citizenName: 'Nguyễn Thị Thử',
        procedureCode: pick(PROCEDURES),
        channel: pick([1, 2, 3] as const),
      });
      // Spread over Dec 2025 – Apr 2026 so the quarter's edges cut some off.
      const at = new Date(Date.UTC(2025, 11, 20) + Math.floor(random() * 130 * 24) * 3_600_000).toISOString();
      const code = `${pick(UNITS)}-${at.slice(2, 4)}${at.slice(5, 7)}${at.slice(8, 10)}-${String(n + 1).padStart(4, '0')}`;
      run('UPDATE dossiers SET created_at = ?, updated_at = ?, code = ? WHERE id = ?', at, at, code, dossier.id);
      run(
        "UPDATE dossier_status_history SET at = ?, actor = ? WHERE dossier_id = ? AND to_status = 'received'",
        at,
        pick(CLERKS),
        dossier.id,
      );
      const components = backend.db
        .prepare('SELECT id FROM dossier_components WHERE dossier_id = ?')
        .all(dossier.id) as { id: string }[];
      for (const c of components) {
        const state = pick(['not_digitized', 'digitized', 'digitized', 'reused_component'] as const);
        run(
          'UPDATE dossier_components SET state = ?, digitized = ?, reused = ?, from_national_store = ? WHERE id = ?',
          state,
          state === 'not_digitized' ? 0 : 1,
          state === 'reused_component' ? 1 : 0,
          state === 'reused_component' && random() < 0.5 ? 1 : 0,
          c.id,
        );
      }
      if (random() < 0.5) {
        const documentId = randomUUID();
        run(
          `INSERT INTO documents (id, dossier_id, citizen_id, title, source_name, source_sha256, page_count, created_at)
           VALUES (?, ?, ?, 'Kết quả', 'kq.png', ?, 1, ?)`,
          documentId,
          dossier.id,
          CITIZENS[0],
          await storeImage(Buffer.from(randomUUID())),
          at,
        );
        run(
          "UPDATE dossiers SET result_code = 'KQ.G15.000031', result_document_id = ? WHERE id = ?",
          random() < 0.7 ? documentId : null,
          dossier.id,
        );
      }
    }
  });

  afterAll(async () => {
    await backend?.close();
    cleanup();
  });

  it('drills down to exactly the dossiers each number counts, for every grouping', async () => {
    for (const by of [undefined, ...REPORT_GROUPINGS]) {
      const report = await as('supervisor', 'reports.indicators', { ...QUARTER, ...(by ? { by } : {}) });
      expect(report.total.received).toBeGreaterThan(20);
      for (const row of report.groups) {
        for (const measure of FACT_MEASURES) {
          const list = await as('supervisor', 'reports.drillDown', {
            ...QUARTER,
            ...(by ? { by, group: row.group } : {}),
            measure,
            limit: 500,
          });
          expect(list.total, `${by ?? 'all'} ${row.group} ${measure}`).toBe(row[measure]);
          expect(list.rows).toHaveLength(row[measure]);
          expect(new Set(list.rows.map((r) => r.dossierId)).size).toBe(row[measure]);
          for (const r of list.rows) {
            if (by === 'procedure') expect(r.procedureCode).toBe(row.group);
            if (by === 'channel') expect(r.channel).toBe(row.group);
            if (by === 'unit') expect(r.unit).toBe(row.group);
            if (by === 'clerk') expect(r.clerk).toBe(row.group);
            if (measure === 'digitized') expect(r.facts?.digitized).toBe(true);
            if (measure === 'reused') expect(r.facts?.reused).toBe(true);
            expect(r.receivedAt >= '2025-12-31T17:00:00.000Z' && r.receivedAt < '2026-03-31T17:00:00.000Z').toBe(true);
          }
        }
      }
    }
    // Paging: the pages join up to the whole list.
    const all = await as('supervisor', 'reports.drillDown', { ...QUARTER, measure: 'received', limit: 500 });
    const first = await as('supervisor', 'reports.drillDown', { ...QUARTER, measure: 'received', limit: 10 });
    const second = await as('supervisor', 'reports.drillDown', {
      ...QUARTER,
      measure: 'received',
      offset: 10,
      limit: 10,
    });
    expect([...first.rows, ...second.rows].map((r) => r.dossierId)).toEqual(
      all.rows.slice(0, 20).map((r) => r.dossierId),
    );
    expect(first.total).toBe(all.total);
  });

  it('drills down to the dossiers of each missing list', async () => {
    const missing = await as('supervisor', 'reports.missing', { ...QUARTER, limit: 5000 });
    expect(missing.withoutFiles.length).toBeGreaterThan(0);
    for (const [measure, ids] of [
      ['withoutFiles', missing.withoutFiles.map((d) => d.dossierId)],
      ['resultsNotDigitized', missing.resultsNotDigitized.map((d) => d.dossierId)],
    ] as const) {
      const list = await as('supervisor', 'reports.drillDown', { ...QUARTER, measure, limit: 500 });
      expect(list.total).toBe(new Set(ids).size);
      expect(list.rows.map((r) => r.dossierId).sort()).toEqual([...new Set(ids)].sort());
    }
    expect(DRILL_MEASURES).toContain('pendingApproval');
  });

  it('gives the trend by Vietnam month, each month as computed alone', async () => {
    const trend = await as('supervisor', 'reports.trend', QUARTER);
    expect(trend.months.map((m) => m.month)).toEqual(['2026-01', '2026-02', '2026-03']);
    for (const m of trend.months) {
      const alone = await as('supervisor', 'reports.indicators', { from: m.from, to: m.to });
      expect({ ...m.row, group: 'all' }).toEqual(alone.total);
    }
    const total = await as('supervisor', 'reports.indicators', QUARTER);
    expect(trend.months.reduce((sum, m) => sum + m.row.received, 0)).toBe(total.total.received);
    // One procedure's trend counts only its dossiers.
    const byProcedure = await as('supervisor', 'reports.indicators', { ...QUARTER, by: 'procedure' });
    const one = byProcedure.groups[0];
    if (!one) throw new Error('no procedure group');
    const procedureTrend = await as('supervisor', 'reports.trend', { ...QUARTER, by: 'procedure', group: one.group });
    expect(procedureTrend.months.reduce((sum, m) => sum + m.row.digitized, 0)).toBe(one.digitized);
  });

  it('exports what is on screen as CSV with a BOM and Vietnamese intact', async () => {
    const indicators = await downloaded(
      await as('supervisor', 'reports.csv', { kind: 'indicators', ...QUARTER, by: 'procedure' }),
    );
    expect([...indicators.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const indicatorsText = indicators.toString('utf8');
    expect(indicatorsText).toContain('Tỷ lệ số hóa / digitizedRate');
    expect(indicatorsText).toContain('1.004227');

    const file = await as('supervisor', 'reports.csv', {
      kind: 'drillDown',
      ...QUARTER,
      by: 'procedure',
      group: '1.001193',
      measure: 'received',
    });
    expect(file.mime).toMatch(/^text\/csv/);
    const bytes = await downloaded(file);
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = bytes.toString('utf8').slice(1).trim().split('\r\n');
    const received = (await as('supervisor', 'reports.indicators', { ...QUARTER, by: 'procedure' })).groups.find(
      (g) => g.group === '1.001193',
    );
    expect(lines).toHaveLength((received?.received ?? 0) + 1);
    expect(lines[0]).toContain('Mã hồ sơ / code');
    expect(lines[1]).toContain('Đăng ký khai sinh');

    for (const kind of ['trend', 'missing'] as const) {
      const text = (await downloaded(await as('supervisor', 'reports.csv', { kind, ...QUARTER }))).toString('utf8');
      expect(text.startsWith('\uFEFF')).toBe(true);
    }
  });

  it('draws the monthly PDF in Vietnamese with its numbers, from the call and from the command', async () => {
    const march = await as('supervisor', 'reports.indicators', { from: '2026-03-01', to: '2026-03-31' });
    const pdf = await downloaded(await as('supervisor', 'reports.monthlyPdf', { month: '2026-03' }));
    const file = path.join(dir, 'thang-3.pdf');
    writeFileSync(file, pdf);
    const text = execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
    expect(text).toContain('BÁO CÁO KẾT QUẢ SỐ HÓA HỒ SƠ THÁNG 03/2026');
    expect(text).toContain('từ ngày 01/03/2026 đến ngày 31/03/2026');
    expect(text).toContain(`Tổng số hồ sơ tiếp nhận trong kỳ: ${march.total.received}`);
    const points = march.total.points.total;
    expect(text).toContain(`Tổng điểm các chỉ số đo được: ${String(points).replace('.', ',')}`);
    expect(text).toContain('Xu hướng 12 tháng');
    expect(text).toContain('Xếp hạng theo đơn vị tiếp nhận');
    expect(text).toContain('1.001193 Đăng ký khai sinh');
    for (const unit of march.groups.length ? UNITS.filter((u) => text.includes(u)) : []) expect(unit).toMatch(/H26/);
    expect(text).toContain('Hồ sơ còn thành phần chưa có tệp');

    // The command writes the same report to a file.
    const out = path.join(dir, 'cli-thang-3.pdf');
    const stdout = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    let code: number;
    const passphrase = process.env.SOHOA_PASSPHRASE;
    process.env.SOHOA_PASSPHRASE = PASSPHRASE;
    try {
      code = await cli(['report', '--month', '2026-03', '--pdf', out, '--data', backend.dataDir]);
    } finally {
      stdout.mockRestore();
      if (passphrase === undefined) delete process.env.SOHOA_PASSPHRASE;
      else process.env.SOHOA_PASSPHRASE = passphrase;
    }
    expect(code).toBe(0);
    expect(readFileSync(out).subarray(0, 5).toString()).toBe('%PDF-');
    const cliText = execFileSync('pdftotext', [out, '-'], { encoding: 'utf8' });
    expect(cliText).toContain(`Tổng số hồ sơ tiếp nhận trong kỳ: ${march.total.received}`);
  });

  it('counts pages by colour mode per operator, and a postal operator sees only their own', async () => {
    const white = { r: 255, g: 255, b: 255 };
    const size = { width: 400, height: 560 };
    // A page with a red seal, a photo-like grey page, and a black-and-white page.
    const seal = Buffer.from(
      `<svg xmlns="http://www.w3.org/2000/svg" width="400" height="560"><rect width="400" height="560" fill="white"/>` +
        `<text x="20" y="60" font-size="30">Giấy khai sinh</text><circle cx="300" cy="450" r="60" fill="none" stroke="#d01010" stroke-width="8"/></svg>`,
    );
    const colour = await sharp(seal).png().toBuffer();
    const greyPixels = Buffer.alloc(size.width * size.height);
    for (let i = 0; i < greyPixels.length; i++) greyPixels[i] = 60 + ((i % size.width) * 140) / size.width;
    const grey = await sharp(greyPixels, { raw: { ...size, channels: 1 } })
      .png()
      .toBuffer();
    const bw = await sharp({ create: { ...size, channels: 3, background: white } })
      .composite([
        {
          input: { create: { width: 200, height: 20, channels: 3, background: { r: 0, g: 0, b: 0 } } },
          top: 50,
          left: 40,
        },
      ])
      .toColourspace('b-w')
      .png()
      .toBuffer();

    // The mode counted is the one the archival PDF keeps the page in.
    for (const [image, expected, pdfModes] of [
      [colour, 'colour', ['colour']],
      [grey, 'greyscale', ['grey', 'greyText']],
      [bw, 'bilevel', ['bilevel']],
    ] as const) {
      expect(await pageColourMode(image)).toBe(expected);
      expect(pdfModes).toContain((await encodePageImage(image)).mode);
    }

    const dossier = await as('admin', 'dossiers.create', {
      citizenId: CITIZENS[0] ?? '',
      procedureCode: '1.004227',
      channel: 3,
    });
    const component = backend.db
      .prepare('SELECT id FROM dossier_components WHERE dossier_id = ? LIMIT 1')
      .get(dossier.id) as { id: string };
    const addedAt = new Date().toISOString();
    const today = new Date(Date.now() + 7 * 3_600_000).toISOString().slice(0, 10);
    // The postal operator's own scans are recorded under their account (the actor their calls record).
    const own = 'tk-postal';
    const scans: [string, Buffer[]][] = [
      [own, [colour, grey, bw]],
      ['postal-other', [bw, bw]],
    ];
    for (const [operator, images] of scans) {
      const documentId = randomUUID();
      run(
        `INSERT INTO documents (id, dossier_id, citizen_id, title, source_name, source_sha256, page_count, created_at)
         VALUES (?, ?, ?, 'Tờ khai', 'tk.png', ?, ?, ?)`,
        documentId,
        dossier.id,
        CITIZENS[0],
        await storeImage(Buffer.from(randomUUID())),
        images.length,
        addedAt,
      );
      for (const [i, image] of images.entries()) {
        const sha = await storeImage(image);
        run(
          `INSERT INTO pages (document_id, page_no, image_sha256, thumb_sha256, width, height, dpi)
           VALUES (?, ?, ?, ?, 1654, 2339, 200)`,
          documentId,
          i + 1,
          sha,
          sha,
        );
      }
      run(
        `INSERT INTO component_items (id, component_id, document_id, kind, approval, added_by, added_at)
         VALUES (?, ?, ?, 'scanned', 'pending', ?, ?)`,
        randomUUID(),
        component.id,
        documentId,
        operator,
        addedAt,
      );
    }
    const period = { from: today, to: today, per: 'day' as const };
    const all = await as('supervisor', 'reports.postalWorkload', period);
    const mine = all.rows.find((r) => r.operator === own);
    expect(mine).toMatchObject({ pages: 3, pagesA4: 3, pagesColour: 1, pagesGreyscale: 1, pagesBilevel: 1 });
    expect(all.rows.find((r) => r.operator === 'postal-other')).toMatchObject({ pages: 2, pagesBilevel: 2 });
    // Those pages were stored without a recorded mode (as before migration 009): the report derived
    // it once and wrote it back, so the next report reads the column even if the image is gone.
    const modeOf = backend.db.prepare('SELECT colour_mode FROM pages WHERE image_sha256 = ?').pluck();
    expect(modeOf.all(createHash('sha256').update(colour).digest('hex'))).toEqual(['colour']);
    expect(modeOf.all(createHash('sha256').update(bw).digest('hex'))).toEqual(['bilevel', 'bilevel', 'bilevel']);

    // An imported page records its mode at import, from the pixels as scanned.
    for (const [name, image, expected] of [
      ['con-dau.png', colour, 'colour'],
      ['thang-xam.png', grey, 'greyscale'],
      ['den-trang.png', bw, 'bilevel'],
    ] as const) {
      const token = await backend.uploads.receive(name, image);
      const [outcome] = await as('admin', 'pages.import', { dossierId: null, uploads: [token] });
      if (!outcome?.ok) throw new Error(`${name} not imported`);
      const recorded = backend.db.prepare('SELECT colour_mode FROM pages WHERE id = ?').pluck();
      expect(recorded.get(outcome.pageIds[0])).toBe(expected);
    }

    const postal = await as('postal', 'reports.postalWorkload', period);
    expect(postal.rows.map((r) => r.operator)).toEqual([own]);
    const csv = (await downloaded(await as('postal', 'reports.postalWorkloadCsv', period))).toString('utf8');
    expect(csv.startsWith('\uFEFF')).toBe(true);
    expect(csv).toContain('Thang xám / greyscale');
    expect(csv).not.toContain('postal-other');

    // Indicators and drill-downs are the supervisor's: a postal operator or a clerk is refused.
    for (const role of ['postal', 'clerk'] as const) {
      const refused = await backend.call('reports.drillDown', { ...QUARTER }, { token: tokens[role] });
      expect(refused.ok ? null : refused.error.code).toBe('FORBIDDEN');
    }
  });
});
