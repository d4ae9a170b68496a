/**
 * How many times a process of the app may die within a while before the shell stops starting it
 * again: a crash now and then is started again; one that dies on every start (a damaged install,
 * a data folder it cannot open) is given up on, and the clerk told.
 */
export class CrashBudget {
  private deaths: number[] = [];

  constructor(
    private readonly max: number,
    private readonly windowMs: number,
  ) {}

  /** Counts a death; returns how many fell within the window, this one included. */
  record(now = Date.now()): number {
    this.deaths = [...this.deaths.filter((at) => now - at < this.windowMs), now];
    return this.deaths.length;
  }

  /** Whether `recent` deaths (as record returned) leave no more starts. */
  spent(recent: number): boolean {
    return recent >= this.max;
  }
}
