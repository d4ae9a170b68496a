/** What the page benches share: the JSON line they print, the median of a few rounds and the sample letter. */
import { SAMPLE_PAGES, type SamplePage } from '../tests/fixtures/scans.ts';

/** Rounds per figure (BENCH_ROUNDS, 5 unless told). */
export const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);

/** One figure as one JSON line on stdout. */
export function emit(figure: { name: string; value: number; unit: string; [extra: string]: unknown }): void {
  process.stdout.write(`${JSON.stringify(figure)}\n`);
}

/** The median time of ROUNDS runs, in ms to one decimal. */
export async function median(run: () => Promise<unknown>): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < ROUNDS; i++) {
    const started = performance.now();
    await run();
    times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  return Math.round((times[Math.floor(times.length / 2)] ?? 0) * 10) / 10;
}

/** The official letter among the sample pages: an ordinary A4 text page. */
export function sampleLetter(): SamplePage {
  const letter = SAMPLE_PAGES.find((page) => page.name === 'quyet-dinh');
  if (!letter) throw new Error('sample page missing');
  return letter;
}
