/**
 * The 766 dashboard on one province-year of generated dossiers (issue 7, "Measure"): time to
 * compute a month's and a year's indicators, and the database size. The dossiers, their checklists
 * and reception history are inserted through the app's tables, so migration 008's triggers keep
 * the report facts as they would at the counter (the generation time includes them). Reference in
 * the same run: a plain `count(*)` scan of the dossiers table.
 *   npm run bench:reports              (SOHOA_BENCH_DOSSIERS=200000 by default)
 * Prints JSON lines {"name","value","unit",...}.
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openBackend, REPO_ASSETS_DIR } from '../electron/core/backend.ts';
import { computeIndicators } from '../electron/core/reports/indicators.ts';
import { loadScorecard } from '../electron/core/reports/scorecard.ts';
import { generateProvinceYear } from './province-year.ts';

const DOSSIERS = Number(process.env.SOHOA_BENCH_DOSSIERS) || 200_000;
const RUNS = 7;
const dir = mkdtempSync(path.join(os.tmpdir(), 'sohoa-bench-reports-'));
const emit = (line: Record<string, unknown>) => process.stdout.write(`${JSON.stringify(line)}\n`);

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}

function timeMs(run: () => unknown): number {
  run(); // warm-up: the first run reads the pages from disk
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const started = performance.now();
    run();
    times.push(performance.now() - started);
  }
  return Math.round(median(times) * 10) / 10;
}

// A throwaway data folder: its files are sealed with a passphrase like any other.
process.env.SOHOA_PASSPHRASE ??= 'mat-khau-do-hieu-nang';
const backend = await openBackend({ dataDir: dir, host: 'cli', runOcr: false, runSync: false });
try {
  const db = backend.db;
  const started = performance.now();
  generateProvinceYear(db, { dossiers: DOSSIERS, pages: 0 });
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
  emit({ name: 'reports.month', value: month, unit: 'ms', reference, by: 'unit', dossiers: DOSSIERS });
  for (const by of ['unit', 'clerk', 'procedure', 'channel', undefined] as const) {
    const year = timeMs(() => computeIndicators(db, scorecard, { from: '2025-01-01', to: '2025-12-31', by }));
    emit({ name: 'reports.year', value: year, unit: 'ms', reference, aim: 300, by: by ?? 'none', dossiers: DOSSIERS });
  }
} finally {
  await backend.close();
  rmSync(dir, { recursive: true, force: true });
}
