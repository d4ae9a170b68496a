/**
 * Automatic page cleanup, as a scanner's stack arrives: upside-down and sideways pages turned
 * upright, skew up to ±10° straightened, dark scanner borders cropped, blank pages (a page number
 * alone included) flagged for the clerk, and a quality gate (resolution, blur) that proposes a
 * rescan. The analysis runs in plain JS on a downscaled greyscale copy (a few tens of ms a page);
 * only the final working copy is made at full resolution (sharp crops and turns it, straighten.ts
 * undoes the skew). The scan as it came is never changed: the caller keeps it next to the working
 * copy.
 *
 * Orientation: two cheap measurements instead of tesseract's OSD. Text lines give a sharp
 * horizontal projection profile only when they run across the image (0/180 versus 90/270); which way
 * is up comes from the ink around each line's x-height band: capitals, ascenders and (in
 * Vietnamese, on most syllables) diacritics stand above it, only g/p/q/y hang below. OSD
 * (@tesseract.js-data/osd, legacy engine) was measured too: right on every sample page it answered,
 * but 80-350 ms a page on top of a second 270 MB worker, and "too few characters" on sparse pages.
 */
import sharp, { type Sharp } from 'sharp';
import { letOthersIn } from '../event-loop';
import { MAX_STRAIGHTEN_SIDE, rotateKeepingSizeInSteps } from './straighten';
import { MAX_INPUT_PIXELS } from './image-input';

export type Rotation = 0 | 90 | 180 | 270;

export interface Raster {
  data: Buffer;
  width: number;
  height: number;
  channels: 1 | 2 | 3 | 4;
}

export type QualityWarning = { kind: 'lowResolution'; dpi: number } | { kind: 'blurred'; sharpness: number };

export interface CleanupAnalysis {
  /** Clockwise degrees to apply to make the page upright. */
  rotation: Rotation;
  /** Degrees straightened (positive: the content leant clockwise); 0 when none was needed. */
  skew: number;
  /** The part of the page to keep once dark scanner borders are cut, in full-resolution pixels. */
  crop: { left: number; top: number; width: number; height: number } | null;
  blank: boolean;
  /** Share of the page's area that is ink, after specks are dropped. */
  inkRatio: number;
  /** The resolution the page was scanned at (from the file, or estimated from an A4 page). */
  effectiveDpi: number;
  /** Edge sharpness (variance of the Laplacian on text areas, normalised by contrast); null when blank. */
  sharpness: number | null;
  warnings: QualityWarning[];
  /** Greyscale level of the paper (0-255), to fill corners uncovered by straightening. */
  paper: number;
}

/** The analysis copy's longest side: about 140 dpi on A4, enough for lines and x-height bands. */
const ANALYSIS_SIDE = 1600;
const MAX_SKEW = 10;
/** Skew below this is left alone: resampling a straight scan only softens it. */
const MIN_SKEW_APPLIED = 0.3;
export const MIN_DPI = 200;
/** Below this sharpness a page is reported as blurred (calibrated on generated 200-300 dpi scans). */
export const MIN_SHARPNESS = 0.12;
const A4_LONG_SIDE_INCH = 11.69;

interface Grey {
  data: Uint8Array;
  width: number;
  height: number;
}

/** Analyses one page; `dpi` is the resolution the file declares, if any. */
export async function analyzePage(page: Raster, dpi: number | null): Promise<CleanupAnalysis> {
  const grey = await analysisCopy(page);
  const scale = page.width / grey.width;
  const paper = paperLevel(grey);
  const box = borderBox(grey, paper);
  // Each step below takes 10-40 ms of the main thread on a full page, twice that when OCR workers
  // share the cores: see letOthersIn.
  await letOthersIn();
  const ink = inkMask(grey, box, paper);
  await letOthersIn();

  const effectiveDpi = Math.round(dpi && dpi > 72 ? dpi : Math.max(page.width, page.height) / A4_LONG_SIDE_INCH);
  const warnings: QualityWarning[] = [];
  // A 1 % tolerance: A4 at 200 dpi is 1654 px wide, cropped scans a few pixels less.
  if (effectiveDpi < MIN_DPI * 0.99) warnings.push({ kind: 'lowResolution', dpi: effectiveDpi });

  const area = box.width * box.height;
  const blank = isBlank(ink, box, area);
  let rotation: Rotation = 0;
  let skew = 0;
  let sharpness: number | null = null;
  if (!blank) {
    const orientation = await detectOrientation(withoutDenseBlocks(ink, box), box);
    rotation = orientation.rotation;
    // A strip longer than the straightener takes (metres of paper) is left as it lies.
    const straightenable = Math.max(page.width, page.height) <= MAX_STRAIGHTEN_SIDE;
    skew = straightenable && Math.abs(orientation.skew) >= MIN_SKEW_APPLIED ? orientation.skew : 0;
    await letOthersIn();
    sharpness = measureSharpness(grey, box, paper, ink);
    if (sharpness !== null && sharpness < MIN_SHARPNESS) warnings.push({ kind: 'blurred', sharpness });
  }
  const cropped = box.left > 0 || box.top > 0 || box.width < grey.width || box.height < grey.height;
  return {
    rotation,
    skew,
    crop: cropped ? scaleBox(box, scale, page.width, page.height) : null,
    blank,
    inkRatio: area > 0 ? ink.count / area : 0,
    effectiveDpi,
    sharpness,
    warnings,
    paper,
  };
}

/** True when cleanup changes nothing: the scan itself is then the working copy. */
export function isUntouched(analysis: CleanupAnalysis): boolean {
  return analysis.rotation === 0 && analysis.skew === 0 && analysis.crop === null;
}

/**
 * A sharp pipeline over raw pixels. sharp (0.35) writes one-channel raw input out as RGB unless
 * told otherwise: a grey page stays one channel (a third of the bytes to encode, store and decode).
 */
export function rasterImage(raster: Raster): Sharp {
  const image = sharp(raster.data, {
    raw: { width: raster.width, height: raster.height, channels: raster.channels },
    limitInputPixels: MAX_INPUT_PIXELS,
  });
  return raster.channels === 1 ? image.toColourspace('b-w') : image;
}

/**
 * The working copy at full resolution: cropped, turned upright, straightened. Straightening keeps
 * the page's size (the corners it uncovers are filled with the paper's colour). Cropping and
 * quarter turns are sharp's; the small angle is straighten.ts's, at a third of sharp's cost.
 */
export async function makeWorkingCopy(page: Raster, analysis: CleanupAnalysis): Promise<Raster> {
  let upright = page;
  if (analysis.crop || analysis.rotation !== 0) {
    let image = rasterImage(page);
    if (analysis.crop) image = image.extract(analysis.crop);
    if (analysis.rotation !== 0) image = image.rotate(analysis.rotation);
    const { data, info } = await image.raw().toBuffer({ resolveWithObject: true });
    upright = { data, width: info.width, height: info.height, channels: info.channels as Raster['channels'] };
  }
  // Straightening turns the content back against its lean (skew > 0: it leant clockwise).
  return analysis.skew === 0 ? upright : rotateKeepingSizeInSteps(upright, -analysis.skew, analysis.paper);
}

async function analysisCopy(page: Raster): Promise<Grey> {
  const { data, info } = await sharp(page.data, {
    raw: { width: page.width, height: page.height, channels: page.channels },
    limitInputPixels: MAX_INPUT_PIXELS,
  })
    .resize({ width: ANALYSIS_SIDE, height: ANALYSIS_SIDE, fit: 'inside', withoutEnlargement: true })
    .toColourspace('b-w')
    .extractChannel(0)
    .raw()
    .toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height };
}

/** The paper's brightness: most of a page is paper, so a high percentile of the histogram. */
function paperLevel(grey: Grey): number {
  const histogram = new Uint32Array(256);
  const { data } = grey;
  const n = data.length;
  // Indexed: a for-of iterator over the copy's 2 M bytes costs about ten times as much.
  for (let i = 0; i < n; i++) histogram[data[i]!]!++;
  let seen = 0;
  const target = grey.data.length * 0.3;
  for (let level = 255; level >= 0; level--) {
    seen += histogram[level]!;
    if (seen >= target) return Math.max(level, 64);
  }
  return 255;
}

interface Box {
  left: number;
  top: number;
  width: number;
  height: number;
}

/**
 * The page without its dark scanner borders: whole rows and columns, from each edge inwards, that
 * are mostly much darker than the paper (the scanner's lid or the glass beyond a smaller sheet).
 */
function borderBox(grey: Grey, paper: number): Box {
  const dark = paper * 0.45;
  const { data, width, height } = grey;
  const rowDark = (y: number, x0: number, x1: number): number => {
    let n = 0;
    for (let x = x0; x < x1; x++) if (data[y * width + x]! < dark) n++;
    return n / Math.max(1, x1 - x0);
  };
  const colDark = (x: number, y0: number, y1: number): number => {
    let n = 0;
    for (let y = y0; y < y1; y++) if (data[y * width + x]! < dark) n++;
    return n / Math.max(1, y1 - y0);
  };
  let top = 0;
  let bottom = height;
  let left = 0;
  let right = width;
  const maxY = Math.floor(height * 0.25);
  const maxX = Math.floor(width * 0.25);
  // Two passes: a left border makes every row a little dark, which hides a thin top border.
  for (let pass = 0; pass < 2; pass++) {
    while (top < maxY && rowDark(top, left, right) > 0.35) top++;
    while (bottom > height - maxY && rowDark(bottom - 1, left, right) > 0.35) bottom--;
    while (left < maxX && colDark(left, top, bottom) > 0.35) left++;
    while (right > width - maxX && colDark(right - 1, top, bottom) > 0.35) right--;
  }
  // The border's soft edge: a little more, when there was a border on that side at all.
  const pad = Math.round(Math.min(width, height) * 0.004);
  if (top > 0) top = Math.min(top + pad, maxY);
  if (left > 0) left = Math.min(left + pad, maxX);
  if (bottom < height) bottom = Math.max(bottom - pad, height - maxY);
  if (right < width) right = Math.max(right - pad, width - maxX);
  return { left, top, width: right - left, height: bottom - top };
}

interface Ink {
  /** Ink pixel coordinates relative to the box, x and y interleaved, subsampled. */
  points: Int32Array;
  count: number;
  /** Ink outside the top and bottom 12 % of the page (where page numbers live). */
  bodyCount: number;
  /** Every ink pixel (`count` of them), as an index into the box (y * box.width + x), in raster order. */
  pixels: Int32Array;
}

const MAX_POINTS = 40_000;
/** Pages with at least this many ink points have their coarse skew search run on a quarter of them. */
const COARSE_SAMPLE_FROM = 16_000;

/** Ink inside the box (a thin inner margin ignored: edge shadows), isolated specks dropped. */
function inkMask(grey: Grey, box: Box, paper: number): Ink {
  const threshold = paper * 0.6;
  const { data, width } = grey;
  const boxWidth = box.width;
  const mask = new Uint8Array(boxWidth * box.height);
  const margin = Math.round(Math.min(boxWidth, box.height) * 0.015);
  // Each row's first and last ink column (first > last: none), so the next pass skips bare paper.
  const firstInk = new Int32Array(box.height).fill(boxWidth);
  const lastInk = new Int32Array(box.height).fill(-1);
  for (let y = margin; y < box.height - margin; y++) {
    const row = (box.top + y) * width + box.left;
    const out = y * boxWidth;
    for (let x = margin; x < boxWidth - margin; x++) {
      if (data[row + x]! >= threshold) continue;
      mask[out + x] = 1;
      if (x < firstInk[y]!) firstInk[y] = x;
      lastInk[y] = x;
    }
  }
  // A speck has fewer than two inked 4-neighbours. Only the part inside the margin can hold ink
  // (and the outermost rows and columns have no four neighbours).
  let pixels = new Int32Array(4096);
  let count = 0;
  let bodyCount = 0;
  const bodyTop = box.height * 0.12;
  const bodyBottom = box.height * 0.88;
  const yEnd = Math.min(box.height - 1, box.height - margin);
  const xStart = Math.max(1, margin);
  const xEnd = Math.min(boxWidth - 1, boxWidth - margin);
  for (let y = Math.max(1, margin); y < yEnd; y++) {
    const from = Math.max(xStart, firstInk[y]!);
    const to = Math.min(xEnd, lastInk[y]! + 1);
    if (from >= to) continue;
    const body = y > bodyTop && y < bodyBottom;
    for (let i = y * boxWidth + from, rowEnd = y * boxWidth + to; i < rowEnd; i++) {
      if (mask[i] === 0) continue;
      if (mask[i - 1]! + mask[i + 1]! + mask[i - boxWidth]! + mask[i + boxWidth]! < 2) continue;
      if (count === pixels.length) {
        const grown = new Int32Array(count * 2);
        grown.set(pixels);
        pixels = grown;
      }
      pixels[count++] = i;
      if (body) bodyCount++;
    }
  }
  // Every k-th pixel in raster order would alias with the columns (a stroke's pixels alternate
  // parity) and make a column profile look as sharp as a row profile: sample by a hash instead.
  const keepShare = Math.min(1, MAX_POINTS / Math.max(1, count));
  const cut = Math.floor(keepShare * 0xffffffff);
  const points = new Int32Array(2 * Math.min(count, MAX_POINTS * 2));
  let n = 0;
  for (let k = 0; k < count && n < points.length; k++) {
    const i = pixels[k]!;
    if (keepShare < 1 && mix(i) > cut) continue;
    const y = Math.floor(i / boxWidth);
    points[n++] = i - y * boxWidth;
    points[n++] = y;
  }
  return { points: points.subarray(0, n), count, bodyCount, pixels: pixels.subarray(0, count) };
}

/** murmur3's finaliser: a well-mixed hash, so sampled pixels show no pattern in x or y. */
function mix(value: number): number {
  let h = value >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/**
 * Blank: almost no ink, or ink only in the header/footer bands and little of it (a page number,
 * "Trang 3/10"). Bleed-through from the back is lighter than the ink threshold and does not count.
 */
function isBlank(ink: Ink, box: Box, area: number): boolean {
  if (area === 0) return true;
  if (ink.count / area < 0.00015) return true;
  // A page number ("- 7 -", "Trang 3/10") inks about 0.005-0.015 % of the page; one short line of
  // body text about 0.035 %.
  if (ink.bodyCount / area >= 0.00005 || ink.count / area >= 0.0003) return false;
  // A page number is narrow; a heading alone at the top of a page is not blank.
  const xs: number[] = [];
  for (let i = 0; i < ink.points.length; i += 2) xs.push(ink.points[i]!);
  xs.sort((a, b) => a - b);
  const left = xs[Math.floor(xs.length * 0.01)] ?? 0;
  const right = xs[Math.floor(xs.length * 0.99)] ?? 0;
  return right - left < box.width * 0.2;
}

const BLOCK_CELL = 48;
/** Text covers well under this share of a cell even in bold headings; QR codes and photos do not. */
const DENSE_BLOCK_SHARE = 0.5;

/**
 * The ink points outside dense blocks. A QR code (on an ID card) or a photo is a square of ink
 * whose rows and columns look alike, and it outvoted a few lines of text, turning upright cards
 * sideways. Orientation is a question about text lines, so it looks at text only.
 */
function withoutDenseBlocks(ink: Ink, box: Box): Int32Array {
  // Densities from every ink pixel: the points are a sample.
  const columns = Math.ceil(box.width / BLOCK_CELL);
  const counts = new Uint32Array(columns * Math.ceil(box.height / BLOCK_CELL));
  const { pixels } = ink;
  for (let k = 0; k < pixels.length; k++) {
    const i = pixels[k]!;
    const y = Math.floor(i / box.width);
    counts[Math.floor(y / BLOCK_CELL) * columns + Math.floor((i - y * box.width) / BLOCK_CELL)]!++;
  }
  const limit = BLOCK_CELL * BLOCK_CELL * DENSE_BLOCK_SHARE;
  // A block's ragged edge is less dense than its middle: drop the dense cells' neighbours too.
  const rows = counts.length / columns;
  const dense = new Uint8Array(counts.length);
  for (let cell = 0; cell < counts.length; cell++) {
    if (counts[cell]! <= limit) continue;
    const cx = cell % columns;
    const cy = Math.floor(cell / columns);
    for (let dy = -1; dy <= 1; dy++)
      for (let dx = -1; dx <= 1; dx++) {
        const x = cx + dx;
        const y = cy + dy;
        if (x >= 0 && y >= 0 && x < columns && y < rows) dense[y * columns + x] = 1;
      }
  }
  const { points } = ink;
  const kept = new Int32Array(points.length);
  let n = 0;
  for (let i = 0; i < points.length; i += 2) {
    const cell = Math.floor(points[i + 1]! / BLOCK_CELL) * columns + Math.floor(points[i]! / BLOCK_CELL);
    if (dense[cell]) continue;
    kept[n++] = points[i]!;
    kept[n++] = points[i + 1]!;
  }
  // A page that is nothing but dense blocks keeps its points: better some answer than none.
  return n >= 200 ? kept.subarray(0, n) : points;
}

/**
 * Ink this many times wider than tall (or taller than wide) is a lone line, running that way: a
 * page's text block is about as wide as tall, and "Trang 2" is 3.5 times as wide.
 */
const LONE_LINE_ASPECT = 3;

/** Width and height of the box around the ink points (x, y pairs). */
function extent(points: Int32Array): [number, number] {
  let minX = Infinity;
  let maxX = -Infinity;
  let minY = Infinity;
  let maxY = -Infinity;
  for (let i = 0; i < points.length; i += 2) {
    const x = points[i]!;
    const y = points[i + 1]!;
    if (x < minX) minX = x;
    if (x > maxX) maxX = x;
    if (y < minY) minY = y;
    if (y > maxY) maxY = y;
  }
  return [maxX - minX + 1, maxY - minY + 1];
}

/**
 * Orientation (multiple of 90°) and residual skew from the ink points. Each angle search steps
 * aside when done (letOthersIn).
 */
async function detectOrientation(points: Int32Array, box: Box): Promise<{ rotation: Rotation; skew: number }> {
  if (points.length < 200) return { rotation: 0, skew: 0 };
  // Frame 0: as scanned. Frame 1: turned 90° clockwise, (x, y) -> (H - y, x).
  const turned = turnedQuarter(points, box);
  const span = box.width + box.height;
  const bins = new Int32Array(3 * span + 2);
  // The coarse search (41 angles in each frame, half a degree apart) on a quarter of a full page's
  // points: the profiles peak at the same angles, for a quarter of the work; the fine search uses
  // all. A sparse page keeps every point.
  const coarse = points.length >= 2 * COARSE_SAMPLE_FROM ? everyFourthPoint(points) : points;
  const upright = bestAngle(coarse, span, 2, bins);
  await letOthersIn();
  const sideways = bestAngle(turnedQuarter(coarse, box), span, 2, bins);
  await letOthersIn();
  // Which way the lines run: across lines, the profile has wide empty gaps (the leading, about
  // 40 % of a text block); along them, only narrow ones. The profiles' sharpness alone is fooled by
  // aligned columns of digits (a register), which are as sharp as lines at the scale of a stroke.
  const uprightGaps = gapShare(points, upright.angle, span);
  const sidewaysGaps = gapShare(turned, sideways.angle, span);
  // A lone line ("Trang 2", a signature line) has no leading to measure, only the gaps between its
  // words, which read as leading the wrong way: its ink's shape says which way it runs.
  const [inkWidth, inkHeight] = extent(points);
  const useTurned =
    inkWidth >= LONE_LINE_ASPECT * inkHeight
      ? false
      : inkHeight >= LONE_LINE_ASPECT * inkWidth
        ? true
        : Math.max(uprightGaps, sidewaysGaps) >= 0.1
          ? sidewaysGaps > uprightGaps
          : sideways.score > upright.score * 1.05;
  const frame = useTurned ? turned : points;
  const angle = useTurned ? sideways.angle : upright.angle;
  // The angle again on 1-pixel bins, for a straightening precise to a tenth of a degree.
  await letOthersIn();
  const fine = bestAngle(frame, span, 1, bins, angle);
  const flipped = upsideDown(frame, fine.angle, span);
  const base = (useTurned ? 90 : 0) + (flipped ? 180 : 0);
  // `angle` straightens the content when applied clockwise; the content leant the other way.
  return { rotation: base as Rotation, skew: Math.round(-fine.angle * 10) / 10 };
}

/** The points turned 90° clockwise in the box: (x, y) -> (H - 1 - y, x). */
function turnedQuarter(points: Int32Array, box: Box): Int32Array {
  const turned = new Int32Array(points.length);
  for (let i = 0; i < points.length; i += 2) {
    turned[i] = box.height - 1 - points[i + 1]!;
    turned[i + 1] = points[i]!;
  }
  return turned;
}

/**
 * Every fourth point of points already sampled by a hash (inkMask): still without a pattern in x
 * or y, as raster-order sampling of every ink pixel would not be.
 */
function everyFourthPoint(points: Int32Array): Int32Array {
  const kept = new Int32Array(2 * Math.ceil(points.length / 8));
  let n = 0;
  for (let i = 0; i < points.length; i += 8) {
    kept[n++] = points[i]!;
    kept[n++] = points[i + 1]!;
  }
  return kept.subarray(0, n);
}

/**
 * Math.round for a non-negative value, fast: from 0.5 up, adding 0.5 is exact or rounds within
 * the next binade, so truncating gives exactly what Math.round gives (and costs a fraction).
 */
function roundIndex(value: number): number {
  return value >= 0.5 && value < 0x40000000 ? (value + 0.5) | 0 : Math.round(value);
}

/**
 * Sharpness of the horizontal projection profile after turning the points clockwise by `deg`.
 * `bin` is 1 or 2 (a power of two: multiplying by its inverse is exact); `bins` is scratch space of
 * at least 3 * span + 2 entries, reused across the ~100 angles a page is tried at.
 */
function profileScore(points: Int32Array, deg: number, span: number, bin: number, bins: Int32Array): number {
  const rad = (deg * Math.PI) / 180;
  const sin = Math.sin(rad);
  const cos = Math.cos(rad);
  const size = Math.ceil((3 * span) / bin) + 1;
  const perBin = 1 / bin;
  bins.fill(0, 0, size);
  for (let i = 0; i < points.length; i += 2) {
    const y = points[i]! * sin + points[i + 1]! * cos + span;
    bins[roundIndex(y * perBin)]!++;
  }
  let score = 0;
  for (let i = 0; i < size; i++) score += bins[i]! * bins[i]!;
  return score;
}

/** The straightening angle with the sharpest profile: all of ±10° coarsely, or near `around` finely. */
function bestAngle(
  points: Int32Array,
  span: number,
  bin: number,
  bins: Int32Array,
  around?: number,
): { angle: number; score: number } {
  let best = { angle: 0, score: -1 };
  if (around === undefined) {
    for (let deg = -MAX_SKEW; deg <= MAX_SKEW; deg += 0.5) {
      const score = profileScore(points, deg, span, bin, bins);
      if (score > best.score) best = { angle: deg, score };
    }
    return best;
  }
  for (let step = -6; step <= 6; step++) {
    const deg = Math.round((around + step * 0.1) * 10) / 10;
    const score = profileScore(points, deg, span, bin, bins);
    if (score > best.score) best = { angle: deg, score };
  }
  return best;
}

/** Share of the profile's extent (1-pixel rows) lying in empty runs at least 3 rows long. */
function gapShare(points: Int32Array, deg: number, span: number): number {
  const rows = rowProfile(points, deg, span);
  let first = 0;
  while (first < rows.length && rows[first] === 0) first++;
  let last = rows.length - 1;
  while (last > first && rows[last] === 0) last--;
  if (last <= first) return 0;
  // A typed array sorts numerically, without boxing thousands of numbers.
  const sorted = rows.slice(first, last + 1).sort();
  const empty = (sorted[Math.floor(sorted.length * 0.95)] ?? 0) * 0.05;
  let wide = 0;
  let run = 0;
  for (let y = first; y <= last + 1; y++) {
    if (y <= last && rows[y]! <= empty) run++;
    else {
      if (run >= 3) wide += run;
      run = 0;
    }
  }
  return wide / (last - first + 1);
}

function rowProfile(points: Int32Array, deg: number, span: number): Float64Array {
  const rad = (deg * Math.PI) / 180;
  const sin = Math.sin(rad);
  const cos = Math.cos(rad);
  const rows = new Float64Array(3 * span);
  for (let i = 0; i < points.length; i += 2) {
    rows[roundIndex(points[i]! * sin + points[i + 1]! * cos + span)]! += 1;
  }
  return rows;
}

/**
 * Upside down when, over all text lines, more ink hangs below the x-height band than stands above
 * it. Lines are runs of profile rows; a line's x-height band is where its profile is at least half
 * of its peak.
 */
function upsideDown(points: Int32Array, deg: number, span: number): boolean {
  const rows = rowProfile(points, deg, span);
  const sorted = rows.filter((value) => value > 0).sort();
  const p95 = sorted[Math.floor(sorted.length * 0.95)] ?? 0;
  const low = Math.max(1, p95 * 0.04);
  let above = 0;
  let below = 0;
  for (let y = 0; y < rows.length;) {
    if (rows[y]! <= low) {
      y++;
      continue;
    }
    const start = y;
    while (y < rows.length && rows[y]! > low) y++;
    const end = y; // exclusive
    if (end - start < 4) continue;
    let peak = 0;
    for (let r = start; r < end; r++) peak = Math.max(peak, rows[r]!);
    let coreTop = start;
    while (rows[coreTop]! < peak * 0.5) coreTop++;
    let coreBottom = end - 1;
    while (rows[coreBottom]! < peak * 0.5) coreBottom--;
    for (let r = start; r < coreTop; r++) above += rows[r]!;
    for (let r = coreBottom + 1; r < end; r++) below += rows[r]!;
  }
  const total = above + below;
  // Weak evidence (a table, a photo) leaves the page as it is.
  return total > 0 && (below - above) / total > 0.1;
}

/**
 * Variance of the Laplacian over the inked tiles (so a sparse page is not called blurred), divided
 * by the squared contrast between paper and ink (so a light scan is not either).
 */
function measureSharpness(grey: Grey, box: Box, paper: number, ink: Ink): number | null {
  const tile = 32;
  const { data, width } = grey;
  const values: number[] = [];
  const { pixels } = ink;
  const inkN = pixels.length;
  if (inkN === 0) return null;
  // Tiles start at (1, 1), every `tile` pixels, and stop a pixel short of the box's far edges.
  let tileColumns = 0;
  for (let tx = 1; tx + tile < box.width - 1; tx += tile) tileColumns++;
  let tileRows = 0;
  for (let ty = 1; ty + tile < box.height - 1; ty += tile) tileRows++;
  const inkedPerTile = new Uint32Array(tileColumns * tileRows);
  let inkSum = 0;
  for (let k = 0; k < inkN; k++) {
    const i = pixels[k]!;
    const y = Math.floor(i / box.width);
    const x = i - y * box.width;
    inkSum += data[(box.top + y) * width + box.left + x]!;
    const column = Math.floor((x - 1) / tile);
    const row = Math.floor((y - 1) / tile);
    if (x >= 1 && y >= 1 && column < tileColumns && row < tileRows) inkedPerTile[row * tileColumns + column]!++;
  }
  const contrast = Math.max(16, paper - inkSum / inkN);
  for (let ty = 1, row = 0; ty + tile < box.height - 1; ty += tile, row++) {
    for (let tx = 1, column = 0; tx + tile < box.width - 1; tx += tile, column++) {
      if (inkedPerTile[row * tileColumns + column]! < tile * tile * 0.04) continue;
      let sum = 0;
      let sumSq = 0;
      for (let y = ty; y < ty + tile; y++) {
        for (let x = tx; x < tx + tile; x++) {
          const i = (box.top + y) * width + box.left + x;
          const lap = 4 * data[i]! - data[i - 1]! - data[i + 1]! - data[i - width]! - data[i + width]!;
          sum += lap;
          sumSq += lap * lap;
        }
      }
      const n = tile * tile;
      values.push((sumSq / n - (sum / n) ** 2) / (contrast * contrast));
    }
  }
  if (values.length === 0) return null;
  values.sort((a, b) => a - b);
  return Math.round((values[Math.floor(values.length * 0.75)] ?? 0) * 1000) / 1000;
}

function scaleBox(box: Box, scale: number, maxWidth: number, maxHeight: number): Box {
  const left = Math.min(maxWidth - 1, Math.round(box.left * scale));
  const top = Math.min(maxHeight - 1, Math.round(box.top * scale));
  return {
    left,
    top,
    width: Math.max(1, Math.min(maxWidth - left, Math.round(box.width * scale))),
    height: Math.max(1, Math.min(maxHeight - top, Math.round(box.height * scale))),
  };
}
