import { createWorker, OEM, PSM, type Worker } from 'tesseract.js';
import { AppFailure } from '../../../shared/api/errors';

export interface OcrWord {
  /** text */
  t: string;
  /** confidence 0-100 */
  c: number;
  /** bounding box x0, y0, x1, y1 in page pixels */
  b: [number, number, number, number];
}

/** One text line as tesseract laid it out; its words are the next `n` entries of `words`. */
export interface OcrLine {
  /** bounding box x0, y0, x1, y1 in page pixels */
  b: [number, number, number, number];
  /** baseline through (x0, y0) and (x1, y1), page pixels: the PDF text layer sits on it */
  bl: [number, number, number, number];
  /** row height (ascenders to descenders), pixels */
  h: number;
  /** how far descenders reach below the baseline, pixels */
  d: number;
  /** number of words in this line */
  n: number;
}

export interface OcrResult {
  text: string;
  confidence: number;
  /** every word in reading order (block, paragraph, line) */
  words: OcrWord[];
  /** the lines those words form, in the same order */
  lines: OcrLine[];
}

export interface OcrPoolOptions {
  langPath: string;
  languages: string;
  size: number;
  /** A failed language load never settles in tesseract.js: bound it. */
  createTimeoutMs?: number;
  pageTimeoutMs?: number;
  /** Workers are recycled after this many pages to cap memory growth. */
  recycleAfter?: number;
  /** Workers are closed after this long without work. */
  idleCloseMs?: number;
}

interface Slot {
  worker: Worker | null;
  creating: Promise<Worker> | null;
  busy: boolean;
  pages: number;
  onProgress: ((progress: number) => void) | null;
  idleTimer: NodeJS.Timeout | null;
}

interface Waiter {
  resolve: (slot: Slot) => void;
}

/**
 * A pool of tesseract.js workers, one per core by default. Unlike tesseract.js's scheduler it can
 * time out a page: the stuck worker is terminated and replaced, and the page fails on its own.
 */
export class OcrPool {
  private readonly slots: Slot[];
  private readonly waiters: Waiter[] = [];
  private closed = false;
  private recognized = 0;

  constructor(private readonly options: OcrPoolOptions) {
    this.slots = Array.from({ length: Math.max(1, options.size) }, () => ({
      worker: null,
      creating: null,
      busy: false,
      pages: 0,
      onProgress: null,
      idleTimer: null,
    }));
  }

  get size(): number {
    return this.slots.length;
  }

  /** Pages tesseract has recognized since the pool opened (a metric: reused pages do not count). */
  get recognizedPages(): number {
    return this.recognized;
  }

  async recognize(image: Buffer, onProgress?: (progress: number) => void): Promise<OcrResult> {
    const slot = await this.acquire();
    try {
      const worker = await this.workerFor(slot);
      slot.onProgress = onProgress ?? null;
      const job = worker.recognize(image, {}, { text: true, blocks: true });
      const result = await withTimeout(job, this.options.pageTimeoutMs ?? 120_000, () => {
        // The worker may be stuck in WASM: drop it so the next page gets a fresh one.
        void this.discard(slot);
      });
      slot.pages++;
      this.recognized++;
      return toResult(result.data);
    } finally {
      slot.onProgress = null;
      if (slot.pages >= (this.options.recycleAfter ?? 200)) await this.discard(slot);
      this.release(slot);
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    await Promise.all(this.slots.map((slot) => this.discard(slot)));
  }

  private acquire(): Promise<Slot> {
    if (this.closed) return Promise.reject(new AppFailure('INTERNAL', 'Bộ nhận dạng chữ đã đóng.', 'OCR is closed.'));
    const free = this.slots.find((slot) => !slot.busy);
    if (free) {
      this.take(free);
      return Promise.resolve(free);
    }
    return new Promise((resolve) => this.waiters.push({ resolve }));
  }

  private take(slot: Slot): void {
    slot.busy = true;
    if (slot.idleTimer) clearTimeout(slot.idleTimer);
    slot.idleTimer = null;
  }

  private release(slot: Slot): void {
    const next = this.waiters.shift();
    if (next) {
      this.take(slot);
      next.resolve(slot);
      return;
    }
    slot.busy = false;
    const idle = this.options.idleCloseMs ?? 60_000;
    slot.idleTimer = setTimeout(() => void this.discard(slot), idle);
    slot.idleTimer.unref();
  }

  private workerFor(slot: Slot): Promise<Worker> {
    if (slot.worker) return Promise.resolve(slot.worker);
    if (!slot.creating) {
      const creating = this.createWorker(slot);
      slot.creating = creating;
      creating.then(
        (worker) => {
          slot.worker = worker;
          slot.creating = null;
        },
        () => {
          slot.creating = null;
        },
      );
    }
    return slot.creating as Promise<Worker>;
  }

  private async createWorker(slot: Slot): Promise<Worker> {
    const creation = createWorker(this.options.languages, OEM.LSTM_ONLY, {
      langPath: this.options.langPath,
      gzip: true,
      cacheMethod: 'none',
      logger: (message) => {
        if (message.status === 'recognizing text') slot.onProgress?.(message.progress);
      },
      // Without a handler, a worker error kills the whole process.
      errorHandler: () => undefined,
    });
    const worker = await withTimeout(creation, this.options.createTimeoutMs ?? 60_000, () => {
      void creation.then((late) => late.terminate()).catch(() => undefined);
    });
    // Full-page layout analysis, like the tesseract command line (tesseract.js defaults to one block).
    await worker.setParameters({ tessedit_pageseg_mode: PSM.AUTO, preserve_interword_spaces: '1' });
    return worker;
  }

  private async discard(slot: Slot): Promise<void> {
    if (slot.idleTimer) clearTimeout(slot.idleTimer);
    slot.idleTimer = null;
    const worker = slot.worker;
    slot.worker = null;
    slot.pages = 0;
    if (worker) await worker.terminate().catch(() => undefined);
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number, onTimeout: () => void): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => {
      onTimeout();
      reject(
        new AppFailure(
          'TIMEOUT',
          `Nhận dạng chữ quá thời gian cho phép (${Math.round(ms / 1000)} giây).`,
          `OCR took longer than ${Math.round(ms / 1000)} s.`,
        ),
      );
    }, ms);
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error instanceof Error ? error : new Error(String(error)));
      },
    );
  });
}

type TesseractPage = Awaited<ReturnType<Worker['recognize']>>['data'];

function toResult(page: TesseractPage): OcrResult {
  const words: OcrWord[] = [];
  const lines: OcrLine[] = [];
  for (const block of page.blocks ?? []) {
    for (const paragraph of block.paragraphs) {
      for (const line of paragraph.lines) {
        lines.push(toLine(line));
        for (const word of line.words) {
          words.push({
            t: word.text,
            c: Math.round(word.confidence),
            b: [word.bbox.x0, word.bbox.y0, word.bbox.x1, word.bbox.y1],
          });
        }
      }
    }
  }
  return { text: page.text.normalize('NFC').trim(), confidence: page.confidence, words, lines };
}

type TesseractLine = NonNullable<TesseractPage['blocks']>[number]['paragraphs'][number]['lines'][number];

function toLine(line: TesseractLine): OcrLine {
  const { bbox } = line;
  // tesseract reports no baseline for some lines (a lone symbol): the box's bottom stands in.
  const base = line.baseline as TesseractLine['baseline'] | undefined;
  const baseline: OcrLine['bl'] | null =
    base && [base.x0, base.y0, base.x1, base.y1].every(Number.isFinite) && base.x1 > base.x0
      ? [base.x0, base.y0, base.x1, base.y1]
      : null;
  const rowHeight = Number(line.rowAttributes?.rowHeight);
  const descenders = Math.abs(Number(line.rowAttributes?.descenders));
  return {
    b: [bbox.x0, bbox.y0, bbox.x1, bbox.y1],
    bl: baseline ?? [bbox.x0, bbox.y1, bbox.x1, bbox.y1],
    h: rowHeight > 0 ? rowHeight : bbox.y1 - bbox.y0,
    d: Number.isFinite(descenders) ? descenders : 0,
    n: line.words.length,
  };
}
