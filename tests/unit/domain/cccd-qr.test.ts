import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { parseCccdQr, type CccdQrData, type CccdQrResult } from '../../../shared/domain/cccd-qr';
import { NOW, validIdArb, vietnameseWordArb } from './arbitraries';

// Synthetic card: 001 1 85 012345 → Hà Nội, female, born 1985.
const ID = '001185012345';
const OLD = '012345678';
const NAME = 'Nguyễn Thị Thu Hà';
const ADDRESS = 'Số 1 ngõ 2, Phường Láng Thượng, Quận Đống Đa, Hà Nội';

function payload(
  fields: Partial<Record<'id' | 'old' | 'name' | 'dob' | 'sex' | 'address' | 'issued', string>> = {},
): string {
  return [
    fields.id ?? ID,
    fields.old ?? OLD,
    fields.name ?? NAME,
    fields.dob ?? '15031985',
    fields.sex ?? 'Nữ',
    fields.address ?? ADDRESS,
    fields.issued ?? '10082021',
  ].join('|');
}

function ok(r: CccdQrResult): CccdQrData {
  if (!r.ok) throw new Error(`expected ok, got: ${r.messageEn}`);
  return r;
}

function refused(r: CccdQrResult) {
  if (r.ok) throw new Error('expected a refusal');
  expect(r.message.length).toBeGreaterThan(0);
  expect(r.messageEn.length).toBeGreaterThan(0);
  expect(r.message).not.toContain(ID);
  expect(r.messageEn).not.toContain(ID);
  return r;
}

describe('parseCccdQr', () => {
  it('parses a 7-field payload', () => {
    expect(parseCccdQr(payload(), { now: NOW })).toEqual({
      ok: true,
      id: ID,
      oldId: OLD,
      name: NAME,
      dob: '1985-03-15',
      sex: 'female',
      address: ADDRESS,
      issued: '2021-08-10',
      warnings: [],
      warningsEn: [],
    });
  });

  it('accepts newer cards with appended (empty) fields', () => {
    const r = ok(parseCccdQr(`${payload()}||||`, { now: NOW }));
    expect(r.id).toBe(ID);
    expect(r.issued).toBe('2021-08-10');
    expect(ok(parseCccdQr(`${payload()}|||extra|`, { now: NOW })).address).toBe(ADDRESS);
  });

  it('returns null for a missing old ID number', () => {
    expect(ok(parseCccdQr(payload({ old: '' }), { now: NOW })).oldId).toBeNull();
    expect(ok(parseCccdQr(payload({ old: '079185000123' }), { now: NOW })).oldId).toBe('079185000123');
  });

  it('warns about and ignores a malformed old ID number', () => {
    const r = ok(parseCccdQr(payload({ old: '12AB' }), { now: NOW }));
    expect(r.oldId).toBeNull();
    expect(r.warnings).toHaveLength(1);
    expect(r.warningsEn).toHaveLength(1);
  });

  it('accepts text typed by a handheld reader: trailing CR/LF, surrounding spaces, BOM', () => {
    for (const typed of [
      `${payload()}\r\n`,
      `${payload()}\n`,
      `${payload()}\r`,
      `  ${payload()}  \r\n`,
      `\uFEFF${payload()}`,
    ]) {
      expect(ok(parseCccdQr(typed, { now: NOW })).id).toBe(ID);
    }
  });

  it('NFC-normalizes name and address, keeping the address text otherwise exact', () => {
    const address = '  Thôn Đông,  xã Tây,\thuyện Nam  ';
    const r = ok(
      parseCccdQr(payload({ name: `  ${NAME.normalize('NFD')}  `, address: address.normalize('NFD') }), { now: NOW }),
    );
    expect(r.name).toBe(NAME);
    expect(r.address).toBe(address);
    expect(r.address).toBe(r.address.normalize('NFC'));
  });

  it('accepts the sex field in any case and in NFD', () => {
    expect(ok(parseCccdQr(payload({ sex: 'NỮ' }), { now: NOW })).sex).toBe('female');
    expect(ok(parseCccdQr(payload({ sex: 'nữ' }), { now: NOW })).sex).toBe('female');
    expect(ok(parseCccdQr(payload({ sex: 'Nữ'.normalize('NFD') }), { now: NOW })).sex).toBe('female');
    const male = ok(parseCccdQr(payload({ id: '001085012345', sex: 'NAM' }), { now: NOW }));
    expect(male.sex).toBe('male');
    expect(male.warnings).toEqual([]);
  });

  it('reads "Nu" without its diacritic as female, warning that diacritics were lost', () => {
    const r = ok(parseCccdQr(payload({ sex: 'Nu' }), { now: NOW }));
    expect(r.sex).toBe('female');
    expect(r.warnings.join(' ')).toContain('mất dấu');
  });

  it('refuses an unknown sex value', () => {
    refused(parseCccdQr(payload({ sex: 'X' }), { now: NOW }));
    refused(parseCccdQr(payload({ sex: '' }), { now: NOW }));
  });

  it.each([
    ['31022000', 'dob'],
    ['29022023', 'dob'],
    ['1503198', 'dob'],
    ['1985-03-15', 'dob'],
    ['', 'dob'],
    ['32012021', 'issued'],
    ['10132021', 'issued'],
    ['', 'issued'],
  ] as const)('refuses the impossible date %j in %s', (date, field) => {
    refused(parseCccdQr(payload({ [field]: date }), { now: NOW }));
  });

  it('accepts 29 February in a leap year', () => {
    expect(ok(parseCccdQr(payload({ dob: '29021984', id: '001184012345' }), { now: NOW })).dob).toBe('1984-02-29');
  });

  it('refuses payloads that are not a card', () => {
    refused(parseCccdQr('', { now: NOW }));
    refused(parseCccdQr('  \r\n', { now: NOW }));
    refused(parseCccdQr('https://dichvucong.gov.vn/?ma=000.00.01.H26-231201-0001', { now: NOW }));
    refused(parseCccdQr(payload().split('|').slice(0, 6).join('|'), { now: NOW })); // 6 fields
    refused(parseCccdQr(payload({ name: '   ' }), { now: NOW }));
  });

  it('refuses an invalid ID number in the first field', () => {
    refused(parseCccdQr(payload({ id: '00118501234' }), { now: NOW }));
    refused(parseCccdQr(payload({ id: '001 185 012345' }), { now: NOW }));
    refused(parseCccdQr(payload({ id: '123185012345' }), { now: NOW })); // unknown province
    refused(parseCccdQr(payload({ id: '001985012345' }), { now: NOW })); // century not begun
  });

  it('warns (does not refuse) when the birth year disagrees with the ID', () => {
    const r = ok(parseCccdQr(payload({ dob: '15031986' }), { now: NOW }));
    expect(r.dob).toBe('1986-03-15');
    expect(r.warnings).toHaveLength(1);
    expect(r.warnings[0]).toContain('Năm sinh');
    expect(r.warningsEn[0]).toContain('birth year');
    expect(r.warnings[0]).not.toContain(ID);
  });

  it('warns when the sex disagrees with the ID', () => {
    const r = ok(parseCccdQr(payload({ sex: 'Nam' }), { now: NOW }));
    expect(r.sex).toBe('male');
    expect(r.warnings).toHaveLength(1);
    expect(r.warnings[0]).toContain('Giới tính');
  });

  it('warns about an issue date before the birth date or in the future', () => {
    expect(ok(parseCccdQr(payload({ issued: '01011980' }), { now: NOW })).warnings).toHaveLength(1);
    expect(ok(parseCccdQr(payload({ issued: '01012030' }), { now: NOW })).warnings).toHaveLength(1);
  });

  it('round-trips any valid payload (property)', () => {
    const name = fc.array(vietnameseWordArb, { minLength: 1, maxLength: 5 }).map((w) => w.join(' '));
    const address = fc.string({
      unit: fc.oneof(vietnameseWordArb, fc.constantFrom(' ', ',', '.', '/', '-', '0', '12', '  ')),
      maxLength: 20,
    });
    const card = fc.record({
      v: validIdArb,
      old: fc.oneof(fc.constant(''), fc.stringMatching(/^\d{9}$/)),
      name,
      address,
      month: fc.integer({ min: 1, max: 12 }),
      day: fc.integer({ min: 1, max: 28 }),
      issuedYear: fc.integer({ min: 2021, max: 2025 }),
      extra: fc.integer({ min: 0, max: 5 }),
      nfd: fc.boolean(),
      upper: fc.boolean(),
      ending: fc.constantFrom('', '\r\n', '\n', '\r'),
    });
    const pad = (n: number) => String(n).padStart(2, '0');
    fc.assert(
      fc.property(card, (c) => {
        const dob = `${pad(c.day)}${pad(c.month)}${c.v.birthYear}`;
        const issued = `${pad(c.day)}${pad(c.month)}${c.issuedYear}`;
        let sex = c.v.sex === 'male' ? 'Nam' : 'Nữ';
        if (c.upper) sex = sex.toUpperCase();
        let text = [c.v.id, c.old, c.name, dob, sex, c.address, issued, ...Array<string>(c.extra).fill('')].join('|');
        if (c.nfd) text = text.normalize('NFD');
        const r = ok(parseCccdQr(text + c.ending, { now: NOW }));
        expect(r.id).toBe(c.v.id);
        expect(r.oldId).toBe(c.old === '' ? null : c.old);
        expect(r.name).toBe(c.name);
        expect(r.address).toBe(c.address);
        const isoDob = `${c.v.birthYear}-${pad(c.month)}-${pad(c.day)}`;
        const isoIssued = `${c.issuedYear}-${pad(c.month)}-${pad(c.day)}`;
        expect(r.dob).toBe(isoDob);
        expect(r.issued).toBe(isoIssued);
        expect(r.sex).toBe(c.v.sex);
        // Consistent data gives no warnings; only what the generator leaves odd may warn.
        const today = '2025-06-15';
        const expected = [c.address.trim() === '', isoDob > today, isoIssued > today, isoIssued < isoDob].filter(
          Boolean,
        ).length;
        expect(r.warnings).toHaveLength(expected);
        expect(r.warningsEn).toHaveLength(expected);
      }),
      { numRuns: 500 },
    );
  });
});
