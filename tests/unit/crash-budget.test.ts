import { describe, expect, it } from 'vitest';
import { CrashBudget } from '../../electron/main/crash-budget';

describe('CrashBudget', () => {
  it('is spent by the max-th death within the window, and deaths older than the window stop counting', () => {
    const budget = new CrashBudget(3, 60_000);
    expect(budget.spent(budget.record(0))).toBe(false);
    expect(budget.spent(budget.record(10_000))).toBe(false);
    // The first death is over a minute old: two within the window.
    expect(budget.record(61_000)).toBe(2);
    expect(budget.spent(budget.record(62_000))).toBe(true);
  });
});
