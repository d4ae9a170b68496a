import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import {
  DOSSIER_CODE_PATTERN,
  formatDossierCode,
  isAgencyCode,
  isProcedureCode,
  parseDossierCode,
  PROCEDURE_CODE_PATTERN,
  scanDossierCodes,
  scanProcedureCodes,
} from '../../../shared/domain/codes';

describe('procedure codes', () => {
  it('isProcedureCode accepts exactly d.dddddd', () => {
    expect(isProcedureCode('1.001193')).toBe(true);
    expect(isProcedureCode('2.000986')).toBe(true);
    for (const s of [
      '1.00119',
      '1.0011934',
      '11.001193',
      '1,001193',
      '1001193',
      ' 1.001193',
      '1.001193 ',
      'a.001193',
      '',
    ]) {
      expect(isProcedureCode(s)).toBe(false);
    }
  });

  it('scans codes out of Vietnamese sentences, including at a sentence end', () => {
    const text = 'Thủ tục đăng ký khai sinh (mã 1.001193) và thủ tục chứng thực, mã TTHC: 2.000986.';
    expect(scanProcedureCodes(text)).toEqual(['1.001193', '2.000986']);
    expect([...text.matchAll(PROCEDURE_CODE_PATTERN)].map((m) => m[0])).toEqual(['1.001193', '2.000986']);
  });

  it('does not match inside longer numbers', () => {
    for (const text of [
      '11.0011934',
      '11.001193',
      '1.0011934',
      '2.1.001193',
      '1.001193.5',
      '3.141592653',
      '121.001193',
    ]) {
      expect(scanProcedureCodes(text)).toEqual([]);
    }
  });

  it('de-duplicates in first-seen order', () => {
    expect(scanProcedureCodes('2.000986, 1.001193; 2.000986')).toEqual(['2.000986', '1.001193']);
  });

  it('scanning does not leave state in the shared global pattern', () => {
    scanProcedureCodes('1.001193 2.000986');
    expect(PROCEDURE_CODE_PATTERN.lastIndex).toBe(0);
    expect(PROCEDURE_CODE_PATTERN.flags).toContain('g');
  });
});

describe('dossier codes', () => {
  it('parses the documented example', () => {
    expect(parseDossierCode('000.00.01.H26-231201-0001')).toEqual({
      agency: '000.00.01.H26',
      date: '2023-12-01',
      sequence: 1,
    });
    expect(parseDossierCode('  123.45.67.G09-240229-9999 ')).toEqual({
      agency: '123.45.67.G09',
      date: '2024-02-29',
      sequence: 9999,
    });
  });

  it.each([
    '000.00.01.H26-230229-0001', // 29 Feb 2023 does not exist
    '000.00.01.H26-231301-0001', // month 13
    '000.00.01.H26-230431-0001', // 31 April
    '000.00.01.H26-231200-0001', // day 0
    '000.00.01.H26-231201-0000', // sequences start at 0001
    '000.00.01.h26-231201-0001', // lower-case letter
    '000.00.01.26-231201-0001',
    '00.00.01.H26-231201-0001',
    '000.00.01.H26-2312010-0001',
    '000.00.01.H26-231201-001',
    '000.00.01.H26-231201-00001',
    '000.00.01.H26 231201 0001',
    '000.00.01.H26-231201-0001x',
    '',
  ])('refuses %j', (s) => {
    expect(parseDossierCode(s)).toBeNull();
  });

  it('formats codes from agency, local date and sequence', () => {
    expect(formatDossierCode('000.00.01.H26', new Date(2023, 11, 1), 1)).toBe('000.00.01.H26-231201-0001');
    expect(formatDossierCode('000.00.01.H26', new Date(2009, 0, 9, 23, 59), 9999)).toBe('000.00.01.H26-090109-9999');
  });

  it('refuses to format an impossible code', () => {
    const d = new Date(2023, 11, 1);
    expect(() => formatDossierCode('000.00.01.h26', d, 1)).toThrow(RangeError);
    expect(() => formatDossierCode('000.00.01.H26', d, 0)).toThrow(RangeError);
    expect(() => formatDossierCode('000.00.01.H26', d, 10000)).toThrow(RangeError);
    expect(() => formatDossierCode('000.00.01.H26', d, 1.5)).toThrow(RangeError);
    expect(() => formatDossierCode('000.00.01.H26', new Date(1999, 11, 31), 1)).toThrow(RangeError);
    expect(() => formatDossierCode('000.00.01.H26', new Date(Number.NaN), 1)).toThrow(RangeError);
  });

  it('format then parse round-trips (property)', () => {
    const agency = fc
      .tuple(
        fc.stringMatching(/^\d{3}$/),
        fc.stringMatching(/^\d{2}$/),
        fc.stringMatching(/^\d{2}$/),
        fc.stringMatching(/^[A-Z]\d{2}$/),
      )
      .map((parts) => parts.join('.'));
    const date = fc.date({ min: new Date(2000, 0, 1), max: new Date(2099, 11, 31), noInvalidDate: true });
    fc.assert(
      fc.property(agency, date, fc.integer({ min: 1, max: 9999 }), (ag, d, seq) => {
        const code = formatDossierCode(ag, d, seq);
        expect(isAgencyCode(ag)).toBe(true);
        const parsed = parseDossierCode(code);
        const iso = `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
        expect(parsed).toEqual({ agency: ag, date: iso, sequence: seq });
        expect(scanDossierCodes(`Mã hồ sơ: ${code}.`)).toEqual([code]);
      }),
      { numRuns: 500 },
    );
  });

  it('scans codes in sentences with surrounding punctuation, checking the date', () => {
    const text =
      'Hồ sơ số 000.00.01.H26-231201-0001 đã tiếp nhận; hồ sơ (000.00.01.H26-231201-0002), ' +
      'hồ sơ "000.00.01.H26-230230-0003" (ngày sai) và mã 000.00.01.H26-231201-0001 lặp lại.';
    expect(scanDossierCodes(text)).toEqual(['000.00.01.H26-231201-0001', '000.00.01.H26-231201-0002']);
    // The raw pattern finds the shape; the date is checked by parse/scan.
    expect([...text.matchAll(DOSSIER_CODE_PATTERN)]).toHaveLength(4);
  });

  it('does not scan codes that are part of longer codes or words', () => {
    for (const text of [
      '1000.00.01.H26-231201-0001',
      '9.000.00.01.H26-231201-0001',
      '000.00.01.H26-231201-00012',
      '000.00.01.H26-231201-0001-2',
      '000.00.01.H26-231201-0001.5',
      'X000.00.01.H26-231201-0001',
      '000.00.01.H26-231201-0001A',
      '5-000.00.01.H26-231201-0001',
    ]) {
      expect(scanDossierCodes(text), text).toEqual([]);
    }
  });
});
