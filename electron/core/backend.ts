import { mkdir } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ImportOutcome } from '../../shared/api/contract';
import type { PageImageVariant } from '../../shared/api/bridge';
import type { Result } from '../../shared/api/errors';
import { pageAnalysisHandlers } from './analysis/handlers';
import { IdCardFieldReader, pageAnalyzer } from './analysis/page-analysis';
import { openDatabase, type Db } from './db/database';
import type { SecretSealer } from './sync/credential';
import { dispatch, type Actor, type Handlers, type Host } from './dispatch';
import { cliActor, userForToken } from './accounts/accounts';
import { authHandlers } from './accounts/handlers';
import { auditAfterCall } from './audit/audited-calls';
import { DocTypeService } from './doc-types/doc-type-service';
import { loadDocTypeRules } from './doc-types/rules-file';
import { BackendEvents } from './events';
import { BlobStore } from './files/blob-store';
import { KeyVault, lockedFailure, passphrasePrompt, restrictFile } from './files/key-vault';
import { vaultHandlers } from './files/vault-handlers';
import { UploadArea } from './files/uploads';
import { JobQueue } from './jobs/job-queue';
import {
  DEFAULT_OCR_LANGUAGES,
  DEFAULT_OCR_MODEL,
  ensureLanguageFolder,
  isOcrLanguages,
  isOcrModel,
  type OcrLanguages,
  type OcrModel,
} from './ocr/language-data';
import { ocrHandlers } from './ocr/handlers';
import { storedOcrLanguages, storedOcrModel, storedOcrWorkers } from './ocr/ocr-control';
import { OcrRunner } from './ocr/ocr-runner';
import { OcrPool } from './ocr/pool';
import { workflowHandlers } from './checklist/handlers';
import { dossierHandlers } from './dossiers/handlers';
import { pageHandlers } from './pages/handlers';
import { pageEditingHandlers } from './pages/page-editing-handlers';
import { exportHandlers } from './pdf/handlers';
import { PdfExports } from './pdf/pdf-exports';
import { receiptHandlers } from './receipts/handlers';
import { importFile, type ImportTarget } from './pages/page-import';
import { readPageImage } from './pages/page-service';
import { seedSampleCatalog } from './procedures/catalog';
import { LocalReuseSource } from './reuse/reuse-lookup';
import { reportHandlers } from './reports/handlers';
import { loadScorecard } from './reports/scorecard';
import { searchHandlers } from './search/handlers';
import { cameraHandlers } from './capture/camera-handlers';
import { captureHandlers } from './capture/handlers';
import { batchSplitHandlers } from './capture/batch-handlers';
import { STAGED_CODE } from './capture/batch-split';
import { HotFolderService } from './hot-folder/hot-folder';
import { privacyHandlers } from './privacy/handlers';
import { Purger } from './privacy/purge';
import { RestrictedReuseSource } from './privacy/restrictions';
import { syncHandlers } from './sync/handlers';
import { SyncService, type SyncTuning } from './sync/sync-service';
import type { Services } from './services';
import { VAULT_OPEN_CALLS } from '../../shared/api/calls/vault';
import { log } from './log';
import { tuneGarbageCollection } from './gc-tuning';
import { stepBelowTheWindow } from './ocr/process-priority';

export interface BackendOptions {
  dataDir: string;
  host: Host;
  /** Folder with reference data and fonts; defaults to the repository's `assets/`. */
  assetsDir?: string;
  /** OCR workers; defaults to one per core (SOHOA_OCR_WORKERS overrides). */
  ocrWorkers?: number;
  /** OCR models; defaults to the stored setting, else `fast` (SOHOA_OCR_MODEL overrides). */
  ocrModel?: OcrModel;
  /** Languages pages are read in; defaults to the stored setting, else `vie` (SOHOA_OCR_LANGUAGES overrides). */
  ocrLanguages?: OcrLanguages;
  /** Start taking OCR jobs at once (hosts do; a CLI search does not need to). */
  runOcr?: boolean;
  /** Sync with the central store in the background (default: hosts that stay up, not the CLI). */
  runSync?: boolean;
  /** Retry and timing of sync (tests shorten them). */
  syncTuning?: SyncTuning;
  /** Watch the scanner hot folders (default: hosts that stay up, not one-shot CLI commands). */
  watchHotFolders?: boolean;
  /** Seals secrets at rest with the OS keychain (the desktop shell passes Electron's safeStorage). */
  secretSealer?: SecretSealer;
  /**
   * The data passphrase (encryption at rest). Undefined: SOHOA_PASSPHRASE. Without one (and no
   * keychain), browser and desktop hosts open locked and the UI asks; the CLI refuses.
   */
  passphrase?: string | null;
}

/** How a host calls: with the caller's session token, and a way to keep the session sign-in makes. */
export interface CallOptions {
  token?: string | null;
  onSession?: (token: string | null) => void;
  /**
   * The call comes from a person through a host (HTTP, IPC): only their session counts, never
   * the CLI's actor, whichever host opened the backend.
   */
  fromPerson?: boolean;
}

export interface Backend {
  readonly dataDir: string;
  /** Which host opened it: the CLI acts as its actor, people's hosts need a session. */
  readonly host: Host;
  readonly db: Db;
  readonly store: BlobStore;
  /** The master key of the stored files; locked until the data passphrase is given. */
  readonly vault: KeyVault;
  readonly uploads: UploadArea;
  readonly events: BackendEvents;
  readonly ocr: OcrRunner;
  /** Searchable PDF/A and ZIP exports; the browser host serves their download tokens. */
  readonly exports: PdfExports;
  readonly sync: SyncService;
  readonly hotFolders: HotFolderService;
  /**
   * One call through dispatch. Hosts that serve people (desktop, browser) pass the caller's
   * session token; the CLI acts as `actor` (SOHOA_USER, or the first administrator).
   */
  call(name: string, input: unknown, options?: CallOptions): Promise<Result<unknown>>;
  /** Who the CLI acts as. */
  readonly actor: Actor;
  /** The signed-in user for a session token (the browser host checks media and export downloads). */
  userForToken(token: string | null | undefined): Actor | null;
  importFiles(files: { file: string; name: string }[], target: ImportTarget): Promise<ImportOutcome[]>;
  pageImage(id: number, variant: PageImageVariant): Promise<{ bytes: Buffer; mime: string }>;
  close(): Promise<void>;
}

export const REPO_ASSETS_DIR = fileURLToPath(new URL('../../assets', import.meta.url));
const VERSION = '0.1.0';
/** Hosts that serve people never act as this: it only names background work in logs. */
const SYSTEM_ACTOR: Actor = { id: null, username: 'system', displayName: 'SoHoa', role: 'clerk' };

export async function openBackend(options: BackendOptions): Promise<Backend> {
  tuneGarbageCollection();
  // A window serves the clerk beside these hosts while OCR reads: it gets a core first.
  if (options.host !== 'cli') stepBelowTheWindow();
  const dataDir = path.resolve(options.dataDir);
  await mkdir(dataDir, { recursive: true });
  // Scans, the database and the key file: this OS user only (see README, "Encryption at rest").
  await restrictFile(dataDir, 0o700);
  const vault = await openVault(dataDir, options);
  // Before the database opens: a broken rules file is refused without leaving anything open.
  const docTypes = new DocTypeService(loadDocTypeRules(options.assetsDir ?? REPO_ASSETS_DIR));
  const db = openDatabase(path.join(dataDir, 'sohoa.db'));
  // SQLite gives the -wal and -shm files the database file's permissions.
  for (const suffix of ['', '-wal', '-shm']) await restrictFile(path.join(dataDir, `sohoa.db${suffix}`), 0o600);
  let actor: Actor = SYSTEM_ACTOR;
  try {
    if (options.host === 'cli') actor = cliActor(db);
  } catch (error) {
    db.close();
    throw error;
  }
  seedSampleCatalog(db, options.assetsDir ?? REPO_ASSETS_DIR);
  const store = new BlobStore(path.join(dataDir, 'store'), vault);
  await store.init();
  await store.sweepTemp(10 * 60_000);
  const uploads = new UploadArea(path.join(dataDir, 'uploads'));
  await uploads.init();
  await uploads.sweep(24 * 3600_000);
  const events = new BackendEvents();
  const jobs = new JobQueue(db);
  const assetsDir = options.assetsDir ?? REPO_ASSETS_DIR;
  const languageFolder = (model: OcrModel): Promise<string> =>
    ensureLanguageFolder(path.join(dataDir, 'ocr-lang'), model, assetsDir);
  const envModel = process.env.SOHOA_OCR_MODEL;
  const ocrModel =
    options.ocrModel ?? (isOcrModel(envModel) ? envModel : null) ?? storedOcrModel(db) ?? DEFAULT_OCR_MODEL;
  const envLanguages = process.env.SOHOA_OCR_LANGUAGES;
  const ocrLanguages =
    options.ocrLanguages ??
    (isOcrLanguages(envLanguages) ? envLanguages : null) ??
    storedOcrLanguages(db) ??
    DEFAULT_OCR_LANGUAGES;
  const pool = new OcrPool({
    langPath: await languageFolder(ocrModel),
    languages: ocrLanguages,
    size:
      options.ocrWorkers ??
      (Number(process.env.SOHOA_OCR_WORKERS) || storedOcrWorkers(db) || os.availableParallelism()),
  });
  // An ID card's printed fields are read line by line with the same pool.
  const idCardFields = new IdCardFieldReader({ db, store, reader: pool });
  const ocr = new OcrRunner({
    db,
    store,
    jobs,
    pool,
    events,
    analyzers: [pageAnalyzer(docTypes, idCardFields)],
    models: { current: ocrModel, folderFor: languageFolder },
  });
  const sync = new SyncService({
    dataDir,
    db,
    store,
    jobs,
    events,
    ...options.syncTuning,
    sealer: options.secretSealer,
  });
  // A citizen who asked to restrict processing is not offered for reuse (privacy/restrictions.ts).
  const reuse = new RestrictedReuseSource(db, sync.reuseSource(new LocalReuseSource(db)));
  const pdfExports = new PdfExports({
    db,
    store,
    typeName: (code) => docTypes.list().find((t) => t.code === code)?.nameVi ?? null,
  });

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
      // A stack with separator sheets waits for the clerk's confirmation (capture/batch-split).
      if (!outcome.ok && outcome.error.code === STAGED_CODE)
        events.emit('batch.changed', { dossierId: null, batchId: null });
    }
    return outcomes;
  };

  const services: Services = { dataDir, db, store, uploads, jobs, events, ocr, reuse, sync, importFiles };
  const hotFolders = new HotFolderService({ db, importFiles });
  // Processor mode: after each sync run, purge what the central store confirmed (privacy/purge.ts).
  const purger = new Purger({ db, store });
  events.on('sync.changed', ({ running }) => {
    if (!running && vault.state === 'open') purger.kick();
  });
  // OCR, sync and the hot folders read stored files: they start once the data is unlocked, after
  // files left from before encryption have been encrypted in place.
  let opening: Promise<void> | null = null;
  const whenOpen = (): Promise<void> =>
    (opening ??= (async () => {
      const legacy = await store.encryptLegacy();
      if (legacy.encrypted > 0 || legacy.damaged > 0)
        log.info(
          'store',
          `encrypted ${legacy.encrypted} stored files at rest (${legacy.damaged} damaged, left as they were)`,
        );
      if (options.runOcr ?? true) ocr.start();
      if (options.runSync ?? options.host !== 'cli') sync.start();
      if (options.watchHotFolders ?? options.host !== 'cli') hotFolders.start();
    })());
  const handlers = {
    'app.info': (_input, ctx) => ({ version: VERSION, host: ctx.host }),
    'ocr.status': () => {
      const counts = jobs.counts('ocr');
      return { ...counts, secondsLeft: ocr.secondsLeft(counts.queued + counts.running) };
    },
    ...authHandlers(services),
    ...vaultHandlers(db, vault, whenOpen),
    ...dossierHandlers(services),
    ...pageHandlers(services),
    ...pageEditingHandlers(services),
    ...searchHandlers(services),
    ...syncHandlers(services),
    ...exportHandlers(pdfExports),
    ...receiptHandlers(services, pdfExports),
    ...workflowHandlers(services),
    ...pageAnalysisHandlers(services, docTypes, idCardFields),
    ...captureHandlers(services, hotFolders),
    ...cameraHandlers(services),
    ...batchSplitHandlers(services, pdfExports),
    ...ocrHandlers(services),
    ...privacyHandlers(services, pdfExports, purger),
    ...reportHandlers(services, loadScorecard(options.assetsDir ?? REPO_ASSETS_DIR), pdfExports),
  } satisfies Handlers;

  const audit = auditAfterCall(db);

  if (vault.state === 'open') await whenOpen();
  // Finishes a purge or a deletion a crash interrupted.
  if (vault.state === 'open') purger.kick();

  let closed = false;
  return {
    dataDir,
    host: options.host,
    db,
    store,
    vault,
    uploads,
    events,
    ocr,
    exports: pdfExports,
    sync,
    hotFolders,
    actor,
    userForToken: (token) => (token ? userForToken(db, token) : null),
    call: (name, input, callOptions = {}) => {
      const token = callOptions.token ?? null;
      // The CLI (and tests calling the backend directly) act as the actor; people sign in.
      const person = callOptions.fromPerson || options.host !== 'cli';
      const user = !person ? actor : token ? userForToken(db, token) : null;
      if (vault.state !== 'open' && !(VAULT_OPEN_CALLS as readonly string[]).includes(name))
        return Promise.resolve({ ok: false, error: lockedFailure().appError });
      return dispatch(
        handlers,
        name,
        input,
        { host: options.host, user, token, setSession: callOptions.onSession ?? (() => undefined) },
        audit,
      );
    },
    importFiles,
    pageImage: (id, variant) => readPageImage(db, store, id, variant),
    async close() {
      if (closed) return;
      closed = true;
      await hotFolders.stop();
      await sync.stop();
      await purger.idle();
      await ocr.stop();
      await pool.close();
      db.close();
    },
  };
}

/**
 * The vault of the data folder: the keychain (desktop) or the passphrase (SOHOA_PASSPHRASE, or a
 * prompt on a terminal) opens it. The CLI cannot ask later, so a locked vault is refused at once,
 * before the database is opened.
 */
async function openVault(dataDir: string, options: BackendOptions): Promise<KeyVault> {
  const passphrase = options.passphrase === undefined ? process.env.SOHOA_PASSPHRASE : options.passphrase;
  const unlock = { passphrase, ...(options.secretSealer ? { sealer: options.secretSealer } : {}) };
  let vault = await KeyVault.open(dataDir, unlock);
  if (options.host !== 'cli' || vault.state === 'open') return vault;
  const prompt = passphrasePrompt();
  const asked = prompt ? await prompt(vault.state === 'unset' ? 'create' : 'unlock') : null;
  if (asked) vault = await KeyVault.open(dataDir, { ...unlock, passphrase: asked });
  if (vault.state !== 'open') throw lockedFailure();
  return vault;
}
