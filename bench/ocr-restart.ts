/**
 * What an OCR worker costs when it starts again: workers close after a minute without work (a
 * counter between two citizens), so the first page of the next dossier is read by a new worker.
 * One pool with one worker, closed when idle after 1 s: the page read by a worker that has read
 * pages before (the reference, in the same run) against the page read by the worker started after
 * an idle close, CPU seconds (every thread of the process) and seconds, median of BENCH_ROUNDS.
 *
 *   npm run bench:ocr-restart       (BENCH_ROUNDS=5)
 *
 * stdout: one JSON line per figure, {"name","value","unit",...}.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { prepareForOcr } from '../electron/core/imaging/ocr-input.ts';
import { DEFAULT_OCR_LANGUAGES, ensureLanguageFolder } from '../electron/core/ocr/language-data.ts';
import { OcrPool } from '../electron/core/ocr/pool.ts';
import { renderTextPage } from '../tests/fixtures/scans.ts';
import { emit, ROUNDS, sampleLetter } from './bench-support.ts';

const IDLE_CLOSE_MS = 1000;

interface Reading {
  cpuSeconds: number;
  seconds: number;
}

const work = await mkdtemp(join(tmpdir(), 'sohoa-bench-ocr-restart-'));
try {
  const pool = new OcrPool({
    langPath: await ensureLanguageFolder(join(work, 'ocr-lang')),
    languages: DEFAULT_OCR_LANGUAGES,
    size: 1,
    idleCloseMs: IDLE_CLOSE_MS,
  });
  const input = await prepareForOcr(await renderTextPage({ lines: sampleLetter().lines, noiseSeed: 11 }));
  const read = async (): Promise<Reading> => {
    const cpu = process.cpuUsage();
    const started = performance.now();
    await pool.recognize(input.image, input.dpi ? { dpi: input.dpi } : {});
    const used = process.cpuUsage(cpu);
    return { cpuSeconds: (used.user + used.system) / 1e6, seconds: (performance.now() - started) / 1000 };
  };

  const first = await read(); // the process's first worker: nothing compiled yet
  const warm: Reading[] = [];
  const restarted: Reading[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    warm.push(await read());
    await sleep(IDLE_CLOSE_MS + 500); // the worker closes
    restarted.push(await read());
  }
  await pool.close();

  const median = (list: Reading[], pick: (r: Reading) => number): number => {
    const sorted = list.map(pick).sort((a, b) => a - b);
    return Math.round((sorted[Math.floor(sorted.length / 2)] ?? 0) * 100) / 100;
  };
  const reference = { cpu_seconds: median(warm, (r) => r.cpuSeconds), seconds: median(warm, (r) => r.seconds) };
  emit({
    name: 'ocr.restart.warm_page',
    value: reference.cpu_seconds,
    unit: 'CPU-s',
    seconds: reference.seconds,
    note: 'reference: the page read by a worker that has read pages before',
  });
  emit({
    name: 'ocr.restart.first_page_after_idle',
    value: median(restarted, (r) => r.cpuSeconds),
    unit: 'CPU-s',
    seconds: median(restarted, (r) => r.seconds),
    includes: 'starting the worker (loading tesseract and the model)',
    reference,
  });
  emit({
    name: 'ocr.restart.first_page_of_process',
    value: Math.round(first.cpuSeconds * 100) / 100,
    unit: 'CPU-s',
    seconds: Math.round(first.seconds * 100) / 100,
    includes: 'starting the worker, compiling tesseract',
    reference,
  });
} finally {
  await rm(work, { recursive: true, force: true });
}
