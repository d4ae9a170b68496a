/**
 * How fast this process has been finishing OCR pages lately, to tell the clerk or the postal
 * operator how long the queue still needs. Blank and reused pages count too: they sit in the same
 * queue, and a scanner batch has its share of them.
 */

/** Only pages finished this recently count: a batch after a break is timed afresh. */
const WINDOW_MS = 3 * 60_000;
/** Fewer finished pages (or a shorter span between them) tell too little to estimate from. */
const MIN_PAGES = 3;
const MIN_SPAN_MS = 2_000;
/** Enough to smooth out a dense page between two forms. */
const MAX_KEPT = 40;

export class PageThroughput {
  private readonly finishedAt: number[] = [];

  /** A page left the queue (recognized, reused, blank or failed for good). */
  record(at: number = Date.now()): void {
    this.finishedAt.push(at);
    if (this.finishedAt.length > MAX_KEPT) this.finishedAt.shift();
  }

  /**
   * Seconds until `remaining` more pages are done at the recent pace, rounded up; null while the
   * pace is unknown (no recent pages, or too few to tell).
   */
  secondsLeft(remaining: number, now: number = Date.now()): number | null {
    if (remaining <= 0) return 0;
    const recent = this.finishedAt.filter((at) => now - at <= WINDOW_MS);
    const first = recent[0];
    const last = recent.at(-1);
    if (recent.length < MIN_PAGES || first === undefined || last === undefined || last - first < MIN_SPAN_MS) {
      return null;
    }
    // Pages per millisecond over the intervals between them: n finished pages span n - 1 of them.
    const pace = (recent.length - 1) / (last - first);
    return Math.ceil(remaining / pace / 1000);
  }
}
