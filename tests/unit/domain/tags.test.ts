import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { extractTags, findCitizenIds } from '../../../shared/domain/tags';
import { NOW, validIdArb, vietnameseWordArb, wordsOnlyArb } from './arbitraries';

const ids = (text: string) => extractTags(text, { now: NOW }).citizenIds;

// Synthetic IDs: 001 1 85 012345 (Hà Nội, female, 1985) and 079 0 90 000123 (HCM, male, 1990).
const A = '001185012345';
const B = '079090000123';

describe('extractTags: personal ID numbers', () => {
  it('finds a solid 12-digit ID in a sentence', () => {
    expect(ids(`Số định danh cá nhân: ${A}. Họ và tên: NGUYỄN VĂN A`)).toEqual([A]);
  });

  it.each([
    ['3-1-2-6 with spaces', '001 1 85 012345'],
    ['3-3-3-3 with spaces', '001 185 012 345'],
    ['3-3-3-3 with dots', '001.185.012.345'],
    ['3-3-6 with hyphens', '001-185-012345'],
    ['4-4-4', '0011 8501 2345'],
    ['6-6', '001185 012345'],
    ['one digit per box', '0 0 1 1 8 5 0 1 2 3 4 5'],
    ['non-breaking spaces', '001\u00a01\u00a085\u00a0012345'],
  ])('finds an ID printed in groups (%s)', (_, printed) => {
    expect(ids(`Người nộp hồ sơ, số CCCD ${printed}, cư trú tại Hà Nội.`)).toEqual([A]);
  });

  it('reports positions covering the printed form', () => {
    const text = `CCCD: 001 1 85 012345.`;
    const [m] = findCitizenIds(text, { now: NOW });
    expect(m).toBeDefined();
    expect(text.slice(m?.start, m?.end)).toBe('001 1 85 012345');
  });

  it('rejects a 12-digit number that fails validation (bank account with unknown province 123)', () => {
    expect(ids('Số tài khoản: 123456789012 tại ngân hàng')).toEqual([]);
    expect(ids('Mã 001485012345 (thế kỷ chưa tới)')).toEqual([]);
    expect(ids('Mã 001226012345 (năm sinh tương lai)')).toEqual([]);
  });

  it('rejects digit runs that are part of a longer number', () => {
    expect(ids(`Thẻ ${A}6789`)).toEqual([]); // 16 digits
    expect(ids(`Số 9${A}`)).toEqual([]); // 13 digits
    expect(ids(`Số ${A}0`)).toEqual([]);
    expect(ids('Thẻ 0011 8501 2345 6789')).toEqual([]); // 16-digit card in groups of 4
    expect(ids('Thẻ 9999 0011 8501 2345')).toEqual([]);
    expect(ids('Số 001 185 012 345 678')).toEqual([]); // more 3-groups
    expect(ids('Số tiền 1.001.185.012.345 đồng')).toEqual([]); // thousands separators
    expect(ids('1,001,185,012,345')).toEqual([]);
    expect(ids(`Mã ${A}-01`)).toEqual([]); // glued by a hyphen to more digits
    expect(ids(`Mã ${A}.7`)).toEqual([]);
    expect(ids(`Số văn bản ${A}/2023`)).toEqual([]);
    expect(ids(`SN${A}`)).toEqual([]); // glued to letters
    expect(ids(`${A}AB`)).toEqual([]);
  });

  it('accepts an ID separated from other numbers by a space or sentence punctuation', () => {
    expect(ids(`ngày 01.12.2023 ${A} 12 trang`)).toEqual([A]);
    expect(ids(`(${A}), ${B}.`)).toEqual([A, B]);
    expect(ids(`${A}\n${B}`)).toEqual([A, B]);
    expect(ids(`${A} ${B}`)).toEqual([A, B]);
    expect(ids(`"${A}"`)).toEqual([A]);
    expect(ids(`CCCD: ${A}.`)).toEqual([A]);
  });

  it('does not join groups with mixed separators (different fields)', () => {
    expect(ids('Số 001 185.012 345')).toEqual([]);
    expect(ids('Số 001-185 012345')).toEqual([]);
  });

  it('does not join date parts and a sequence number into an ID', () => {
    // 01 12 2023 0001 → 011220230001 would be a "valid" ID (011 Điện Biên, 2020): not a layout.
    expect(ids('ngày 01 12 2023 0001')).toEqual([]);
    expect(ids('01.12.2023.0001')).toEqual([]);
  });

  it('de-duplicates and keeps first-seen order across printed forms', () => {
    expect(ids(`${B}; ${A}; 001 1 85 012345; 079-090-000123`)).toEqual([B, A]);
  });

  it('tolerates O/o for 0 and l/I for 1 inside digit tokens', () => {
    expect(ids('CCCD: OO1185O12345')).toEqual([]); // three substitutions: too many
    expect(ids('CCCD: O01185O12345')).toEqual([A]);
    expect(ids('CCCD: 0011850l2345')).toEqual([A]);
    expect(ids('CCCD: 001 I 85 012345')).toEqual([]); // a lone letter is a word, not a digit
    expect(ids('CCCD: 0O1 185 012 345')).toEqual([A]);
    expect(ids('Số: 0o1l85012345')).toEqual([A]);
  });

  it('does not read letters as digits inside words', () => {
    expect(ids('lOl IOI Ollie olOI')).toEqual([]);
    expect(ids('Holl0185012345')).toEqual([]);
    expect(ids(`l${A}`)).toEqual([]); // would be 13 digits
    expect(ids(`${A}O`)).toEqual([]);
    // 'o' followed by a combining mark (NFD 'ó') is a letter of a word.
    expect(ids('0o\u03011185012345')).toEqual([]);
  });

  it('finds any valid ID in any printed layout inside Vietnamese text (property)', () => {
    const layouts: ((id: string) => string)[] = [
      (id) => id,
      (id) => `${id.slice(0, 3)} ${id.slice(3, 4)} ${id.slice(4, 6)} ${id.slice(6)}`,
      (id) => id.replace(/(\d{3})(?=\d)/g, '$1 '),
      (id) => id.replace(/(\d{3})(?=\d)/g, '$1.'),
      (id) => `${id.slice(0, 3)}-${id.slice(3, 6)}-${id.slice(6)}`,
      (id) => id.replace(/(\d{4})(?=\d)/g, '$1 '),
    ];
    fc.assert(
      fc.property(
        validIdArb,
        fc.constantFrom(...layouts),
        wordsOnlyArb,
        wordsOnlyArb,
        fc.constantFrom(' ', ': ', ' (', '\n', ' "'),
        fc.constantFrom(' ', '. ', ', ', ')', '\n', '"'),
        (v, layout, before, after, open, close) => {
          const text = `${before}${open}${layout(v.id)}${close}${after}`;
          expect(extractTags(text, { now: NOW }).citizenIds).toEqual([v.id]);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('never proposes an ID from a digit run longer than 12 (property)', () => {
    fc.assert(
      fc.property(
        validIdArb,
        fc.stringMatching(/^\d{1,4}$/),
        fc.stringMatching(/^\d{0,4}$/),
        wordsOnlyArb,
        (v, pre, post, words) => {
          const text = `${words} ${pre}${v.id}${post} ${words}`;
          expect(extractTags(text, { now: NOW }).citizenIds).toEqual([]);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('text without digits never yields an ID, whatever O/o/l/I it contains (property)', () => {
    const confusable = fc.string({ unit: fc.constantFrom('O', 'o', 'l', 'I', ' ', '.', '-'), maxLength: 30 });
    fc.assert(
      fc.property(fc.oneof(wordsOnlyArb, confusable, vietnameseWordArb), (text) => {
        expect(extractTags(text, { now: NOW }).citizenIds).toEqual([]);
      }),
    );
  });
});

describe('extractTags: procedure and dossier codes', () => {
  it('finds codes within Vietnamese sentences', () => {
    const text =
      'Công dân nộp hồ sơ thủ tục đăng ký khai sinh (mã TTHC 1.001193), mã hồ sơ 000.00.01.H26-231201-0001. ' +
      `Người nộp: NGUYỄN THỊ B, CCCD 079 0 90 000123. Thủ tục liên thông: 2.000986; hồ sơ 000.00.01.H26-231201-0001.`;
    expect(extractTags(text, { now: NOW })).toEqual({
      citizenIds: [B],
      procedureCodes: ['1.001193', '2.000986'],
      dossierCodes: ['000.00.01.H26-231201-0001'],
    });
  });

  it('does not mistake codes for IDs or IDs for codes', () => {
    const tags = extractTags('000.00.01.H26-231201-0001 11.0011934 1.001193.5', { now: NOW });
    expect(tags).toEqual({ citizenIds: [], procedureCodes: [], dossierCodes: ['000.00.01.H26-231201-0001'] });
  });

  it('proposes nothing from empty text', () => {
    expect(extractTags('')).toEqual({ citizenIds: [], procedureCodes: [], dossierCodes: [] });
  });
});
