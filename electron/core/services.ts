import type { ImportOutcome } from '../../shared/api/contract';
import type { Db } from './db/database';
import type { BackendEvents } from './events';
import type { BlobStore } from './files/blob-store';
import type { UploadArea } from './files/uploads';
import type { JobQueue } from './jobs/job-queue';
import type { OcrRunner } from './ocr/ocr-runner';
import type { ImportTarget } from './pages/page-import';
import type { ReuseSource } from './reuse/reuse-lookup';
import type { SyncService } from './sync/sync-service';

/** What the backend's parts share; each domain's handlers take what they need from it. */
export interface Services {
  readonly dataDir: string;
  readonly db: Db;
  readonly store: BlobStore;
  readonly uploads: UploadArea;
  readonly jobs: JobQueue;
  readonly events: BackendEvents;
  readonly ocr: OcrRunner;
  readonly reuse: ReuseSource;
  readonly sync: SyncService;
  /** Imports files one by one, announces each stored document and wakes the OCR runner. */
  importFiles(files: { file: string; name: string }[], target: ImportTarget): Promise<ImportOutcome[]>;
}
