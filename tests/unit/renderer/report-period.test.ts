import { describe, expect, it } from 'vitest';
import { periodRange, periodValueAt, trendRange } from '../../../renderer/src/features/reports/period';

const choice = (kind: 'month' | 'quarter' | 'year' | 'custom', value: string, from = '', to = '') => ({
  kind,
  value,
  from,
  to,
});

describe('report periods', () => {
  it('turns a month, a quarter, a year and a custom span into inclusive days', () => {
    expect(periodRange(choice('month', '2024-02'))).toEqual({ from: '2024-02-01', to: '2024-02-29' });
    expect(periodRange(choice('month', '2026-12'))).toEqual({ from: '2026-12-01', to: '2026-12-31' });
    expect(periodRange(choice('quarter', '2026-Q1'))).toEqual({ from: '2026-01-01', to: '2026-03-31' });
    expect(periodRange(choice('quarter', '2026-Q4'))).toEqual({ from: '2026-10-01', to: '2026-12-31' });
    expect(periodRange(choice('year', '2026'))).toEqual({ from: '2026-01-01', to: '2026-12-31' });
    expect(periodRange(choice('custom', '', '2026-03-05', '2026-04-02'))).toEqual({
      from: '2026-03-05',
      to: '2026-04-02',
    });
  });

  it('refuses what is incomplete or reversed', () => {
    expect(periodRange(choice('month', '2026-13'))).toBeNull();
    expect(periodRange(choice('quarter', '2026-Q5'))).toBeNull();
    expect(periodRange(choice('year', '26'))).toBeNull();
    expect(periodRange(choice('custom', '', '2026-04-02', '2026-03-05'))).toBeNull();
    expect(periodRange(choice('custom', '', '', '2026-03-05'))).toBeNull();
  });

  it('finds the period containing a day, and shows a month against the eleven before it', () => {
    expect(periodValueAt('month', '2026-11-26')).toBe('2026-11');
    expect(periodValueAt('quarter', '2026-11-26')).toBe('2026-Q4');
    expect(periodValueAt('quarter', '2026-03-31')).toBe('2026-Q1');
    expect(periodValueAt('year', '2026-11-26')).toBe('2026');
    const month = choice('month', '2026-03');
    expect(trendRange(month, { from: '2026-03-01', to: '2026-03-31' })).toEqual({
      from: '2025-04-01',
      to: '2026-03-31',
    });
    const quarter = choice('quarter', '2026-Q1');
    expect(trendRange(quarter, { from: '2026-01-01', to: '2026-03-31' })).toEqual({
      from: '2026-01-01',
      to: '2026-03-31',
    });
  });
});
