/**
 * The 766 dashboard on one province-year of generated dossiers (issue 7, "Measure"): time to
 * compute a month's and a year's indicators, and the database size. Reference in the same run:
 * a plain `count(*)` scan of the dossiers table. Pages and full-text search are not generated here.
 *   npx tsx bench/reports.ts            (SOHOA_BENCH_DOSSIERS=200000 by default)
 * Prints JSON lines {"name","value","unit",...}.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openBackend, REPO_ASSETS_DIR } from '../electron/core/backend.ts';
import { activeCatalogVersionId } from '../electron/core/procedures/catalog.ts';
import { computeIndicators } from '../electron/core/reports/indicators.ts';
import { loadScorecard } from '../electron/core/reports/scorecard.ts';

const DOSSIERS = Number(process.env.SOHOA_BENCH_DOSSIERS) || 200_000;
const RUNS = 5;
const dir = mkdtempSync(path.join(os.tmpdir(), 'sohoa-bench-reports-'));
const emit = (line: Record<string, unknown>) => process.stdout.write(`${JSON.stringify(line)}\n`);

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}

function timeMs(run: () => unknown): number {
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const started = performance.now();
    run();
    times.push(performance.now() - started);
  }
  return Math.round(median(times) * 10) / 10;
}

const backend = await openBackend({ dataDir: dir, host: 'cli', runOcr: false, runSync: false });
try {
  const db = backend.db;
  const versionId = activeCatalogVersionId(db);
  const procedures = db.prepare('SELECT code FROM catalog_procedures WHERE version_id = ?').all(versionId) as {
    code: string;
  }[];
  const components = db.prepare(
    'SELECT code, name, doc_type, required FROM catalog_components WHERE version_id = ? AND procedure_code = ?',
  );
  const insertDossier = db.prepare(
    `INSERT INTO dossiers (id, code, citizen_id, citizen_name, catalog_version_id, procedure_code, status, channel,
                           created_at, updated_at)
     VALUES (?, ?, ?, '', ?, ?, 'received', ?, ?, ?)`,
  );
  const insertComponent = db.prepare(
    `INSERT INTO dossier_components (id, dossier_id, position, code, name, doc_type, required, state, digitized,
                                     reused, from_national_store, updated_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const insertHistory = db.prepare(
    `INSERT INTO dossier_status_history (dossier_id, from_status, to_status, actor, at) VALUES (?, NULL, 'received', ?, ?)`,
  );
  const started = performance.now();
  const yearStart = Date.parse('2025-01-01T00:00:00+07:00');
  const yearMs = 365 * 86_400_000;
  db.transaction(() => {
    for (let i = 0; i < DOSSIERS; i++) {
      const id = randomUUID();
      const procedure = procedures[i % procedures.length]?.code ?? '';
      const at = new Date(yearStart + Math.floor((i / DOSSIERS) * yearMs)).toISOString();
      const unit = `000.00.${String(1 + (i % 20)).padStart(2, '0')}.H26`;
      insertDossier.run(id, `${unit}-B${i}`, '001085012345', versionId, procedure, 1 + (i % 3), at, at);
      insertHistory.run(id, `clerk${i % 50}`, at);
      const list = components.all(versionId, procedure) as {
        code: string;
        name: string;
        doc_type: string;
        required: number;
      }[];
      list.forEach((c, position) => {
        const roll = (i * 7 + position * 13) % 10;
        const state = roll < 5 ? 'digitized' : roll < 8 ? 'reused_component' : 'not_digitized';
        const reused = state === 'reused_component' ? 1 : 0;
        insertComponent.run(
          randomUUID(),
          id,
          position,
          c.code,
          c.name,
          c.doc_type,
          c.required,
          state,
          state === 'not_digitized' ? 0 : 1,
          reused,
          reused && roll === 5 ? 1 : 0,
          at,
        );
      });
    }
  })();
  emit({ name: 'reports.generate', value: Math.round(performance.now() - started), unit: 'ms', dossiers: DOSSIERS });
  db.pragma('wal_checkpoint(TRUNCATE)');
  const dbFile = path.join(dir, 'sohoa.db');
  const size = ['', '-wal'].reduce((sum, suffix) => {
    try {
      return sum + statSync(dbFile + suffix).size;
    } catch {
      return sum;
    }
  }, 0);
  emit({ name: 'reports.dbSize', value: Math.round(size / 1_048_576), unit: 'MiB', dossiers: DOSSIERS });

  const scorecard = loadScorecard(REPO_ASSETS_DIR);
  const reference = timeMs(() => db.prepare('SELECT count(*) FROM dossiers WHERE channel > 0').get());
  emit({ name: 'reports.reference.countScan', value: reference, unit: 'ms', dossiers: DOSSIERS });
  const month = timeMs(() => computeIndicators(db, scorecard, { from: '2025-06-01', to: '2025-06-30', by: 'unit' }));
  emit({ name: 'reports.month', value: month, unit: 'ms', reference, dossiers: DOSSIERS });
  const year = timeMs(() => computeIndicators(db, scorecard, { from: '2025-01-01', to: '2025-12-31', by: 'unit' }));
  emit({ name: 'reports.year', value: year, unit: 'ms', reference, aim: 300, dossiers: DOSSIERS });
  // The same with a 128 MiB page cache (the connection's default is 2 MiB): random seeks from
  // dossiers to their components stay in memory.
  db.pragma('cache_size = -131072');
  const yearCached = timeMs(() =>
    computeIndicators(db, scorecard, { from: '2025-01-01', to: '2025-12-31', by: 'unit' }),
  );
  emit({ name: 'reports.year.cache128MiB', value: yearCached, unit: 'ms', reference, aim: 300, dossiers: DOSSIERS });
} finally {
  await backend.close();
  rmSync(dir, { recursive: true, force: true });
}
