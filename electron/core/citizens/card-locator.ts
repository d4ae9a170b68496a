/**
 * Finds ID cards (ISO ID-1, 85.6 x 53.98 mm) photocopied or scanned onto a larger sheet, as the
 * counters receive them: a card front (often its back too) somewhere on an A4 page, a few degrees
 * off, its edge a thin outline or a grey rectangle. The page is shrunk to about 4 px/mm keeping dark
 * pixels (a 1 px outline survives), its dark regions are labelled, and a region counts as a card
 * when the smallest rectangle around it has the card's size, its ink follows all four edges, and
 * no ruling line crosses it (a form's table of the same size has them). What is on the card (front
 * or back) is the caller's question: this only says where card-shaped things are.
 *
 * Pure functions on grey pixels, plus two sharp helpers (decode, straighten and crop).
 */
import sharp from 'sharp';
import { foldText } from '../../../shared/domain/fold';
import { rotateKeepingSize } from '../capture/straighten';
import { letOthersIn } from '../event-loop';
import { decodeGrey as decodePageGrey } from '../imaging/ocr-input';
import type { GreyImage } from '../imaging/qr-reader';

export const ID_CARD_MM = { width: 85.6, height: 53.98 } as const;
const A4_LONG_MM = 297;

/** A card found on a page, in the page image's pixels; `angle` is how far it leans clockwise. */
export interface LocatedCard {
  cx: number;
  cy: number;
  /** Along the card's long side. */
  width: number;
  height: number;
  /** Degrees, clockwise positive (image y points down). */
  angle: number;
  /** Filled (a grey rectangle on the copy) rather than outlined. */
  filled: boolean;
}

/** Working resolution: an outline still closes, a 200-300 dpi A4 page is about 1 M pixels. */
const WORK_PX_PER_MM = 4;
/** A copy is made at 100 % but scanners and estimated resolutions are a little off. */
const SIZE_TOLERANCE = 0.12;
const MAX_ANGLE = 8;
const ANGLE_STEP = 0.25;
/** Each edge of the rectangle must be this much ink: a card's outline is continuous. */
const MIN_EDGE_COVER = 0.8;
/** An interior row or column this much ink is a ruling line: a table, not a card. */
const MAX_RULE_COVER = 0.7;
/** Interior this much ink: a grey filled rectangle (a copied card's background). */
const FILLED = 0.5;

/**
 * A crop is at least this wide (300 dpi): the field layout and its line height were measured on
 * cards at that resolution, and a 200 dpi copy read at its own size loses marks on the name
 * (2 of 28 generated sheets, none once enlarged: bench/card-locator.ts).
 */
const CROP_WIDTH_PX = 1012;

/** Pixels per millimetre: from the scan's resolution when known, else as if the page were A4. */
export function pxPerMm(width: number, height: number, dpi: number | null): number {
  if (dpi !== null && dpi > 72) return dpi / 25.4;
  return Math.max(width, height) / A4_LONG_MM;
}

/**
 * The card-shaped rectangles on a page, top to bottom (then left to right). It steps aside between
 * its passes (letOthersIn): each takes tens of milliseconds of the main thread on a 300 dpi page.
 */
export async function locateCards(page: GreyImage, pagePxPerMm: number): Promise<LocatedCard[]> {
  const factor = Math.max(1, Math.round(pagePxPerMm / WORK_PX_PER_MM));
  const small = shrinkKeepingInk(page, factor);
  await letOthersIn();
  const scale = pagePxPerMm / factor;
  const mask = inkMask(small);
  await letOthersIn();
  const cards = cardShapedRegions(mask, small.width, small.height, scale).map((card) => ({
    ...card,
    cx: card.cx * factor,
    cy: card.cy * factor,
    width: card.width * factor,
    height: card.height * factor,
  }));
  return cards.sort((a, b) => (Math.abs(a.cy - b.cy) > a.height / 2 ? a.cy - b.cy : a.cx - b.cx));
}

/** Downscales by an integer factor keeping each block's darkest pixel: thin lines stay dark. */
export function shrinkKeepingInk(page: GreyImage, factor: number): GreyImage {
  if (factor <= 1) return page;
  const width = Math.floor(page.width / factor);
  const height = Math.floor(page.height / factor);
  const data = new Uint8Array(width * height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      let darkest = 255;
      for (let dy = 0; dy < factor; dy++) {
        const row = (y * factor + dy) * page.width + x * factor;
        for (let dx = 0; dx < factor; dx++) {
          const v = page.data[row + dx] ?? 255;
          if (v < darkest) darkest = v;
        }
      }
      data[y * width + x] = darkest;
    }
  }
  return { data, width, height };
}

/** Pixels clearly darker than the paper (the paper's level: the page's bright majority). */
function inkMask(page: GreyImage): Uint8Array {
  const histogram = new Uint32Array(256);
  const { data } = page;
  // Indexed, not for-of: run once a page, the iterator is not optimized away and makes garbage.
  for (let i = 0; i < data.length; i++) histogram[data[i]!]!++;
  // The paper: the level at which 60 % of pixels are darker or equal (cards take little of a page).
  let seen = 0;
  let paper = 255;
  for (let v = 0; v < 256; v++) {
    seen += histogram[v] ?? 0;
    if (seen >= data.length * 0.6) {
      paper = v;
      break;
    }
  }
  const threshold = paper - 30;
  const mask = new Uint8Array(data.length);
  for (let i = 0; i < data.length; i++) mask[i] = data[i]! < threshold ? 1 : 0;
  return mask;
}

interface Region {
  left: number;
  top: number;
  right: number;
  bottom: number;
  /** Leftmost and rightmost pixel of each row: the region's outline, enough to fit a rectangle. */
  rowMin: Int32Array;
  rowMax: Int32Array;
}

/** Card-shaped connected regions of the mask, in the mask's pixels. */
function cardShapedRegions(mask: Uint8Array, width: number, height: number, pxMm: number): LocatedCard[] {
  const cardW = ID_CARD_MM.width * pxMm;
  const cardH = ID_CARD_MM.height * pxMm;
  const labels = new Int32Array(mask.length);
  // Every pixel enters the stack at most once: a typed array of the mask's size never overflows.
  const stack = new Int32Array(mask.length);
  const found: LocatedCard[] = [];
  let next = 0;
  for (let start = 0; start < mask.length; start++) {
    if (mask[start] === 0 || labels[start] !== 0) continue;
    next++;
    labels[start] = next;
    let depth = 0;
    stack[depth++] = start;
    let left = width;
    let right = 0;
    let top = height;
    let bottom = 0;
    while (depth > 0) {
      const at = stack[--depth] ?? 0;
      const x = at % width;
      const y = (at - x) / width;
      if (x < left) left = x;
      if (x > right) right = x;
      if (y < top) top = y;
      if (y > bottom) bottom = y;
      for (let ny = Math.max(0, y - 1); ny <= Math.min(height - 1, y + 1); ny++) {
        for (let nx = Math.max(0, x - 1); nx <= Math.min(width - 1, x + 1); nx++) {
          const n = ny * width + nx;
          if (mask[n] === 1 && labels[n] === 0) {
            labels[n] = next;
            stack[depth++] = n;
          }
        }
      }
    }
    const boxW = right - left + 1;
    const boxH = bottom - top + 1;
    // A card leaning up to MAX_ANGLE fills a box a little larger than itself; most regions are letters.
    if (boxW < cardW * (1 - SIZE_TOLERANCE) || boxW > cardW * 1.35) continue;
    if (boxH < cardH * (1 - SIZE_TOLERANCE) || boxH > cardH * 1.5) continue;
    const rowMin = new Int32Array(boxH).fill(width);
    const rowMax = new Int32Array(boxH).fill(-1);
    for (let y = top; y <= bottom; y++) {
      for (let x = left; x <= right; x++) {
        if (labels[y * width + x] !== next) continue;
        const r = y - top;
        if (x < (rowMin[r] ?? width)) rowMin[r] = x;
        if (x > (rowMax[r] ?? -1)) rowMax[r] = x;
      }
    }
    const card = fitCard({ left, top, right, bottom, rowMin, rowMax }, mask, width, height, cardW, cardH);
    if (card) found.push(card);
  }
  return found;
}

/** The smallest rectangle around the region, kept when it is a card: size, edges, no rules inside. */
function fitCard(
  region: Region,
  mask: Uint8Array,
  width: number,
  height: number,
  cardW: number,
  cardH: number,
): LocatedCard | null {
  const points: [number, number][] = [];
  region.rowMin.forEach((x, r) => {
    const xMax = region.rowMax[r] ?? -1;
    if (xMax < 0) return;
    // Pixel corners, so that the fitted edges run along the outer side of the outline's pixels.
    const y = region.top + r;
    points.push([x, y], [x, y + 1], [xMax + 1, y], [xMax + 1, y + 1]);
  });
  let best: { angle: number; area: number; u0: number; u1: number; v0: number; v1: number } | null = null;
  for (let angle = -MAX_ANGLE; angle <= MAX_ANGLE + 1e-9; angle += ANGLE_STEP) {
    const rad = (angle * Math.PI) / 180;
    const [c, s] = [Math.cos(rad), Math.sin(rad)];
    let [u0, u1, v0, v1] = [Infinity, -Infinity, Infinity, -Infinity];
    for (const [x, y] of points) {
      const u = x * c + y * s;
      const v = -x * s + y * c;
      if (u < u0) u0 = u;
      if (u > u1) u1 = u;
      if (v < v0) v0 = v;
      if (v > v1) v1 = v;
    }
    const area = (u1 - u0) * (v1 - v0);
    if (!best || area < best.area - 1e-6) best = { angle, area, u0, u1, v0, v1 };
  }
  if (!best) return null;
  const w = best.u1 - best.u0;
  const h = best.v1 - best.v0;
  if (Math.abs(w / cardW - 1) > SIZE_TOLERANCE || Math.abs(h / cardH - 1) > SIZE_TOLERANCE) return null;

  const rad = (best.angle * Math.PI) / 180;
  const [c, s] = [Math.cos(rad), Math.sin(rad)];
  const inkAt = (u: number, v: number): boolean => {
    const x = Math.floor(u * c - v * s);
    const y = Math.floor(u * s + v * c);
    if (x < 0 || y < 0 || x >= width || y >= height) return false;
    return mask[y * width + x] === 1;
  };
  // Near an edge: within 2 px inward of the fitted line (the outline's own width and the sampling).
  const nearInk = (u: number, v: number, du: number, dv: number): boolean => {
    for (let k = 0; k <= 2; k++) if (inkAt(u + du * (k + 0.5), v + dv * (k + 0.5))) return true;
    return false;
  };
  const cover = (count: number, hit: (t: number) => boolean): number => {
    let hits = 0;
    for (let i = 0; i < count; i++) if (hit((i + 0.5) / count)) hits++;
    return hits / count;
  };
  const { u0, u1, v0, v1 } = best;
  const nu = Math.max(8, Math.round(w));
  const nv = Math.max(8, Math.round(h));
  const edges = [
    cover(nu, (t) => nearInk(u0 + t * (u1 - u0), v0, 0, 1)),
    cover(nu, (t) => nearInk(u0 + t * (u1 - u0), v1, 0, -1)),
    cover(nv, (t) => nearInk(u0, v0 + t * (v1 - v0), 1, 0)),
    cover(nv, (t) => nearInk(u1, v0 + t * (v1 - v0), -1, 0)),
  ];
  if (Math.min(...edges) < MIN_EDGE_COVER) return null;

  // Inside, away from the edges (6 %): how much ink, and the inkiest row and column.
  const insetU = (u1 - u0) * 0.06;
  const insetV = (v1 - v0) * 0.06;
  let inkTotal = 0;
  let samples = 0;
  let ruleCover = 0;
  for (let v = v0 + insetV; v <= v1 - insetV; v += 1) {
    const row = cover(nu, (t) => inkAt(u0 + insetU + t * (u1 - u0 - 2 * insetU), v));
    ruleCover = Math.max(ruleCover, row);
    inkTotal += row;
    samples++;
  }
  for (let u = u0 + insetU; u <= u1 - insetU; u += 1) {
    ruleCover = Math.max(
      ruleCover,
      cover(nv, (t) => inkAt(u, v0 + insetV + t * (v1 - v0 - 2 * insetV))),
    );
  }
  const fill = samples > 0 ? inkTotal / samples : 0;
  const filled = fill >= FILLED;
  // An empty frame is no card; a frame crossed by ruling lines is a table.
  if (!filled && (fill < 0.005 || ruleCover > MAX_RULE_COVER)) return null;

  const uc = (u0 + u1) / 2;
  const vc = (v0 + v1) / 2;
  return { cx: uc * c - vc * s, cy: uc * s + vc * c, width: w, height: h, angle: best.angle, filled };
}

/** Whether a point of the page (its pixels) lies on the card. */
export function cardContains(card: LocatedCard, x: number, y: number): boolean {
  const rad = (card.angle * Math.PI) / 180;
  const [dx, dy] = [x - card.cx, y - card.cy];
  const u = dx * Math.cos(rad) + dy * Math.sin(rad);
  const v = -dx * Math.sin(rad) + dy * Math.cos(rad);
  return Math.abs(u) <= card.width / 2 && Math.abs(v) <= card.height / 2;
}

/** Words only the front of a CCCD carries (folded); the title plus one field label or the number. */
const FRONT_TITLE = ['can cuoc', 'citizen identity', 'identity card'];
const FRONT_FIELDS = ['ho va ten', 'full name', 'ngay sinh', 'date of birth', 'quoc tich', 'nationality'];
/** Words only the back carries: its MRZ and the identifying marks heading. */
export const CARD_BACK_MARKERS = ['idvnm', 'dac diem nhan dang', 'personal identification'];

/**
 * Which side of a card the text read on it says: the front shows the card's title and a field
 * label or the 12-digit number; the back its MRZ or the identifying marks. A form that merely
 * mentions "căn cước" has neither inside a card-shaped rectangle.
 */
export function cardSideOfText(text: string): 'front' | 'back' | null {
  const folded = foldText(text).replace(/\s+/gu, ' ');
  if (CARD_BACK_MARKERS.some((marker) => folded.includes(marker))) return 'back';
  const titled = FRONT_TITLE.some((marker) => folded.includes(marker));
  const field = FRONT_FIELDS.some((marker) => folded.includes(marker)) || /(^|\D)\d{12}(\D|$)/u.test(folded);
  return titled && field ? 'front' : null;
}

/** Whether a page's text names an ID card (its title, front or back): a card may be copied on it. */
export function mentionsIdCard(text: string): boolean {
  const folded = foldText(text).replace(/\s+/gu, ' ');
  return FRONT_TITLE.some((marker) => folded.includes(marker)) || folded.includes('idvnm');
}

/** The page's grey pixels, upright as displayed. */
export async function decodeGrey(image: Buffer): Promise<GreyImage> {
  const { grey, width, height } = await decodePageGrey(image);
  return { data: grey, width, height };
}

/**
 * The card cut out of the page's grey pixels and straightened, as a PNG at 300 dpi or more: a square
 * around the card is taken (white beyond the page's edges) so that turning it keeps the card
 * centred, turned back by the card's lean, and the card's rectangle cut from its middle.
 */
export async function cropCard(page: GreyImage, card: LocatedCard): Promise<Buffer> {
  const { width, height } = page;
  const half = Math.ceil(Math.hypot(card.width, card.height) / 2) + 4;
  const left = Math.round(card.cx) - half;
  const top = Math.round(card.cy) - half;
  const side = 2 * half;
  const inLeft = Math.max(0, left);
  const inTop = Math.max(0, top);
  const inRight = Math.min(width, left + side);
  const inBottom = Math.min(height, top + side);
  if (inRight - inLeft < 8 || inBottom - inTop < 8) throw new RangeError('card outside the page');
  // Raw pixels from step to step: an encoded image between them only costs time.
  let square = await sharp(page.data, { raw: { width, height, channels: 1 } })
    .extract({ left: inLeft, top: inTop, width: inRight - inLeft, height: inBottom - inTop })
    .extend({
      left: inLeft - left,
      top: inTop - top,
      right: left + side - inRight,
      bottom: top + side - inBottom,
      background: { r: 255, g: 255, b: 255 },
    })
    .toColourspace('b-w')
    .raw()
    .toBuffer({ resolveWithObject: true });
  // Enlarged before turning, so that the turn's interpolation loses no diacritics of small print.
  const up = Math.max(1, CROP_WIDTH_PX / card.width);
  if (up !== 1) {
    square = await sharp(square.data, { raw: { width: side, height: side, channels: 1 } })
      .resize({ width: Math.round(side * up), kernel: 'lanczos3' })
      .toColourspace('b-w')
      .raw()
      .toBuffer({ resolveWithObject: true });
  }
  const squareSide = square.info.width;
  let turned: Buffer = square.data;
  if (card.angle !== 0) {
    // About the square's centre, keeping its size: the card stays in the middle.
    const squareRaster = { data: square.data, width: squareSide, height: squareSide, channels: 1 } as const;
    turned = rotateKeepingSize(squareRaster, -card.angle, 255).data;
  }
  const cardW = Math.min(squareSide, Math.round(card.width * up));
  const cardH = Math.min(squareSide, Math.round(card.height * up));
  return (
    sharp(turned, { raw: { width: squareSide, height: squareSide, channels: 1 } })
      .extract({
        left: Math.max(0, Math.round((squareSide - cardW) / 2)),
        top: Math.max(0, Math.round((squareSide - cardH) / 2)),
        width: cardW,
        height: cardH,
      })
      .toColourspace('b-w')
      // Raw pixels carry no resolution (libvips assumes 25 dpi, which tesseract rejects): the card's own.
      .withMetadata({ density: Math.round(((card.width * up) / ID_CARD_MM.width) * 25.4) })
      .png({ compressionLevel: 0 }) // handed straight to OCR and QR reading, never stored
      .toBuffer()
  );
}
