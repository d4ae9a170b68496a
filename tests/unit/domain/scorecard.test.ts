import { describe, expect, it } from 'vitest';
import { REPO_ASSETS_DIR } from '../../../electron/core/backend';
import { loadScorecard, parseScorecard } from '../../../electron/core/reports/scorecard';
import { AppFailure } from '../../../shared/api/errors';
import {
  groupIndicators,
  indicatorPoints,
  indicatorRow,
  rateOf,
  vietnamPeriod,
  type DossierFacts,
} from '../../../shared/domain/scorecard';

const scorecard = loadScorecard(REPO_ASSETS_DIR);

const facts = (over: Partial<DossierFacts>): DossierFacts => ({
  unit: 'U1',
  clerk: 'clerk1',
  procedure: '1.004227',
  channel: 'direct',
  digitized: false,
  reused: false,
  resultDigitized: false,
  linkedToStore: false,
  ...over,
});

describe('the scorecard data file', () => {
  it('holds indicators 4.1–4.5 with DOMAIN.md weights and the 80 % thresholds', () => {
    expect(scorecard.decision).toBe('766/QĐ-TTg');
    expect(scorecard.version).toBe(1);
    const byId = Object.fromEntries(scorecard.indicators.map((i) => [i.id, i]));
    expect(Object.keys(byId)).toEqual(['4.1', '4.2', '4.3', '4.4', '4.5']);
    expect(byId['4.1']).toMatchObject({ measure: 'resultsDigitized', maxPoints: 6 });
    expect(byId['4.2']).toMatchObject({ measure: 'digitized', maxPoints: 4, fullPointsAt: 0.8 });
    expect(byId['4.3']).toMatchObject({ measure: 'reused', maxPoints: 2, fullPointsAt: 0.8 });
    expect(byId['4.4']).toMatchObject({ measure: 'linkedToStore', maxPoints: 4 });
    expect(byId['4.5']).toMatchObject({ measure: 'identityVerified', maxPoints: 4 });
  });

  it('refuses a broken file, saying where', () => {
    const broken = { ...scorecard, indicators: [{ ...scorecard.indicators[0], fullPointsAt: 1.5 }] };
    expect(() => parseScorecard(broken)).toThrow(AppFailure);
    try {
      parseScorecard(broken);
    } catch (error) {
      expect((error as AppFailure).appError.message).toContain('indicators.0.fullPointsAt');
      expect((error as AppFailure).appError.messageEn).toBeTruthy();
    }
    const repeated = { ...scorecard, indicators: [scorecard.indicators[1], scorecard.indicators[1]] };
    expect(() => parseScorecard(repeated)).toThrow(AppFailure);
  });
});

describe('points', () => {
  const digitized = { maxPoints: 4, fullPointsAt: 0.8 };
  it('gives full points at and above 80 %', () => {
    expect(indicatorPoints(0.8, digitized)).toBe(4);
    expect(indicatorPoints(0.95, digitized)).toBe(4);
    expect(indicatorPoints(1, digitized)).toBe(4);
  });
  it('scales rate × max / 80 % below it', () => {
    expect(indicatorPoints(0.4, digitized)).toBe(2); // 0.4 × 4 / 0.8
    expect(indicatorPoints(0.6, digitized)).toBe(3);
    expect(indicatorPoints(0.79, digitized)).toBe(3.95);
    expect(indicatorPoints(0, digitized)).toBe(0);
    expect(indicatorPoints(1 / 3, { maxPoints: 2, fullPointsAt: 0.8 })).toBe(0.83); // 0.8333…
  });
  it('is proportional when full points need 100 %', () => {
    expect(indicatorPoints(0.5, { maxPoints: 6, fullPointsAt: 1 })).toBe(3);
  });
  it('has no rate without dossiers', () => {
    expect(rateOf(0, 0)).toBeNull();
    expect(rateOf(1, 3)).toBe(0.3333);
  });
});

describe('indicator rows', () => {
  it('counts a dossier both reused and digitized in both', () => {
    const row = indicatorRow('all', [facts({ digitized: true, reused: true })], scorecard);
    expect(row).toMatchObject({ received: 1, digitized: 1, digitizedRate: 1, reused: 1, reusedRate: 1 });
    expect(row.points).toMatchObject({ '4.2': 4, '4.3': 2, '4.1': 0, '4.4': 0, '4.5': null, total: 6 });
  });

  it('matches a hand-computed example', () => {
    // 5 dossiers: 2 digitized (40 % → 2 of 4), 4 reused (80 % → 2 of 2),
    // 3 results digitized (60 % → 3.6 of 6), 1 linked (20 % → 0.8 of 4).
    const dossiers = [
      facts({ digitized: true, reused: true, resultDigitized: true, linkedToStore: true }),
      facts({ digitized: true, reused: true, resultDigitized: true }),
      facts({ reused: true, resultDigitized: true }),
      facts({ reused: true }),
      facts({}),
    ];
    const row = indicatorRow('all', dossiers, scorecard);
    expect(row).toMatchObject({
      received: 5,
      digitized: 2,
      digitizedRate: 0.4,
      reused: 4,
      reusedRate: 0.8,
      resultsDigitized: 3,
      resultsDigitizedRate: 0.6,
      linkedToStore: 1,
      linkedToStoreRate: 0.2,
    });
    expect(row.points).toEqual({ '4.1': 3.6, '4.2': 2, '4.3': 2, '4.4': 0.8, '4.5': null, total: 8.4 });
  });

  it('scores nothing (null, not 0) for a group without dossiers', () => {
    const row = indicatorRow('empty', [], scorecard);
    expect(row.digitizedRate).toBeNull();
    expect(row.points.total).toBeNull();
  });

  it('groups by the chosen key, sorted', () => {
    const rows = groupIndicators(
      [facts({ channel: 'postal', digitized: true }), facts({ channel: 'direct' }), facts({ channel: 'postal' })],
      'channel',
      scorecard,
    );
    expect(rows.map((r) => [r.group, r.received, r.digitized])).toEqual([
      ['direct', 1, 0],
      ['postal', 2, 1],
    ]);
    expect(groupIndicators([facts({})], undefined, scorecard).map((r) => r.group)).toEqual(['all']);
  });
});

describe('periods in Vietnam time', () => {
  it('runs from 00:00 +07 on the first day to 00:00 +07 after the last', () => {
    expect(vietnamPeriod('2026-03-01', '2026-03-31')).toEqual({
      start: '2026-02-28T17:00:00.000Z',
      end: '2026-03-31T17:00:00.000Z',
    });
    expect(vietnamPeriod('2024-02-29', '2024-02-29')).toEqual({
      start: '2024-02-28T17:00:00.000Z',
      end: '2024-02-29T17:00:00.000Z',
    });
  });
  it('refuses impossible dates and reversed periods', () => {
    expect(vietnamPeriod('2026-02-30', '2026-03-01')).toBeNull();
    expect(vietnamPeriod('2026-03-02', '2026-03-01')).toBeNull();
    expect(vietnamPeriod('1/3/2026', '2026-03-31')).toBeNull();
  });
});

describe('the reports route', () => {
  it('parses #/reports and links back to it', async () => {
    const { parseRoute, routeHref } = await import('../../../renderer/src/app/router');
    expect(parseRoute('#/reports')).toEqual({ name: 'reports' });
    expect(routeHref({ name: 'reports' })).toBe('#/reports');
  });
});

describe('page size classes for postal invoicing', () => {
  it('classes by the long side in millimetres at the page resolution', async () => {
    const { pageSizeClass } = await import('../../../shared/domain/page-size');
    expect(pageSizeClass(1654, 2339, 200)).toBe('a4'); // 210 × 297 mm
    expect(pageSizeClass(2480, 3508, 300)).toBe('a4');
    expect(pageSizeClass(3508, 2480, 300)).toBe('a4'); // landscape
    expect(pageSizeClass(2339, 3307, 200)).toBe('a3'); // 297 × 420 mm
    expect(pageSizeClass(4000, 6000, 200)).toBe('larger'); // 762 mm
    expect(pageSizeClass(1000, 1400, null)).toBe('unknown');
    expect(pageSizeClass(1000, 1400, 0)).toBe('unknown');
  });
});
