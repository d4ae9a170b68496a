import type { OcrStatus } from '../../../shared/api/contract';
import { AppFailure } from '../../../shared/api/errors';
import type { Db } from '../db/database';
import { updateDossierStatus } from '../dossiers/dossier-service';
import type { BackendEvents } from '../events';
import type { BlobStore } from '../files/blob-store';
import { decodeGrey, prepareForOcr, printsClose, samePixels, type OcrInput } from '../imaging/ocr-input';
import type { ClaimedJob, JobQueue } from '../jobs/job-queue';
import { log } from '../log';
import { refreshSearchText } from '../pages/search-text';
import { writeOutbox } from '../sync/outbox';
import { proposeTags } from '../tagging/page-tags';
import {
  DEFAULT_OCR_LANGUAGES,
  DEFAULT_OCR_MODEL,
  isOcrLanguages,
  type OcrLanguages,
  type OcrModel,
} from './language-data';
import type { OcrLine, OcrPool, OcrResult, OcrWord } from './pool';
import { readPage } from './read-page';
import { PageThroughput } from './throughput';

const MAX_ATTEMPTS = 3;
/** How often to look for work queued by another process (a CLI batch next to the app). */
const POLL_MS = 2000;

/** A page just recognized, as the analysis steps after OCR see it. */
export interface RecognizedPage {
  pageId: number;
  documentId: string;
  /** The stored page image (OCR read a working copy made from it), and its hash. */
  image: Buffer;
  imageSha256: string;
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

interface NearRun {
  pageId: number;
  meanGrey: number;
  print: Buffer;
  grey: Buffer;
  done: { promise: Promise<void>; resolve: () => void };
}

interface Twin {
  result: OcrResult;
  pixelSha256: string | null;
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
  // Jobs are taken only once started: a backend opened without OCR (runOcr: false) keeps its
  // queue as it is, however often an import kicks the runner.
  private started = false;
  private readonly settled = new Set<() => void>();
  private reused = 0;
  /** Pages finished lately, for the queue's time left. */
  private readonly throughput = new PageThroughput();
  /** Page images being recognized now, by sha256: settles once the result is stored (or failed). */
  private readonly inFlight = new Map<string, Promise<void>>();
  /** Pages being recognized now, by size, to let a near twin (same scan, another decoder) wait. */
  private readonly nearInFlight = new Map<string, NearRun[]>();
  /** What is on the clerk's screen (focus): a dossier, and a page of it in the page view. */
  private focusedDossier: string | null = null;
  private focusedPage: number | null = null;

  constructor(
    private readonly deps: {
      db: Db;
      store: BlobStore;
      jobs: JobQueue;
      pool: OcrPool;
      events: BackendEvents;
      analyzers?: readonly PageAnalyzer[];
      /** The models the pool was opened with, and where each model set's folder is prepared. */
      models?: { current: OcrModel; folderFor: (model: OcrModel) => Promise<string> };
    },
  ) {
    this.currentModel = deps.models?.current ?? DEFAULT_OCR_MODEL;
  }

  private currentModel: OcrModel;

  /** The models tesseract reads with now. */
  get model(): OcrModel {
    return this.currentModel;
  }

  /** Reads with other models from the next page on (a page being recognized finishes as it began). */
  async setModel(model: OcrModel): Promise<void> {
    if (model === this.currentModel) return;
    const models = this.deps.models;
    if (!models) throw new Error('This OCR runner was opened with one model set only.');
    this.deps.pool.setLangPath(await models.folderFor(model));
    this.currentModel = model;
  }

  /** The languages tesseract reads pages in now. */
  get languages(): OcrLanguages {
    const languages = this.deps.pool.languages;
    return isOcrLanguages(languages) ? languages : DEFAULT_OCR_LANGUAGES;
  }

  /** Reads in other languages from the next page on (a page being recognized finishes as it began). */
  setLanguages(languages: OcrLanguages): void {
    this.deps.pool.setLanguages(languages);
  }

  /** Resumes work a crashed process left behind and starts taking jobs. */
  start(): void {
    this.started = true;
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

  /** How many pages may be recognized at once. */
  get workers(): number {
    return this.deps.pool.size;
  }

  /** Applies a new worker count now: more pages start at once, or surplus workers close when done. */
  setWorkers(count: number): void {
    this.deps.pool.resize(count);
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

  /**
   * A twin's result; when the same image is being recognized right now, waits for it first.
   * Twins share the stored image bytes or, across file formats, the decoded pixels.
   */
  private async twinResult(page: PageForOcr, pixelSha256: string | null): Promise<Twin | null> {
    // Before decoding, twins by stored bytes are awaited; after, twins by pixels.
    const key = pixelSha256 ? `pixels:${pixelSha256}` : `image:${page.image_sha256}`;
    for (;;) {
      const found = this.resultOfTwin(page, pixelSha256);
      if (found) return found;
      const pending = this.inFlight.get(key);
      if (!pending) return null;
      await pending;
    }
  }

  /**
   * The OCR result of another page with the same image (the same scan inside another file, a
   * re-imported page, the same pixels in another format): tesseract would read the same words.
   * Pages whose text came from a PDF text layer do not count: that text is not OCR.
   */
  private resultOfTwin(page: PageForOcr, pixelSha256: string | null): Twin | null {
    const twin = this.deps.db
      .prepare(
        `SELECT ocr_text, ocr_confidence, ocr_words, ocr_lines, pixel_sha256 FROM pages
         WHERE (image_sha256 = ? OR pixel_sha256 = ?) AND id != ? AND ocr_status = 'done' AND text_source = 'ocr'
           AND ocr_words IS NOT NULL
         ORDER BY id LIMIT 1`,
      )
      .get(page.image_sha256, pixelSha256, page.id) as
      | {
          ocr_text: string;
          ocr_confidence: number | null;
          ocr_words: string;
          ocr_lines: string | null;
          pixel_sha256: string | null;
        }
      | undefined;
    if (!twin) return null;
    try {
      return {
        result: {
          text: twin.ocr_text,
          confidence: twin.ocr_confidence ?? 0,
          words: JSON.parse(twin.ocr_words) as OcrWord[],
          lines: twin.ocr_lines ? (JSON.parse(twin.ocr_lines) as OcrLine[]) : [],
        },
        pixelSha256: twin.pixel_sha256,
      };
    } catch {
      return null; // an unreadable stored result: recognize the page again
    }
  }

  /**
   * A recognized page that is the same image decoded a little differently (a PNG, and the same
   * scan rendered from a PDF): same size, close mean and thumbnail, and no pixel further apart
   * than anti-aliasing makes them. Candidates are few (same size and mean grey); each is decoded
   * and compared in full, which costs a fraction of recognizing the page.
   */
  private async nearTwin(page: PageForOcr, input: OcrInput): Promise<Twin | null> {
    // The same image decoded differently may be being recognized right now: wait for it.
    for (const running of this.nearInFlight.get(`${page.width}x${page.height}`) ?? []) {
      if (running.pageId === page.id || Math.abs(running.meanGrey - input.meanGrey) > 1) continue;
      if (printsClose(running.print, input.print) && samePixels(running.grey, input.grey)) await running.done.promise;
    }
    const candidates = this.deps.db
      .prepare(
        `SELECT id, image_sha256, pixel_print FROM pages
         WHERE width = ? AND height = ? AND pixel_mean BETWEEN ? AND ? AND id != ?
           AND ocr_status = 'done' AND text_source = 'ocr' AND ocr_words IS NOT NULL
         ORDER BY id LIMIT 20`,
      )
      .all(page.width, page.height, input.meanGrey - 1, input.meanGrey + 1, page.id) as {
      id: number;
      image_sha256: string;
      pixel_print: Buffer | null;
    }[];
    for (const candidate of candidates) {
      if (!candidate.pixel_print || !printsClose(candidate.pixel_print, input.print)) continue;
      const decoded = await decodeGrey(await this.deps.store.read(candidate.image_sha256));
      if (!samePixels(decoded.grey, input.grey)) continue;
      const found = this.resultOfTwin({ ...page, image_sha256: candidate.image_sha256 }, null);
      if (found) return { ...found, pixelSha256: input.pixelSha256 };
    }
    return null;
  }

  /**
   * Seconds the queue still needs at the pace pages have been finished lately; null while that
   * pace is unknown.
   */
  secondsLeft(remaining: number): number | null {
    return this.throughput.secondsLeft(remaining);
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

  /**
   * What is on the clerk's screen (ocr.focus): a dossier or null, and in the page view the page. A
   * citizen waits at the counter for that dossier's pages (its ID card's QR code fills the form
   * once the page is read) while a scanner batch or a postal stack queued earlier may fill the
   * queue. The page on screen is taken next if it waits, then the dossier's queued pages in the
   * order they came; the others keep theirs. A page being recognized finishes first.
   */
  focus(dossierId: string | null, pageId: number | null = null): void {
    this.focusedDossier = dossierId;
    this.focusedPage = pageId;
  }

  /** The dossier whose pages go first now (focus), or null. */
  get focusedDossierId(): string | null {
    return this.focusedDossier;
  }

  /** The page on screen, taken before any other while it waits (focus), or null. */
  get focusedPageId(): number | null {
    return this.focusedPage;
  }

  /** The page on screen if it waits, else the focused dossier's oldest queued page, else the oldest. */
  private claimNext(): ClaimedJob | null {
    const { db, jobs } = this.deps;
    const candidates: (number | undefined)[] = [];
    if (this.focusedPage !== null) {
      const job = db
        .prepare(`SELECT id FROM jobs WHERE kind = 'ocr' AND subject = ? AND status = 'queued'`)
        .get(String(this.focusedPage)) as { id: number } | undefined;
      candidates.push(job?.id);
    }
    if (this.focusedDossier !== null) {
      const job = db
        .prepare(
          `SELECT j.id FROM documents d
           JOIN pages p ON p.document_id = d.id
           JOIN jobs j ON j.kind = 'ocr' AND j.subject = CAST(p.id AS TEXT) AND j.status = 'queued'
           WHERE d.dossier_id = ? ORDER BY j.id LIMIT 1`,
        )
        .get(this.focusedDossier) as { id: number } | undefined;
      candidates.push(job?.id);
    }
    for (const id of candidates) {
      // Another process may have taken it meanwhile: then the next choice.
      const claimed = id === undefined ? null : jobs.claimJob(id);
      if (claimed) return claimed;
    }
    return jobs.claim('ocr');
  }

  private pump(): void {
    while (this.started && !this.stopped && this.active < this.deps.pool.size) {
      const job = this.claimNext();
      if (!job) return;
      // Work has come: start the other workers now, while this page is prepared, rather than
      // when the next page is claimed (model loading is about a second of CPU per worker).
      this.deps.pool.warm(1 + this.deps.jobs.counts('ocr').queued);
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
      this.throughput.record();
      return;
    }
    const progress = (status: OcrStatus, value: number): void =>
      events.emit('ocr.progress', {
        pageId,
        documentId: page.document_id,
        dossierId: page.dossier_id,
        status,
        progress: value,
      });
    db.prepare(`UPDATE pages SET ocr_status = 'running' WHERE id = ?`).run(pageId);
    progress('running', 0);
    const ownRuns: { key: string; resolve: () => void }[] = [];
    let nearKey: string | null = null;
    let nearEntry: NearRun | null = null;
    // Identical pages queued together (the same page twice in a file, or in a PNG and a PDF)
    // wait for the first one instead of being recognized twice.
    const claim = (key: string): void => {
      const run = deferred();
      this.inFlight.set(key, run.promise);
      ownRuns.push({ key, resolve: run.resolve });
    };
    try {
      const image = await store.read(page.image_sha256);
      let twin = await this.twinResult(page, null);
      let pixelSha256 = twin?.pixelSha256 ?? null;
      let result: OcrResult | null = twin?.result ?? null;
      let prints: { meanGrey: number; print: Buffer } | null = null;
      if (!result) {
        claim(`image:${page.image_sha256}`);
        const input = await prepareForOcr(image);
        pixelSha256 = input.pixelSha256;
        prints = { meanGrey: input.meanGrey, print: input.print };
        twin = (await this.twinResult(page, pixelSha256)) ?? (await this.nearTwin(page, input));
        if (twin) {
          result = twin.result;
        } else if (input.blank) {
          // Not one letter on the page: nothing for tesseract to read.
          result = { text: '', confidence: 0, words: [], lines: [] };
        } else {
          claim(`pixels:${pixelSha256}`);
          nearKey = `${page.width}x${page.height}`;
          const near = { pageId, meanGrey: input.meanGrey, print: input.print, grey: input.grey, done: deferred() };
          nearEntry = near;
          this.nearInFlight.set(nearKey, [...(this.nearInFlight.get(nearKey) ?? []), near]);
          let last = 0;
          result = await readPage(pool, input, page, (value) => {
            // Throttle: the worker reports many tiny steps. Back below the last value: a second
            // reading (read-page.ts) has begun.
            if (value - last >= 0.05 || value === 1 || value < last) {
              last = value;
              progress('running', value);
            }
          });
        }
      }
      if (twin) this.reused++;
      const reused = twin !== null;
      const confidence = result.words.length > 0 ? result.confidence : null;
      const analyses = await this.analyze({
        pageId,
        documentId: page.document_id,
        image,
        imageSha256: page.image_sha256,
        text: result.text,
      });
      db.transaction(() => {
        db.prepare(
          `UPDATE pages SET ocr_status = 'done', ocr_text = ?, ocr_confidence = ?, ocr_words = ?, ocr_lines = ?, ocr_error = NULL WHERE id = ?`,
        ).run(result.text, confidence, JSON.stringify(result.words), JSON.stringify(result.lines), pageId);
        if (pixelSha256) db.prepare(`UPDATE pages SET pixel_sha256 = ? WHERE id = ?`).run(pixelSha256, pageId);
        if (prints) {
          db.prepare(`UPDATE pages SET pixel_mean = ?, pixel_print = ? WHERE id = ?`).run(
            prints.meanGrey,
            prints.print,
            pageId,
          );
        }
        proposeTags(db, pageId, result.text);
        for (const analysis of analyses) this.applyAnalysis(analysis, pageId);
        refreshSearchText(db, pageId);
        if (page.dossier_id) updateDossierStatus(db, page.dossier_id);
        writeOutbox(db, 'page', String(pageId), 'ocr', {
          documentId: page.document_id,
          confidence,
          reused,
        });
        jobs.complete(job.id);
      })();
      this.throughput.record();
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
      if (status === 'failed') this.throughput.record();
      progress(status, 0);
    } finally {
      for (const run of ownRuns) {
        this.inFlight.delete(run.key);
        run.resolve();
      }
      if (nearKey && nearEntry) {
        const left = (this.nearInFlight.get(nearKey) ?? []).filter((entry) => entry !== nearEntry);
        if (left.length > 0) this.nearInFlight.set(nearKey, left);
        else this.nearInFlight.delete(nearKey);
        nearEntry.done.resolve();
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
