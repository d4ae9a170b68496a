/**
 * ID card fields read line by line (real sharp, real tesseract.js worker): a generated card front
 * (ISO ID-1 at 300 dpi, invented citizen), each value cropped from the known layout and read with
 * the single-line page segmentation mode.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseField, readIdCardFields } from '../../electron/core/citizens/id-cards';
import { DEFAULT_OCR_LANGUAGES, ensureLanguageFolder } from '../../electron/core/ocr/language-data';
import { OcrPool } from '../../electron/core/ocr/pool';
import { renderCardFront } from '../fixtures/id-card-front';
import { tempDir } from '../support/temp-backend';

describe('ID card fields, one line each (real tesseract.js)', () => {
  let pool: OcrPool;
  let cleanup: () => void;

  beforeAll(async () => {
    const dir = tempDir('sohoa-id-fields-');
    cleanup = dir.cleanup;
    pool = new OcrPool({ langPath: await ensureLanguageFolder(dir.dir), languages: DEFAULT_OCR_LANGUAGES, size: 1 });
  });

  afterAll(async () => {
    await pool?.close();
    cleanup?.();
  });

  it('reads the ID number, name, date of birth, sex and nationality from a generated card', async () => {
    const card = await renderCardFront({
      id: '079190123456',
      name: 'TRẦN THỊ QUỲNH',
      dob: '07/09/1990',
      sex: 'Nữ',
      nationality: 'Việt Nam',
    });
    const fields = await readIdCardFields(pool, card);
    expect(fields).toMatchObject({
      id: '079190123456',
      name: 'TRẦN THỊ QUỲNH',
      dob: '1990-09-07',
      sex: 'female',
      nationality: 'Việt Nam',
    });
    expect(fields.confidence).toBeGreaterThan(50);
    // Five crops, five single-line reads: no full-page pass.
    expect(pool.recognizedPages).toBe(5);
  });

  it('keeps only values that look like the field', () => {
    expect(parseField('id', 'O79190123456')).toBe('079190123456');
    expect(parseField('id', '07919012345')).toBeNull();
    expect(parseField('dob', '7.9.1990')).toBe('1990-09-07');
    expect(parseField('dob', '15/13/1990')).toBeNull();
    expect(parseField('sex', 'Nam')).toBe('male');
    expect(parseField('sex', 'Nv')).toBe('female');
    expect(parseField('sex', 'Na')).toBeNull();
    expect(parseField('sex', 'Nm')).toBeNull();
    expect(parseField('name', '| NGUYỄN VĂN AN.')).toBe('NGUYỄN VĂN AN');
  });
});
