/**
 * The 12-digit personal ID number (số định danh cá nhân, printed on the CCCD card):
 *
 *   PPP G YY NNNNNN
 *   PPP    province of birth registration (see provinces.ts)
 *   G      century and sex: year = 1900 + 100 * floor(G / 2) + YY; even = male, odd = female
 *   YY     last two digits of the birth year
 *   NNNNNN serial
 *
 * There is NO check digit. Any code that claims one would refuse valid numbers.
 * The old 9-digit ID (CMND) is an alias for a person, never an identity: see isOldCmnd.
 *
 * Messages never contain the number itself: they may be logged or sent elsewhere.
 */
import { provinceByPrefix } from './provinces';

export type Sex = 'male' | 'female';

export interface CitizenIdInfo {
  ok: true;
  /** The 12 digits, without separators. */
  id: string;
  provinceCode: string;
  provinceName: string;
  sex: Sex;
  birthYear: number;
}

export type CitizenIdRefusalReason = 'empty' | 'format' | 'length' | 'province' | 'century' | 'birthYear';

export interface CitizenIdRefusal {
  ok: false;
  reason: CitizenIdRefusalReason;
  message: string;
  messageEn: string;
}

export type CitizenIdResult = CitizenIdInfo | CitizenIdRefusal;

export interface ParseCitizenIdOptions {
  /** Today, for the "not born in the future" check. Defaults to the current date. */
  now?: Date;
  /** Birth year from another field or document; a different year encoded in the ID is refused. */
  birthYear?: number;
}

// Typed input may group the digits: "034 1 85 477576", "034-185-477576", "034.185.477.576".
const TYPED_FORM = /^\d+(?:[\s.-]+\d+)*$/;
const SEPARATORS = /[\s.-]+/g;

function refuse(reason: CitizenIdRefusalReason, message: string, messageEn: string): CitizenIdRefusal {
  return { ok: false, reason, message, messageEn };
}

/** Validates a personal ID number as typed, scanned or read from OCR. */
export function parseCitizenId(raw: string, opts: ParseCitizenIdOptions = {}): CitizenIdResult {
  // NFKC turns full-width digits (some input methods) into ASCII ones.
  const text = raw.normalize('NFKC').trim();
  if (text === '') {
    return refuse('empty', 'Chưa nhập số định danh cá nhân.', 'The personal ID number is empty.');
  }
  if (!TYPED_FORM.test(text)) {
    return refuse(
      'format',
      'Số định danh cá nhân chỉ gồm chữ số (có thể ngăn cách bằng dấu cách, dấu chấm hoặc gạch ngang).',
      'A personal ID number contains only digits (optionally grouped with spaces, dots or hyphens).',
    );
  }
  const id = text.replace(SEPARATORS, '');
  if (id.length === 9) {
    return refuse(
      'length',
      'Đây là số CMND 9 chữ số cũ, không phải số định danh cá nhân. Hãy nhập số định danh cá nhân gồm đúng 12 chữ số.',
      'This is an old 9-digit ID card (CMND) number, not a personal ID number. Enter the 12-digit personal ID number.',
    );
  }
  if (id.length !== 12) {
    return refuse(
      'length',
      'Số định danh cá nhân phải gồm đúng 12 chữ số.',
      'A personal ID number must have exactly 12 digits.',
    );
  }

  const provinceCode = id.slice(0, 3);
  const province = provinceByPrefix(provinceCode);
  if (!province) {
    return refuse(
      'province',
      'Mã tỉnh nơi đăng ký khai sinh (3 chữ số đầu) không tồn tại.',
      'The province code of birth registration (first 3 digits) does not exist.',
    );
  }

  const g = Number(id[3]);
  const yy = Number(id.slice(4, 6));
  const centuryStart = 1900 + 100 * Math.floor(g / 2);
  const birthYear = centuryStart + yy;
  const currentYear = (opts.now ?? new Date()).getFullYear();
  if (centuryStart > currentYear) {
    return refuse(
      'century',
      'Chữ số thứ 4 (mã thế kỷ và giới tính) không hợp lệ: thế kỷ sinh chưa tới.',
      'The 4th digit (century and sex code) is invalid: that century of birth has not begun.',
    );
  }
  if (birthYear > currentYear) {
    return refuse(
      'century',
      'Năm sinh mã hóa trong số định danh (chữ số thứ 4 đến 6) là năm trong tương lai.',
      'The birth year encoded in the ID number (digits 4 to 6) is in the future.',
    );
  }
  if (opts.birthYear !== undefined && opts.birthYear !== birthYear) {
    return refuse(
      'birthYear',
      'Năm sinh mã hóa trong số định danh không khớp với năm sinh đã khai.',
      'The birth year encoded in the ID number does not match the declared birth year.',
    );
  }

  return {
    ok: true,
    id,
    provinceCode,
    provinceName: province.name,
    sex: g % 2 === 0 ? 'male' : 'female',
    birthYear,
  };
}

/** True if `raw` is a valid personal ID number (same rules as parseCitizenId). */
export function isCitizenId(raw: string, opts: ParseCitizenIdOptions = {}): boolean {
  return parseCitizenId(raw, opts).ok;
}

/** A short description for the clerk, e.g. "Nữ, sinh năm 1985, đăng ký khai sinh tại Tỉnh Thái Bình". */
export function describeCitizenId(info: CitizenIdInfo, lang: 'vi' | 'en' = 'vi'): string {
  if (lang === 'en') {
    return `${info.sex === 'male' ? 'Male' : 'Female'}, born ${info.birthYear}, birth registered in ${info.provinceName}`;
  }
  return `${info.sex === 'male' ? 'Nam' : 'Nữ'}, sinh năm ${info.birthYear}, đăng ký khai sinh tại ${info.provinceName}`;
}

/** Groups a 12-digit ID by its structure for display: "034 1 85 477576". Other input unchanged. */
export function formatCitizenId(id: string): string {
  return /^\d{12}$/.test(id) ? `${id.slice(0, 3)} ${id.slice(3, 4)} ${id.slice(4, 6)} ${id.slice(6)}` : id;
}

/**
 * Hides all but the last 3 digits ("*********576"), for places that must refer to a person
 * without disclosing the number (logs, notifications).
 */
export function maskCitizenId(id: string): string {
  const digits = id.replace(/\D/g, '');
  if (digits.length <= 3) return '*'.repeat(digits.length);
  return '*'.repeat(digits.length - 3) + digits.slice(-3);
}

/**
 * True for an old 9-digit ID card number (CMND), as typed (separators allowed). It is only an
 * alias to help find a person; never use it as the identity of a dossier or a document owner.
 */
export function isOldCmnd(raw: string): boolean {
  const text = raw.normalize('NFKC').trim();
  return TYPED_FORM.test(text) && text.replace(SEPARATORS, '').length === 9;
}
