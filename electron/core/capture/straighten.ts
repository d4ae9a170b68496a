/**
 * Turns a page by a small angle about its centre, keeping its size, with bilinear interpolation:
 * what libvips' rotate does (its default interpolator), at a fraction of the cost. sharp ran an A4
 * page at 300 dpi through a general affine transform, 0.25-0.3 s of CPU, for a page most scanners
 * feed a degree askew; this walks each output row along the source in 16.16 fixed point.
 */
import { letOthersIn } from '../event-loop';
import type { Raster } from './cleanup';

/** 16.16 fixed point for positions; the top 8 bits of the fraction weight the interpolation. */
const ONE = 1 << 16;
/** The longest side 16.16 positions hold in 32 bits (2.7 m at 300 dpi: no document page). */
export const MAX_STRAIGHTEN_SIDE = 0x7fff;

/**
 * Bytes turned between two looks at the event loop: about 5 ms on a quiet machine (240 rows of a
 * grey 300 dpi A4 page, 80 of a colour one), two to three times that while OCR workers share the
 * cores.
 */
const BYTES_PER_STEP = 600_000;

/**
 * `clockwiseDeg` turns the content clockwise, as sharp's rotate does. Pixels the turn uncovers
 * (the corners) take `fill`, every channel alike.
 */
export function rotateKeepingSize(page: Raster, clockwiseDeg: number, fill: number): Raster {
  const turn = startTurn(page, clockwiseDeg, fill);
  turn.rows(0, page.height);
  return turn.result;
}

/**
 * rotateKeepingSize for a whole scanned page on the backend's main thread: the same pixels, with
 * the event loop let in every BYTES_PER_STEP (a grey 300 dpi page takes 50-100 ms in all).
 */
export async function rotateKeepingSizeInSteps(page: Raster, clockwiseDeg: number, fill: number): Promise<Raster> {
  const turn = startTurn(page, clockwiseDeg, fill);
  const rowsPerStep = Math.max(1, Math.floor(BYTES_PER_STEP / (page.width * page.channels)));
  for (let y = 0; y < page.height; y += rowsPerStep) {
    if (y > 0) await letOthersIn();
    turn.rows(y, Math.min(page.height, y + rowsPerStep));
  }
  return turn.result;
}

/** A turn under way: `rows` fills output rows [from, to) of `result`. */
function startTurn(
  page: Raster,
  clockwiseDeg: number,
  fill: number,
): { result: Raster; rows: (from: number, to: number) => void } {
  const { width, height, channels } = page;
  if (Math.max(width, height) > MAX_STRAIGHTEN_SIDE) throw new RangeError('image too long to straighten');
  const out = Buffer.allocUnsafe(width * height * channels);
  const radians = (clockwiseDeg * Math.PI) / 180;
  const cos = Math.cos(radians);
  const sin = Math.sin(radians);
  const cx = (width - 1) / 2;
  const cy = (height - 1) / 2;
  // Output (x, y) reads the source at the inverse turn about the centre:
  // sx = cos*(x-cx) + sin*(y-cy) + cx, sy = -sin*(x-cx) + cos*(y-cy) + cy.
  const walk: Walk = {
    stepX: Math.round(cos * ONE) | 0,
    stepY: Math.round(-sin * ONE) | 0,
    maxX: ((width - 1) * ONE) | 0,
    maxY: ((height - 1) * ONE) | 0,
  };
  const rows = (from: number, to: number): void => {
    for (let y = from; y < to; y++) {
      const dy = y - cy;
      const sx = Math.round((-cos * cx + sin * dy + cx) * ONE) | 0;
      const sy = Math.round((sin * cx + cos * dy + cy) * ONE) | 0;
      // Most of the row reads four neighbours that all lie inside the page: no checks there.
      const xs = inside(sx, walk.stepX, walk.maxX, width);
      const ys = inside(sy, walk.stepY, walk.maxY, width);
      const start = Math.max(xs[0], ys[0]);
      const end = Math.max(start, Math.min(xs[1], ys[1]));
      const row = y * width * channels;
      edgeRun(page, out, row, 0, start, sx, sy, walk, fill);
      if (channels === 1) greyRun(page.data, out, row, width, start, end, sx, sy, walk);
      else edgeRun(page, out, row, start, end, sx, sy, walk, fill);
      edgeRun(page, out, row, end, width, sx, sy, walk, fill);
    }
  };
  return { result: { data: out, width, height, channels }, rows };
}

interface Walk {
  /** Source steps per output pixel along a row, 16.16. */
  stepX: number;
  stepY: number;
  /** The last source column and row, 16.16. */
  maxX: number;
  maxY: number;
}

/**
 * The output columns [from, to) of a row where a source coordinate s0 + x * step stays in
 * [0, max): its pixel and the next one are both inside. Float rounding may only narrow it.
 */
function inside(s0: number, step: number, max: number, width: number): [number, number] {
  if (step === 0) return s0 >= 0 && s0 < max ? [0, width] : [0, 0];
  const first = step > 0 ? Math.ceil(-s0 / step) : Math.floor((max - s0) / step) + 1;
  const end = step > 0 ? Math.ceil((max - s0) / step) : Math.floor(-s0 / step) + 1;
  let from = Math.max(0, first);
  let to = Math.min(width, end);
  const ok = (x: number): boolean => s0 + x * step >= 0 && s0 + x * step < max;
  while (from < to && !ok(from)) from++;
  while (to > from && !ok(to - 1)) to--;
  return [from, to];
}

/** Bilinear reads of a grey page where all four neighbours are inside: the page's bulk. */
function greyRun(
  data: Buffer,
  out: Buffer,
  row: number,
  width: number,
  from: number,
  to: number,
  sx0: number,
  sy0: number,
  walk: Walk,
): void {
  const { stepX, stepY } = walk;
  let sx = (sx0 + from * stepX) | 0;
  let sy = (sy0 + from * stepY) | 0;
  for (let x = from; x < to; x++, sx = (sx + stepX) | 0, sy = (sy + stepY) | 0) {
    const fx = (sx >> 8) & 0xff;
    const fy = (sy >> 8) & 0xff;
    const i = (sy >> 16) * width + (sx >> 16);
    const top = data[i]! * (256 - fx) + data[i + 1]! * fx;
    const bottom = data[i + width]! * (256 - fx) + data[i + width + 1]! * fx;
    out[row + x] = (top * (256 - fy) + bottom * fy + 32768) >> 16;
  }
}

/**
 * Any channels, any position: outside the page the fill; on its last row or column the missing
 * neighbour weighs nothing (the fraction there is 0).
 */
function edgeRun(
  page: Raster,
  out: Buffer,
  row: number,
  from: number,
  to: number,
  sx0: number,
  sy0: number,
  walk: Walk,
  fill: number,
): void {
  const { data, width, channels } = page;
  const { stepX, stepY, maxX, maxY } = walk;
  const stride = width * channels;
  for (let x = from; x < to; x++) {
    const sx = (sx0 + x * stepX) | 0;
    const sy = (sy0 + x * stepY) | 0;
    let o = row + x * channels;
    if (sx < 0 || sy < 0 || sx > maxX || sy > maxY) {
      for (let c = 0; c < channels; c++) out[o++] = fill;
      continue;
    }
    const fx = (sx >> 8) & 0xff;
    const fy = (sy >> 8) & 0xff;
    const right = sx < maxX ? channels : 0;
    const down = sy < maxY ? stride : 0;
    const i = (sy >> 16) * stride + (sx >> 16) * channels;
    for (let c = i; c < i + channels; c++) {
      const top = data[c]! * (256 - fx) + data[c + right]! * fx;
      const bottom = data[c + down]! * (256 - fx) + data[c + down + right]! * fx;
      out[o++] = (top * (256 - fy) + bottom * fy + 32768) >> 16;
    }
  }
}
