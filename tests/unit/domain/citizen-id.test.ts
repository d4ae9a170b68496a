import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import {
  describeCitizenId,
  formatCitizenId,
  isCitizenId,
  isOldCmnd,
  maskCitizenId,
  parseCitizenId,
  type CitizenIdResult,
} from '../../../shared/domain/citizen-id';
import { PROVINCES } from '../../../shared/domain/provinces';
import { makeId, NOW, validIdArb } from './arbitraries';

function expectOk(r: CitizenIdResult) {
  if (!r.ok) throw new Error(`expected ok, got ${r.reason}: ${r.messageEn}`);
  return r;
}

function expectRefused(r: CitizenIdResult, reason: string) {
  expect(r.ok).toBe(false);
  if (r.ok) throw new Error('unreachable');
  expect(r.reason).toBe(reason);
  expect(r.message.length).toBeGreaterThan(0);
  expect(r.messageEn.length).toBeGreaterThan(0);
  return r;
}

describe('parseCitizenId: decoding PPP G YY NNNNNN', () => {
  it('decodes province, sex and birth year', () => {
    const r = expectOk(parseCitizenId('001085000001', { now: NOW }));
    expect(r).toEqual({
      ok: true,
      id: '001085000001',
      provinceCode: '001',
      provinceName: 'Thành phố Hà Nội',
      sex: 'male',
      birthYear: 1985,
    });
  });

  it.each([
    // G, YY, now, sex, year
    [0, 85, NOW, 'male', 1985],
    [1, 85, NOW, 'female', 1985],
    [0, 0, NOW, 'male', 1900],
    [1, 99, NOW, 'female', 1999],
    [2, 5, NOW, 'male', 2005],
    [3, 12, NOW, 'female', 2012],
    [2, 25, NOW, 'male', 2025], // born this year
    [4, 3, new Date(2105, 0, 1), 'male', 2103],
    [5, 0, new Date(2105, 0, 1), 'female', 2100],
    [6, 1, new Date(2201, 11, 31), 'male', 2201],
    [7, 50, new Date(2300, 0, 1), 'female', 2250],
    [8, 0, new Date(2300, 0, 1), 'male', 2300],
    [9, 99, new Date(2400, 0, 1), 'female', 2399],
  ] as const)('century digit %i with YY %i decodes to %s, %i', (g, yy, now, sex, year) => {
    const r = expectOk(parseCitizenId(makeId('079', g, yy, '012345'), { now }));
    expect(r.sex).toBe(sex);
    expect(r.birthYear).toBe(year);
    expect(r.provinceName).toBe('Thành phố Hồ Chí Minh');
  });

  it('refuses a century digit whose century has not begun', () => {
    for (const g of [4, 5, 6, 7, 8, 9]) {
      expectRefused(parseCitizenId(makeId('001', g, 0, '000001'), { now: NOW }), 'century');
    }
  });

  it('refuses a birth year in the future within the current century', () => {
    expectOk(parseCitizenId(makeId('001', 2, 25, '000001'), { now: NOW }));
    expectRefused(parseCitizenId(makeId('001', 2, 26, '000001'), { now: NOW }), 'century');
    expectRefused(parseCitizenId(makeId('001', 3, 99, '000001'), { now: NOW }), 'century');
  });

  it('uses the current date when no `now` is given', () => {
    const nextYearYY = (new Date().getFullYear() + 1) % 100;
    expectOk(parseCitizenId(makeId('001', 0, 85, '000001')));
    expectRefused(parseCitizenId(makeId('001', 2, nextYearYY, '000001')), 'century');
  });

  it('refuses a birth year that differs from the declared one', () => {
    const id = makeId('001', 1, 90, '000002');
    expectOk(parseCitizenId(id, { now: NOW, birthYear: 1990 }));
    expectRefused(parseCitizenId(id, { now: NOW, birthYear: 1991 }), 'birthYear');
    expectRefused(parseCitizenId(id, { now: NOW, birthYear: 2090 }), 'birthYear');
  });

  it('refuses unknown province prefixes', () => {
    for (const prefix of ['000', '003', '005', '097', '099', '100', '123', '999']) {
      expectRefused(parseCitizenId(makeId(prefix, 0, 85, '000001'), { now: NOW }), 'province');
    }
  });

  it('accepts every known province', () => {
    for (const p of PROVINCES) {
      expect(expectOk(parseCitizenId(makeId(p.prefix, 0, 80, '000001'), { now: NOW })).provinceName).toBe(p.name);
    }
  });
});

describe('parseCitizenId: no check digit', () => {
  it('accepts every valid province + century + year + serial (property)', () => {
    fc.assert(
      fc.property(validIdArb, (v) => {
        const r = expectOk(parseCitizenId(v.id, { now: NOW }));
        expect(r).toEqual({
          ok: true,
          id: v.id,
          provinceCode: v.prefix,
          provinceName: v.provinceName,
          sex: v.sex,
          birthYear: v.birthYear,
        });
        expectOk(parseCitizenId(v.id, { now: NOW, birthYear: v.birthYear }));
      }),
      { numRuns: 1000 },
    );
  });

  it('accepts all ten possible last digits of the same number', () => {
    for (let d = 0; d <= 9; d++) expectOk(parseCitizenId(`07919501234${d}`, { now: NOW }));
  });
});

describe('parseCitizenId: typed input', () => {
  it.each([
    '001 1 85 012345',
    '001-185-012345',
    '001.185.012.345',
    '001 185 012 345',
    '  001185012345\n',
    '001 - 185 - 012345',
    '００１１８５０１２３４５', // full-width digits from some input methods
    '001\u00a0185\u00a0012345',
  ])('accepts %j', (typed) => {
    const r = expectOk(parseCitizenId(typed, { now: NOW }));
    expect(r.id).toBe('001185012345');
    expect(r.sex).toBe('female');
    expect(r.birthYear).toBe(1985);
  });

  it('refuses empty input', () => {
    expectRefused(parseCitizenId(''), 'empty');
    expectRefused(parseCitizenId('   \t\n'), 'empty');
  });

  it.each([
    '00118501234a',
    'CCCD 001185012345',
    '-001185012345',
    '001185012345-',
    '001_185_012345',
    '001/185/012345',
    '0011850l2345',
  ])('refuses %j as format', (typed) => {
    expectRefused(parseCitizenId(typed, { now: NOW }), 'format');
  });

  it('refuses the wrong number of digits', () => {
    expectRefused(parseCitizenId('00118501234', { now: NOW }), 'length');
    expectRefused(parseCitizenId('0011850123456', { now: NOW }), 'length');
    expectRefused(parseCitizenId('1', { now: NOW }), 'length');
  });

  it('explains that a 9-digit number is an old CMND, not a personal ID', () => {
    const r = expectRefused(parseCitizenId('123 456 789', { now: NOW }), 'length');
    expect(r.message).toContain('CMND');
    expect(r.messageEn).toContain('CMND');
  });

  it('never puts the number into a message', () => {
    const input = fc.oneof(
      fc.stringMatching(/^\d{12}$/),
      fc.stringMatching(/^\d{9,13}$/),
      fc.stringMatching(/^[\d .a-z-]{1,20}$/),
    );
    fc.assert(
      fc.property(input, fc.integer({ min: 1900, max: 2030 }), (raw, birthYear) => {
        const r = parseCitizenId(raw, { now: NOW, birthYear });
        if (!r.ok) {
          const digits = raw.replace(/\D/g, '');
          for (const m of [r.message, r.messageEn]) {
            if (digits.length >= 4) expect(m).not.toContain(digits);
            expect(m).not.toMatch(/\d{4}/); // no run of the number's digits at all
          }
        }
      }),
      { numRuns: 500 },
    );
  });

  it('isCitizenId mirrors parseCitizenId', () => {
    expect(isCitizenId('079 0 95 000123', { now: NOW })).toBe(true);
    expect(isCitizenId('123456789012', { now: NOW })).toBe(false);
  });
});

describe('helpers', () => {
  it('describeCitizenId summarises the decoded fields', () => {
    const r = expectOk(parseCitizenId('079195000123', { now: NOW }));
    expect(describeCitizenId(r)).toBe('Nữ, sinh năm 1995, đăng ký khai sinh tại Thành phố Hồ Chí Minh');
    expect(describeCitizenId(r, 'en')).toBe('Female, born 1995, birth registered in Thành phố Hồ Chí Minh');
  });

  it('formatCitizenId groups by structure; maskCitizenId keeps only the last 3 digits', () => {
    expect(formatCitizenId('079195000123')).toBe('079 1 95 000123');
    expect(formatCitizenId('12345')).toBe('12345');
    expect(maskCitizenId('079195000123')).toBe('*********123');
    expect(maskCitizenId('079 1 95 000123')).toBe('*********123');
    expect(maskCitizenId('12')).toBe('**');
  });

  it('isOldCmnd recognises 9-digit CMND numbers only', () => {
    expect(isOldCmnd('123456789')).toBe(true);
    expect(isOldCmnd(' 123 456 789 ')).toBe(true);
    expect(isOldCmnd('123-456-789')).toBe(true);
    expect(isOldCmnd('12345678')).toBe(false);
    expect(isOldCmnd('079195000123')).toBe(false);
    expect(isOldCmnd('12345678a')).toBe(false);
    expect(isOldCmnd('')).toBe(false);
  });
});
