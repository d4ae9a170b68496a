import { AppFailure } from '../../../shared/api/errors';
import type { Db } from '../db/database';
import { updateDossierStatus } from '../dossiers/dossier-service';
import type { BackendEvents } from '../events';
import type { BlobStore } from '../files/blob-store';
import { prepareForOcr } from '../imaging/ocr-input';
import type { ClaimedJob, JobQueue } from '../jobs/job-queue';
import { log } from '../log';
import { refreshSearchText } from '../pages/search-text';
import { writeOutbox } from '../sync/outbox';
import { proposeTags } from '../tagging/page-tags';
import type { OcrPool } from './pool';

const MAX_ATTEMPTS = 3;
/** How often to look for work queued by another process (a CLI batch next to the app). */
const POLL_MS = 2000;

interface PageForOcr {
  id: number;
  document_id: string;
  dossier_id: string | null;
  image_sha256: string;
  ocr_status: string;
}

/**
 * Takes OCR jobs from the persistent queue, as many at once as the pool has workers, and stores
 * each page's text, words, confidence and proposed tags in one transaction with the job's end.
 */
export class OcrRunner {
  private active = 0;
  private timer: NodeJS.Timeout | null = null;
  private stopped = false;
  private readonly settled = new Set<() => void>();

  constructor(
    private readonly deps: { db: Db; store: BlobStore; jobs: JobQueue; pool: OcrPool; events: BackendEvents },
  ) {}

  /** Resumes work a crashed process left behind and starts taking jobs. */
  start(): void {
    this.deps.jobs.reclaimOrphans('ocr');
    this.deps.db
      .prepare(
        `UPDATE pages SET ocr_status = 'queued' WHERE ocr_status = 'running' AND id IN
      (SELECT CAST(subject AS INTEGER) FROM jobs WHERE kind = 'ocr' AND status = 'queued')`,
      )
      .run();
    this.timer = setInterval(() => {
      this.deps.jobs.reclaimOrphans('ocr');
      this.pump();
    }, POLL_MS);
    this.timer.unref();
    this.pump();
  }

  /** Called after an import queued new pages. */
  kick(): void {
    this.pump();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    while (this.active > 0) await new Promise<void>((resolve) => this.settled.add(resolve));
    this.deps.jobs.releaseOwn();
  }

  /** Resolves once every listed page is recognized or has failed for good. */
  async waitForPages(pageIds: number[]): Promise<void> {
    const pending = this.deps.db.prepare(
      `SELECT count(*) AS n FROM pages WHERE id = ? AND ocr_status IN ('queued', 'running')`,
    );
    const unfinished = (): boolean => pageIds.some((id) => (pending.get(id) as { n: number }).n > 0);
    while (unfinished()) {
      this.pump();
      await new Promise<void>((resolve) => {
        const timer = setTimeout(done, POLL_MS);
        function done(): void {
          clearTimeout(timer);
          resolve();
        }
        this.settled.add(done);
      });
    }
  }

  private pump(): void {
    while (!this.stopped && this.active < this.deps.pool.size) {
      const job = this.deps.jobs.claim('ocr');
      if (!job) return;
      this.active++;
      void this.run(job).finally(() => {
        this.active--;
        for (const resolve of this.settled) resolve();
        this.settled.clear();
        this.pump();
      });
    }
  }

  private async run(job: ClaimedJob): Promise<void> {
    const { db, store, jobs, pool, events } = this.deps;
    const pageId = Number(job.subject);
    const page = db
      .prepare(
        `SELECT pg.id, pg.document_id, doc.dossier_id, pg.image_sha256, pg.ocr_status
         FROM pages pg JOIN documents doc ON doc.id = pg.document_id WHERE pg.id = ?`,
      )
      .get(pageId) as PageForOcr | undefined;
    if (!page || page.ocr_status === 'done') {
      jobs.complete(job.id);
      return;
    }
    const progress = (status: 'queued' | 'running' | 'done' | 'failed', value: number): void =>
      events.emit('ocr.progress', {
        pageId,
        documentId: page.document_id,
        dossierId: page.dossier_id,
        status,
        progress: value,
      });
    db.prepare(`UPDATE pages SET ocr_status = 'running' WHERE id = ?`).run(pageId);
    progress('running', 0);
    try {
      const input = await prepareForOcr(await store.read(page.image_sha256));
      let last = 0;
      const result = await pool.recognize(input, (value) => {
        // Throttle: the worker reports many tiny steps.
        if (value - last >= 0.05 || value === 1) {
          last = value;
          progress('running', value);
        }
      });
      db.transaction(() => {
        db.prepare(
          `UPDATE pages SET ocr_status = 'done', ocr_text = ?, ocr_confidence = ?, ocr_words = ?, ocr_error = NULL WHERE id = ?`,
        ).run(result.text, result.confidence, JSON.stringify(result.words), pageId);
        proposeTags(db, pageId, result.text);
        refreshSearchText(db, pageId);
        if (page.dossier_id) updateDossierStatus(db, page.dossier_id);
        writeOutbox(db, 'page', String(pageId), 'ocr', { documentId: page.document_id, confidence: result.confidence });
        jobs.complete(job.id);
      })();
      progress('done', 1);
    } catch (error) {
      const appError =
        error instanceof AppFailure
          ? error.appError
          : { code: 'INTERNAL', message: 'Nhận dạng chữ thất bại do lỗi nội bộ.' };
      log.warn('ocr', `page ${pageId} attempt ${job.attempts} failed: ${appError.code}`, error);
      const status = db.transaction(() => {
        const next = jobs.fail(job.id, appError.message, MAX_ATTEMPTS);
        db.prepare(`UPDATE pages SET ocr_status = ?, ocr_error = ? WHERE id = ?`).run(
          next,
          next === 'failed' ? appError.message : null,
          pageId,
        );
        if (next === 'failed' && page.dossier_id) updateDossierStatus(db, page.dossier_id);
        return next;
      })();
      progress(status, 0);
    }
    events.emit('dossier.changed', { dossierId: page.dossier_id, documentId: page.document_id });
  }
}
