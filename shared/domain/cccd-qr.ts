/**
 * The QR code on chip-based CCCD cards (since 2021):
 *
 *   ID|old CMND or empty|full name|date of birth ddmmyyyy|Nam or Nữ|permanent address|issue date ddmmyyyy
 *
 * Newer cards append further (empty) fields, so 7 or more fields are accepted and the extra ones
 * ignored. Handheld 2D readers "type" the payload like a keyboard, so the same parser takes text
 * typed into a field (trailing Enter, stray spaces, NFD from some input stacks) and decoded scans.
 *
 * Refusals are for payloads that cannot be a card (wrong shape, invalid ID, impossible dates).
 * Doubtful but possible content (e.g. birth year vs the ID's century digit) gives warnings, which
 * the clerk sees next to the data; the card in hand settles it.
 */
import { parseDdMmYyyy, localIsoDate } from './calendar';
import { parseCitizenId, type Sex } from './citizen-id';
import { foldText } from './fold';

export interface CccdQrData {
  ok: true;
  /** Personal ID number, 12 digits. */
  id: string;
  /** Old ID card number (9 digits, or 12 for pre-chip CCCD), null when the field is empty. */
  oldId: string | null;
  /** Full name, NFC, whitespace collapsed. */
  name: string;
  /** Date of birth, `YYYY-MM-DD`. */
  dob: string;
  sex: Sex;
  /** Permanent address exactly as on the card (NFC-normalized only). */
  address: string;
  /** Issue date, `YYYY-MM-DD`. */
  issued: string;
  /** Vietnamese warnings for the clerk; empty when nothing looks odd. */
  warnings: string[];
  /** English twins of `warnings`, same order. */
  warningsEn: string[];
}

export interface CccdQrRefusal {
  ok: false;
  message: string;
  messageEn: string;
}

export type CccdQrResult = CccdQrData | CccdQrRefusal;

export interface ParseCccdQrOptions {
  /** Today, for plausibility checks. Defaults to the current date. */
  now?: Date;
}

export const CCCD_QR_MIN_FIELDS = 7;

function refuse(message: string, messageEn: string): CccdQrRefusal {
  return { ok: false, message, messageEn };
}

/** Parses a CCCD QR payload, scanned or typed by a handheld reader. */
export function parseCccdQr(raw: string, opts: ParseCccdQrOptions = {}): CccdQrResult {
  const now = opts.now ?? new Date();
  // trim() also removes the CR/LF a reader sends as "Enter", and a BOM (U+FEFF is whitespace).
  const text = raw.normalize('NFC').trim();
  if (text === '') {
    return refuse('Chưa có nội dung mã QR.', 'The QR code content is empty.');
  }
  const fields = text.split('|');
  if (fields.length < CCCD_QR_MIN_FIELDS) {
    return refuse(
      'Nội dung không phải mã QR của thẻ CCCD (cần ít nhất 7 trường ngăn cách bởi dấu |).',
      'This is not a CCCD card QR code (at least 7 fields separated by | are expected).',
    );
  }
  const [idField, oldIdField, nameField, dobField, sexField, addressField, issuedField] = fields.slice(0, 7) as [
    string,
    string,
    string,
    string,
    string,
    string,
    string,
  ];
  const warnings: string[] = [];
  const warningsEn: string[] = [];
  const warn = (vi: string, en: string) => {
    warnings.push(vi);
    warningsEn.push(en);
  };

  const idText = idField.trim();
  if (!/^\d{12}$/.test(idText)) {
    return refuse(
      'Trường đầu tiên của mã QR phải là số định danh cá nhân gồm đúng 12 chữ số.',
      'The first field of the QR code must be a 12-digit personal ID number.',
    );
  }
  // The year is compared with the date of birth below, as a warning: do not pass birthYear here.
  const idInfo = parseCitizenId(idText, { now });
  if (!idInfo.ok) {
    return refuse(
      `Số định danh trong mã QR không hợp lệ. ${idInfo.message}`,
      `The ID number in the QR code is invalid. ${idInfo.messageEn}`,
    );
  }

  const oldIdText = oldIdField.trim();
  let oldId: string | null = null;
  if (/^(?:\d{9}|\d{12})$/.test(oldIdText)) {
    oldId = oldIdText;
  } else if (oldIdText !== '') {
    warn(
      'Số CMND cũ trong mã QR không đúng định dạng (9 hoặc 12 chữ số) nên đã được bỏ qua.',
      'The old ID number in the QR code is malformed (9 or 12 digits expected) and was ignored.',
    );
  }

  const name = nameField.trim().replace(/\s+/g, ' ');
  if (name === '') {
    return refuse('Mã QR không có họ và tên.', 'The QR code has no full name.');
  }

  const dob = parseDdMmYyyy(dobField.trim());
  if (dob === null) {
    return refuse(
      'Ngày sinh trong mã QR không phải một ngày hợp lệ (ddmmyyyy).',
      'The date of birth in the QR code is not a valid date (ddmmyyyy).',
    );
  }
  const issued = parseDdMmYyyy(issuedField.trim());
  if (issued === null) {
    return refuse(
      'Ngày cấp trong mã QR không phải một ngày hợp lệ (ddmmyyyy).',
      'The issue date in the QR code is not a valid date (ddmmyyyy).',
    );
  }

  const sexText = sexField.trim().toLowerCase();
  let sex: Sex;
  if (sexText === 'nam') {
    sex = 'male';
  } else if (sexText === 'nữ') {
    sex = 'female';
  } else if (foldText(sexText) === 'nu') {
    // "Nu" without its diacritic: the reader typed through a keyboard layout or input method
    // that lost Vietnamese letters, so the name and address are probably damaged too.
    sex = 'female';
    warn(
      'Mã QR có vẻ bị mất dấu tiếng Việt khi nhập (ví dụ "Nu" thay vì "Nữ"): hãy kiểm tra họ tên và địa chỉ, và tắt bộ gõ tiếng Việt khi quét.',
      'The QR text seems to have lost its Vietnamese diacritics (e.g. "Nu" for "Nữ"): check the name and address, and turn off the Vietnamese input method while scanning.',
    );
  } else {
    return refuse('Giới tính trong mã QR phải là "Nam" hoặc "Nữ".', 'The sex in the QR code must be "Nam" or "Nữ".');
  }

  if (Number(dob.slice(0, 4)) !== idInfo.birthYear) {
    warn(
      'Năm sinh trong ngày sinh không khớp với năm sinh mã hóa trong số định danh (chữ số thứ 4 đến 6).',
      'The year of the date of birth does not match the birth year encoded in the ID number (digits 4 to 6).',
    );
  }
  if (sex !== idInfo.sex) {
    warn(
      'Giới tính không khớp với chữ số giới tính (chữ số thứ 4) của số định danh.',
      'The sex does not match the sex digit (4th digit) of the ID number.',
    );
  }
  const today = localIsoDate(now);
  if (dob > today) {
    warn(
      'Ngày sinh ở tương lai: kiểm tra lại mã QR hoặc ngày giờ của máy.',
      'The date of birth is in the future: check the QR code or the computer clock.',
    );
  }
  if (issued > today) {
    warn(
      'Ngày cấp ở tương lai: kiểm tra lại mã QR hoặc ngày giờ của máy.',
      'The issue date is in the future: check the QR code or the computer clock.',
    );
  }
  if (issued < dob) {
    warn('Ngày cấp thẻ trước ngày sinh.', 'The card issue date is before the date of birth.');
  }
  if (addressField.trim() === '') {
    warn('Mã QR không có địa chỉ thường trú.', 'The QR code has no permanent address.');
  }

  return {
    ok: true,
    id: idInfo.id,
    oldId,
    name,
    dob,
    sex,
    address: addressField,
    issued,
    warnings,
    warningsEn,
  };
}
