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
import { imageSize, toPageFrame } from './page-frame';
import type { OcrLine, OcrPool, OcrResult, OcrWord } from './pool';

const MAX_ATTEMPTS = 3;
/** How often to look for work queued by another process (a CLI batch next to the app). */
const POLL_MS = 2000;

/** A page just recognized, as the analysis steps after OCR see it. */
export interface RecognizedPage {
  pageId: number;
  documentId: string;
  /** The stored page image (OCR read a working copy made from it). */
  image: Buffer;
  text: string;
}

/**
 * A step after OCR (ID card QR codes, document type ...). `analyze` does the slow work outside
 * any transaction and returns the writes to make inside the page's OCR transaction. A failing
 * step is logged and skipped: the page's text is stored regardless.
 */
export interface PageAnalyzer {
  readonly name: string;
  analyze(page: RecognizedPage): Promise<(db: Db) => void>;
}

interface PageForOcr {
  id: number;
  document_id: string;
  width: number;
  height: number;
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
  private reused = 0;
  /** Page images being recognized now, by sha256: settles once the result is stored (or failed). */
  private readonly inFlight = new Map<string, Promise<void>>();

  constructor(
    private readonly deps: {
      db: Db;
      store: BlobStore;
      jobs: JobQueue;
      pool: OcrPool;
      events: BackendEvents;
      analyzers?: readonly PageAnalyzer[];
    },
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

  /** Pages recognized by tesseract, and pages whose identical image had been recognized before. */
  get stats(): { recognized: number; reused: number } {
    return { recognized: this.deps.pool.recognizedPages, reused: this.reused };
  }

  /** A twin's result; when the same image is being recognized right now, waits for it first. */
  private async twinResult(page: PageForOcr): Promise<OcrResult | null> {
    for (;;) {
      const found = this.resultOfTwin(page);
      if (found) return found;
      const pending = this.inFlight.get(page.image_sha256);
      if (!pending) return null;
      await pending;
    }
  }

  /**
   * The OCR result of another page with the same image (the same scan inside another file, a
   * re-imported page): the image is the same bytes, so tesseract would read the same words.
   * Pages whose text came from a PDF text layer do not count: that text is not OCR.
   */
  private resultOfTwin(page: PageForOcr): OcrResult | null {
    const twin = this.deps.db
      .prepare(
        `SELECT ocr_text, ocr_confidence, ocr_words, ocr_lines FROM pages
         WHERE image_sha256 = ? AND id != ? AND ocr_status = 'done' AND text_source = 'ocr' AND ocr_words IS NOT NULL
         ORDER BY id LIMIT 1`,
      )
      .get(page.image_sha256, page.id) as
      { ocr_text: string; ocr_confidence: number | null; ocr_words: string; ocr_lines: string | null } | undefined;
    if (!twin) return null;
    try {
      return {
        text: twin.ocr_text,
        confidence: twin.ocr_confidence ?? 0,
        words: JSON.parse(twin.ocr_words) as OcrWord[],
        lines: twin.ocr_lines ? (JSON.parse(twin.ocr_lines) as OcrLine[]) : [],
      };
    } catch {
      return null; // an unreadable stored result: recognize the page again
    }
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
        `SELECT pg.id, pg.document_id, pg.width, pg.height, doc.dossier_id, pg.image_sha256, pg.ocr_status
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
    let ownRun: { promise: Promise<void>; resolve: () => void } | null = null;
    try {
      const image = await store.read(page.image_sha256);
      const reused = await this.twinResult(page);
      let result: OcrResult;
      if (reused) {
        result = reused;
        this.reused++;
      } else {
        // Identical pages queued together (the same page twice in a file) wait for this one.
        ownRun = deferred();
        this.inFlight.set(page.image_sha256, ownRun.promise);
        const input = await prepareForOcr(image);
        let last = 0;
        const recognized = await pool.recognize(input, (value) => {
          // Throttle: the worker reports many tiny steps.
          if (value - last >= 0.05 || value === 1) {
            last = value;
            progress('running', value);
          }
        });
        result = toPageFrame(recognized, await imageSize(input), page);
      }
      const analyses = await this.analyze({ pageId, documentId: page.document_id, image, text: result.text });
      db.transaction(() => {
        db.prepare(
          `UPDATE pages SET ocr_status = 'done', ocr_text = ?, ocr_confidence = ?, ocr_words = ?, ocr_lines = ?, ocr_error = NULL WHERE id = ?`,
        ).run(result.text, result.confidence, JSON.stringify(result.words), JSON.stringify(result.lines), pageId);
        proposeTags(db, pageId, result.text);
        for (const analysis of analyses) this.applyAnalysis(analysis, pageId);
        refreshSearchText(db, pageId);
        if (page.dossier_id) updateDossierStatus(db, page.dossier_id);
        writeOutbox(db, 'page', String(pageId), 'ocr', {
          documentId: page.document_id,
          confidence: result.confidence,
          reused: reused !== null,
        });
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
    } finally {
      if (ownRun) {
        this.inFlight.delete(page.image_sha256);
        ownRun.resolve();
      }
    }
    events.emit('dossier.changed', { dossierId: page.dossier_id, documentId: page.document_id });
  }

  private async analyze(page: RecognizedPage): Promise<{ name: string; write: (db: Db) => void }[]> {
    const writes: { name: string; write: (db: Db) => void }[] = [];
    for (const analyzer of this.deps.analyzers ?? []) {
      try {
        writes.push({ name: analyzer.name, write: await analyzer.analyze(page) });
      } catch (error) {
        log.warn('ocr', `page ${page.pageId}: analysis ${analyzer.name} failed`, error);
      }
    }
    return writes;
  }

  /** In its own savepoint: a failing analysis rolls back alone, never the OCR result. */
  private applyAnalysis(analysis: { name: string; write: (db: Db) => void }, pageId: number): void {
    const { db } = this.deps;
    try {
      db.transaction(() => analysis.write(db))();
    } catch (error) {
      log.warn('ocr', `page ${pageId}: storing analysis ${analysis.name} failed`, error);
    }
  }
}

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve: () => void = () => undefined;
  const promise = new Promise<void>((done) => {
    resolve = done;
  });
  return { promise, resolve };
}
