import { mkdir } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ImportOutcome } from '../../shared/api/contract';
import type { PageImageVariant } from '../../shared/api/bridge';
import type { Result } from '../../shared/api/errors';
import { openDatabase, type Db } from './db/database';
import { dispatch, type CallContext, type Handlers, type Host } from './dispatch';
import { BackendEvents } from './events';
import { BlobStore } from './files/blob-store';
import { UploadArea } from './files/uploads';
import { JobQueue } from './jobs/job-queue';
import { ensureLanguageFolder } from './ocr/language-data';
import { OcrRunner } from './ocr/ocr-runner';
import { OcrPool } from './ocr/pool';
import { dossierHandlers } from './dossiers/handlers';
import { pageHandlers } from './pages/handlers';
import { importFile, type ImportTarget } from './pages/page-import';
import { readPageImage } from './pages/page-service';
import { seedSampleCatalog } from './procedures/catalog';
import { LocalReuseSource } from './reuse/reuse-lookup';
import { searchHandlers } from './search/handlers';
import type { Services } from './services';

export interface BackendOptions {
  dataDir: string;
  host: Host;
  /** Folder with reference data and fonts; defaults to the repository's `assets/`. */
  assetsDir?: string;
  /** OCR workers; defaults to one per core (SOHOA_OCR_WORKERS overrides). */
  ocrWorkers?: number;
  /** Start taking OCR jobs at once (hosts do; a CLI search does not need to). */
  runOcr?: boolean;
}

export interface Backend {
  readonly dataDir: string;
  readonly db: Db;
  readonly store: BlobStore;
  readonly uploads: UploadArea;
  readonly events: BackendEvents;
  readonly ocr: OcrRunner;
  call(name: string, input: unknown, ctx?: Partial<CallContext>): Promise<Result<unknown>>;
  importFiles(files: { file: string; name: string }[], target: ImportTarget): Promise<ImportOutcome[]>;
  pageImage(id: number, variant: PageImageVariant): Promise<{ bytes: Buffer; mime: string }>;
  close(): Promise<void>;
}

export const REPO_ASSETS_DIR = fileURLToPath(new URL('../../assets', import.meta.url));
const VERSION = '0.1.0';

export async function openBackend(options: BackendOptions): Promise<Backend> {
  const dataDir = path.resolve(options.dataDir);
  await mkdir(dataDir, { recursive: true });
  const db = openDatabase(path.join(dataDir, 'sohoa.db'));
  seedSampleCatalog(db, options.assetsDir ?? REPO_ASSETS_DIR);
  const store = new BlobStore(path.join(dataDir, 'store'));
  await store.init();
  await store.sweepTemp(10 * 60_000);
  const uploads = new UploadArea(path.join(dataDir, 'uploads'));
  await uploads.init();
  await uploads.sweep(24 * 3600_000);
  const events = new BackendEvents();
  const jobs = new JobQueue(db);
  const pool = new OcrPool({
    langPath: await ensureLanguageFolder(path.join(dataDir, 'ocr-lang')),
    languages: 'vie+eng',
    size: options.ocrWorkers ?? (Number(process.env.SOHOA_OCR_WORKERS) || os.availableParallelism()),
  });
  const ocr = new OcrRunner({ db, store, jobs, pool, events });
  if (options.runOcr ?? true) ocr.start();
  const reuse = new LocalReuseSource(db);

  const importFiles = async (
    files: { file: string; name: string }[],
    target: ImportTarget,
  ): Promise<ImportOutcome[]> => {
    const outcomes: ImportOutcome[] = [];
    for (const { file, name } of files) {
      const outcome = await importFile({ db, store, jobs }, file, name, target);
      outcomes.push(outcome);
      if (outcome.ok) {
        events.emit('dossier.changed', { dossierId: target.dossierId, documentId: outcome.documentId });
        ocr.kick();
      }
    }
    return outcomes;
  };

  const services: Services = { dataDir, db, store, uploads, jobs, events, ocr, reuse, importFiles };
  const handlers = {
    'app.info': (_input, ctx) => ({ version: VERSION, host: ctx.host }),
    'ocr.status': () => jobs.counts('ocr'),
    ...dossierHandlers(services),
    ...pageHandlers(services),
    ...searchHandlers(services),
  } satisfies Handlers;

  let closed = false;
  return {
    dataDir,
    db,
    store,
    uploads,
    events,
    ocr,
    call: (name, input, ctx) => dispatch(handlers, name, input, { host: options.host, ...ctx }),
    importFiles,
    pageImage: (id, variant) => readPageImage(db, store, id, variant),
    async close() {
      if (closed) return;
      closed = true;
      await ocr.stop();
      await pool.close();
      db.close();
    },
  };
}
