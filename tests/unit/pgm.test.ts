/** Binary PGM, the form tesseract and zxing are handed grey pixels in. */
import { describe, expect, it } from 'vitest';
import { toPgm } from '../../electron/core/imaging/pgm';

const grey = Uint8Array.from({ length: 4 * 3 }, (_, i) => 10 * i);

describe('toPgm', () => {
  it('writes the header, then the pixels row by row', () => {
    const pgm = toPgm(grey, 4, 3);
    expect(pgm.subarray(0, 11).toString('ascii')).toBe('P5\n4 3\n255\n');
    expect([...pgm.subarray(11)]).toEqual([...grey]);
  });

  it('cuts a rectangle out, its own size in the header', () => {
    const pgm = toPgm(grey, 4, 3, { left: 1, top: 1, width: 2, height: 2 });
    expect(pgm.subarray(0, 11).toString('ascii')).toBe('P5\n2 2\n255\n');
    expect([...pgm.subarray(11)]).toEqual([50, 60, 90, 100]);
  });

  it('makes the pixels short data lacks black, whole or cut', () => {
    expect([...toPgm(grey.subarray(0, 10), 4, 3).subarray(11)]).toEqual([...grey.subarray(0, 10), 0, 0]);
    const cut = toPgm(grey.subarray(0, 10), 4, 3, { left: 1, top: 1, width: 3, height: 2 });
    expect([...cut.subarray(11)]).toEqual([50, 60, 70, 90, 0, 0]);
  });
});
