/**
 * Imports one file into a fresh data folder without OCR and prints its own peak RSS, so the bench
 * measures the import alone (bench/capture.ts runs it as a separate process).
 *   node --import tsx bench/capture-import-child.ts <file> <dataDir>
 */
import path from 'node:path';
import { openBackend } from '../electron/core/backend.ts';
import { JobQueue } from '../electron/core/jobs/job-queue.ts';
import { importFile } from '../electron/core/pages/page-import.ts';

const [file, dataDir] = process.argv.slice(2);
if (!file || !dataDir) throw new Error('usage: capture-import-child <file> <dataDir>');
const backend = await openBackend({ dataDir, host: 'cli', runOcr: false, watchHotFolders: false });
const started = performance.now();
const outcome = await importFile(
  { db: backend.db, store: backend.store, jobs: new JobQueue(backend.db) },
  file,
  path.basename(file),
  { dossierId: null, citizenId: null },
);
const seconds = (performance.now() - started) / 1000;
await backend.close();
if (!outcome.ok) throw new Error(outcome.error.messageEn ?? outcome.error.message);
// maxRSS is in kilobytes on Linux.
const maxRssMb = Math.round(process.resourceUsage().maxRSS / 1024);
process.stdout.write(`${JSON.stringify({ pages: outcome.pageIds.length, seconds, maxRssMb })}\n`);
