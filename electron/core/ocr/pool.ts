import { createWorker, OEM, PSM, type Worker } from 'tesseract.js';
import { AppFailure } from '../../../shared/api/errors';
import { wordsAndLinesFromHocr } from './hocr';
import { holdCompiledCore, lstmWorkerScript } from './worker-script';

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
  /** Taken out of the pool by a resize while busy: closed once its page is done. */
  retired: boolean;
  /** The pool's model generation this slot's worker (or the one being created) was loaded with. */
  generation: number;
}

function emptySlot(): Slot {
  return {
    worker: null,
    creating: null,
    busy: false,
    pages: 0,
    onProgress: null,
    idleTimer: null,
    retired: false,
    generation: 0,
  };
}

/**
 * How tesseract finds the text on an image (its page segmentation mode):
 *  - `column` (the default, mode 4): the page as one column of lines of varying size. Forms,
 *    letters and registers keep each row whole, label beside value, in reading order; full layout
 *    analysis split a numbered register into a column of numbers, one of codes, one of names.
 *  - `layout` (mode 3, the command line's default): full layout analysis. It also finds text
 *    running down the page, which `column` does not read at all (see readPage).
 *  - `singleLine` (mode 7): one line of text (an ID card field).
 */
export type Segmentation = 'column' | 'layout' | 'singleLine';

const SEGMENTATION_MODES: Readonly<Record<Segmentation, PSM>> = {
  column: PSM.SINGLE_COLUMN,
  layout: PSM.AUTO,
  singleLine: PSM.SINGLE_LINE,
};

/** How one image is read. */
export interface RecognizeOptions {
  onProgress?: (progress: number) => void;
  /** For this image only; `column` when not given. */
  segmentation?: Segmentation;
  /** The image's resolution, for an image format that carries none (PGM). */
  dpi?: number;
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
  /**
   * Bumped when the models or languages change: a worker of an older generation is replaced
   * before its next page.
   */
  private generation = 0;
  private langPath: string;
  private languageSet: string;

  constructor(private readonly options: OcrPoolOptions) {
    this.slots = Array.from({ length: Math.max(1, options.size) }, emptySlot);
    this.langPath = options.langPath;
    this.languageSet = options.languages;
  }

  /** The languages pages are read in now, as tesseract names them (`vie+eng`). */
  get languages(): string {
    return this.languageSet;
  }

  /** Reads with the models in another folder from now on (see replaceWorkers). */
  setLangPath(langPath: string): void {
    if (langPath === this.langPath) return;
    this.langPath = langPath;
    this.replaceWorkers();
  }

  /** Reads in other languages from now on (see replaceWorkers). */
  setLanguages(languages: string): void {
    if (languages === this.languageSet) return;
    this.languageSet = languages;
    this.replaceWorkers();
  }

  /**
   * Idle workers are closed at once; a worker recognizing a page finishes it with the models it
   * loaded and is replaced before its next page.
   */
  private replaceWorkers(): void {
    this.generation++;
    for (const slot of this.slots) if (!slot.busy) void this.discard(slot);
  }

  get size(): number {
    return this.slots.length;
  }

  /**
   * Changes how many workers may run at once. Extra slots are added at once; surplus ones are
   * closed when idle, or as soon as the page they are recognizing is done.
   */
  resize(size: number): void {
    const target = Math.max(1, Math.floor(size));
    while (this.slots.length < target) this.slots.push(emptySlot());
    for (let i = this.slots.length - 1; i >= 0 && this.slots.length > target; i--) {
      const slot = this.slots[i];
      if (!slot) continue;
      this.slots.splice(i, 1);
      if (slot.busy) slot.retired = true;
      else void this.discard(slot);
    }
    // Waiting pages may now have a slot.
    for (const slot of this.slots) {
      if (!slot.busy && this.waiters.length > 0) this.release(slot);
    }
  }

  /** Pages tesseract has recognized since the pool opened (a metric: reused pages do not count). */
  get recognizedPages(): number {
    return this.recognized;
  }

  async recognize(image: Buffer, options: RecognizeOptions = {}): Promise<OcrResult> {
    const slot = await this.acquire();
    try {
      const worker = await this.workerFor(slot);
      slot.onProgress = options.onProgress ?? null;
      // Only what is stored: the text and hOCR (written in C++). tesseract.js's `blocks` tree is
      // built in JavaScript one iterator call per symbol, and its other outputs are not used.
      // tesseract.js passes unknown keys through as tesseract parameters, for this image only;
      // its typings list only its own options.
      const params = {
        ...(options.segmentation && options.segmentation !== 'column'
          ? { tessedit_pageseg_mode: SEGMENTATION_MODES[options.segmentation] }
          : {}),
        ...(options.dpi ? { user_defined_dpi: String(Math.round(options.dpi)) } : {}),
      } as Parameters<Worker['recognize']>[1];
      const job = worker.recognize(image, params, { text: true, hocr: true });
      const result = await withTimeout(job, this.options.pageTimeoutMs ?? 120_000, () => {
        // The worker may be stuck in WASM: drop it so the next page gets a fresh one.
        void this.discard(slot);
      });
      slot.pages++;
      this.recognized++;
      return toResult(result.data);
    } finally {
      slot.onProgress = null;
      const stale = slot.generation !== this.generation;
      if (stale || slot.pages >= (this.options.recycleAfter ?? 200)) await this.discard(slot);
      this.release(slot);
    }
  }

  /**
   * Starts workers now (as many as `pages`, at most one per slot), in the background, so loading the models (about a second of CPU
   * each) overlaps the import of a batch instead of delaying its first pages. Idle workers still
   * close after `idleCloseMs`.
   */
  warm(pages: number = this.slots.length): void {
    if (this.closed) return;
    // Never more workers than pages to read: a lone page would pay for a model load it never uses.
    let wanted = Math.min(pages, this.slots.length) - this.slots.filter((s) => s.worker || s.creating).length;
    for (const slot of this.slots) {
      if (wanted <= 0) break;
      if (slot.worker || slot.creating || slot.busy) continue;
      wanted--;
      this.workerFor(slot).then(
        () => {
          if (!slot.busy && !slot.idleTimer) this.armIdleClose(slot);
        },
        () => undefined, // a failed start is reported by the page that needs the worker
      );
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const slot of this.slots) if (slot.idleTimer) clearTimeout(slot.idleTimer);
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
    if (slot.retired) {
      slot.busy = false;
      void this.discard(slot);
      return;
    }
    const next = this.waiters.shift();
    if (next) {
      this.take(slot);
      next.resolve(slot);
      return;
    }
    slot.busy = false;
    this.armIdleClose(slot);
  }

  private armIdleClose(slot: Slot): void {
    if (slot.idleTimer) clearTimeout(slot.idleTimer);
    slot.idleTimer = setTimeout(() => void this.discard(slot), this.options.idleCloseMs ?? 60_000);
    slot.idleTimer.unref();
  }

  private workerFor(slot: Slot): Promise<Worker> {
    if (slot.worker && slot.generation === this.generation) return Promise.resolve(slot.worker);
    if (slot.worker) {
      // Loaded with models the pool no longer uses.
      void slot.worker.terminate().catch(() => undefined);
      slot.worker = null;
      slot.pages = 0;
    }
    if (!slot.creating) {
      slot.generation = this.generation;
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
    holdCompiledCore();
    const creation = createWorker(this.languageSet, OEM.LSTM_ONLY, {
      langPath: this.langPath,
      workerPath: lstmWorkerScript(),
      // ensureLanguageFolder stores the models inflated.
      gzip: false,
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
    // Pages are read as one column by default (tesseract.js defaults to one uniform block).
    await worker.setParameters({ tessedit_pageseg_mode: SEGMENTATION_MODES.column, preserve_interword_spaces: '1' });
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
  const { words, lines } = wordsAndLinesFromHocr(page.hocr ?? '');
  return { text: page.text.normalize('NFC').trim(), confidence: page.confidence, words, lines };
}
