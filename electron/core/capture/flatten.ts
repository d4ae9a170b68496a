/**
 * Document-camera pages: finds the sheet's four corners in a photo and flattens it (perspective
 * correction), in plain JS on raw pixels (no OpenCV here). Camera captures only: a scanner page is
 * already flat, and a scan's dark border is cropped by cleanup instead.
 *
 * Detection works on a downscaled greyscale copy: the sheet is the largest bright region against a
 * darker desk (Otsu threshold), its convex hull gives a coarse quadrilateral (largest-area four hull
 * points), then each side is refined at full resolution by finding the paper's edge along normals
 * and fitting a straight line; the corners are where the lines meet. A result that does not look
 * like a sheet (too small, not straight, cut off by the frame, no contrast) keeps the whole frame.
 */
import sharp from 'sharp';
import type { Raster } from './cleanup';

export interface Point {
  x: number;
  y: number;
}
/** Top-left, top-right, bottom-right, bottom-left, in source pixels (pixel edges, not centres). */
export type Quad = [Point, Point, Point, Point];

export type FlattenMiss = 'noPage' | 'tooSmall' | 'notQuadrilateral' | 'cutOff' | 'fillsFrame';

export interface PageDetection {
  corners: Quad | null;
  /** Why no convincing sheet was found; null when `corners` is set. */
  miss: FlattenMiss | null;
}

export interface FlattenResult extends PageDetection {
  /** The flattened sheet, or the frame as it came when no sheet was found. */
  raster: Raster;
  frame: { width: number; height: number };
}

/** The detection copy's longest side: enough for a sheet's outline, cheap to label. */
const DETECT_SIDE = 480;
/** A sheet smaller than this share of the frame is too far away to be worth flattening. */
const MIN_AREA_SHARE = 0.08;
/** The hull of a sheet is (nearly) its quadrilateral; text or a thumb on an edge eats little. */
const MIN_QUAD_OVER_HULL = 0.93;
/** Paper against desk: below this grey-level difference the outline is noise. */
const MIN_CONTRAST = 35;
const A4_RATIO = Math.SQRT2;
/** Aspect ratios within this of A4's are snapped to it: the measured lengths carry a little error. */
const A4_TOLERANCE = 0.07;
/** Wider when the focal length had to be guessed (only one pair of sides converges). */
const A4_TOLERANCE_GUESSED = 0.14;

export async function flattenPage(raster: Raster): Promise<FlattenResult> {
  const frame = { width: raster.width, height: raster.height };
  const grey = await greyOf(raster);
  const detection = await detectPage(grey);
  if (!detection.corners) return { ...detection, raster, frame };
  const { width, height } = outputSize(detection.corners, frame);
  return { ...detection, raster: warpQuad(raster, detection.corners, width, height), frame };
}

export interface GreyImage {
  data: Uint8Array;
  width: number;
  height: number;
}

async function greyOf(raster: Raster): Promise<GreyImage> {
  if (raster.channels === 1) return { data: raster.data, width: raster.width, height: raster.height };
  const data = await sharp(raster.data, {
    raw: { width: raster.width, height: raster.height, channels: raster.channels },
  })
    .greyscale()
    .raw()
    .toBuffer();
  return { data, width: raster.width, height: raster.height };
}

/** Finds the sheet in a full-resolution greyscale frame. */
export async function detectPage(grey: GreyImage): Promise<PageDetection> {
  const scale = Math.max(grey.width, grey.height) / DETECT_SIDE;
  const small = scale > 1 ? await downscale(grey, scale) : grey;
  const sx = grey.width / small.width;
  const sy = grey.height / small.height;

  const threshold = otsu(small.data);
  const component = largestBrightComponent(small, threshold);
  if (!component) return miss('noPage');
  const hull = convexHull(component.boundary);
  const hullArea = polygonArea(hull);
  if (hullArea < MIN_AREA_SHARE * small.width * small.height) return miss('tooSmall');
  const coarse = largestQuad(hull);
  if (!coarse || polygonArea(coarse) < MIN_QUAD_OVER_HULL * hullArea) return miss('notQuadrilateral');
  if (!isPlausibleQuad(coarse)) return miss('notQuadrilateral');
  if (fillsFrame(coarse, small.width, small.height)) return miss('fillsFrame');
  if (runsAlongFrame(coarse, small.width, small.height)) return miss('cutOff');
  if (contrastAcross(small, coarse) < MIN_CONTRAST) return miss('noPage');

  const full = coarse.map((p) => ({ x: p.x * sx, y: p.y * sy })) as Quad;
  const refined = refineCorners(grey, full, Math.max(sx, sy));
  if (!refined) return miss('notQuadrilateral');
  if (!isPlausibleQuad(refined)) return miss('notQuadrilateral');
  return { corners: refined, miss: null };
}

function miss(reason: FlattenMiss): PageDetection {
  return { corners: null, miss: reason };
}

async function downscale(grey: GreyImage, scale: number): Promise<GreyImage> {
  const width = Math.max(1, Math.round(grey.width / scale));
  const height = Math.max(1, Math.round(grey.height / scale));
  const data = await sharp(grey.data, { raw: { width: grey.width, height: grey.height, channels: 1 } })
    .resize({ width, height, fit: 'fill' })
    // A light blur merges text strokes into the paper and evens out a textured desk.
    .blur(1.2)
    // Without this sharp hands back three identical channels.
    .toColourspace('b-w')
    .raw()
    .toBuffer();
  return { data, width, height };
}

function otsu(data: Uint8Array): number {
  const hist = new Float64Array(256);
  for (const v of data) hist[v] = (hist[v] ?? 0) + 1;
  const total = data.length;
  let sumAll = 0;
  for (let i = 0; i < 256; i++) sumAll += i * (hist[i] ?? 0);
  let sumB = 0;
  let weightB = 0;
  let best = 0;
  let threshold = 128;
  for (let t = 0; t < 256; t++) {
    weightB += hist[t] ?? 0;
    if (weightB === 0) continue;
    const weightF = total - weightB;
    if (weightF === 0) break;
    sumB += t * (hist[t] ?? 0);
    const meanB = sumB / weightB;
    const meanF = (sumAll - sumB) / weightF;
    const between = weightB * weightF * (meanB - meanF) ** 2;
    if (between > best) {
      best = between;
      threshold = t;
    }
  }
  return threshold;
}

/** The largest 4-connected region brighter than `threshold`, as its left/right/top/bottom edge pixels. */
function largestBrightComponent(img: GreyImage, threshold: number): { boundary: Point[]; size: number } | null {
  const { width, height, data } = img;
  const labels = new Int32Array(width * height);
  const stack = new Int32Array(width * height);
  let best = 0;
  let bestSize = 0;
  let label = 0;
  for (let start = 0; start < data.length; start++) {
    if (labels[start] !== 0 || (data[start] ?? 0) <= threshold) continue;
    label += 1;
    let size = 0;
    let top = 0;
    stack[top++] = start;
    labels[start] = label;
    while (top > 0) {
      const i = stack[--top] ?? 0;
      size += 1;
      const x = i % width;
      const neighbours = [x > 0 ? i - 1 : -1, x < width - 1 ? i + 1 : -1, i - width, i + width];
      for (const n of neighbours) {
        if (n < 0 || n >= data.length || labels[n] !== 0 || (data[n] ?? 0) <= threshold) continue;
        labels[n] = label;
        stack[top++] = n;
      }
    }
    if (size > bestSize) {
      bestSize = size;
      best = label;
    }
  }
  if (best === 0) return null;
  // The outermost pixels of each row and column are all the hull needs; +1 reaches the pixel's far edge.
  const boundary: Point[] = [];
  for (let y = 0; y < height; y++) {
    let left = -1;
    let right = -1;
    for (let x = 0; x < width; x++) {
      if (labels[y * width + x] !== best) continue;
      if (left < 0) left = x;
      right = x;
    }
    if (left >= 0) boundary.push({ x: left, y: y + 0.5 }, { x: right + 1, y: y + 0.5 });
  }
  for (let x = 0; x < width; x++) {
    let first = -1;
    let last = -1;
    for (let y = 0; y < height; y++) {
      if (labels[y * width + x] !== best) continue;
      if (first < 0) first = y;
      last = y;
    }
    if (first >= 0) boundary.push({ x: x + 0.5, y: first }, { x: x + 0.5, y: last + 1 });
  }
  return { boundary, size: bestSize };
}

function cross(o: Point, a: Point, b: Point): number {
  return (a.x - o.x) * (b.y - o.y) - (a.y - o.y) * (b.x - o.x);
}

/** Andrew's monotone chain; counter-clockwise in image coordinates' maths sense. */
export function convexHull(points: readonly Point[]): Point[] {
  const sorted = [...points].sort((a, b) => a.x - b.x || a.y - b.y);
  if (sorted.length < 3) return sorted;
  const lower: Point[] = [];
  for (const p of sorted) {
    while (lower.length >= 2 && cross(lower[lower.length - 2]!, lower[lower.length - 1]!, p) <= 0) lower.pop();
    lower.push(p);
  }
  const upper: Point[] = [];
  for (let i = sorted.length - 1; i >= 0; i--) {
    const p = sorted[i]!;
    while (upper.length >= 2 && cross(upper[upper.length - 2]!, upper[upper.length - 1]!, p) <= 0) upper.pop();
    upper.push(p);
  }
  lower.pop();
  upper.pop();
  return lower.concat(upper);
}

export function polygonArea(poly: readonly Point[]): number {
  let sum = 0;
  for (let i = 0; i < poly.length; i++) {
    const a = poly[i]!;
    const b = poly[(i + 1) % poly.length]!;
    sum += a.x * b.y - b.x * a.y;
  }
  return Math.abs(sum) / 2;
}

/**
 * The four hull points spanning the largest area: start from the extremes along the diagonals,
 * then move one corner at a time to the hull point that grows the area most, until nothing moves.
 */
function largestQuad(hull: readonly Point[]): Quad | null {
  if (hull.length < 4) return null;
  const pick = (score: (p: Point) => number) => {
    let best = 0;
    for (let i = 1; i < hull.length; i++) if (score(hull[i]!) > score(hull[best]!)) best = i;
    return best;
  };
  const idx = [pick((p) => -p.x - p.y), pick((p) => p.x - p.y), pick((p) => p.x + p.y), pick((p) => -p.x + p.y)];
  if (new Set(idx).size < 4) return null;
  for (let round = 0; round < 6; round++) {
    let moved = false;
    for (let k = 0; k < 4; k++) {
      let bestArea = polygonArea(idx.map((i) => hull[i]!));
      for (let i = 0; i < hull.length; i++) {
        const trial = idx.slice();
        trial[k] = i;
        if (new Set(trial).size < 4) continue;
        const area = polygonArea(trial.map((j) => hull[j]!));
        if (area > bestArea + 1e-9) {
          bestArea = area;
          idx[k] = i;
          moved = true;
        }
      }
    }
    if (!moved) break;
  }
  return orderCorners(idx.map((i) => hull[i]!));
}

/** Top-left first, then clockwise on screen (y grows downwards). */
export function orderCorners(points: readonly Point[]): Quad {
  const cx = points.reduce((s, p) => s + p.x, 0) / points.length;
  const cy = points.reduce((s, p) => s + p.y, 0) / points.length;
  const byAngle = [...points].sort((a, b) => Math.atan2(a.y - cy, a.x - cx) - Math.atan2(b.y - cy, b.x - cx));
  let first = 0;
  for (let i = 1; i < 4; i++) {
    const p = byAngle[i]!;
    const q = byAngle[first]!;
    if (p.x + p.y < q.x + q.y) first = i;
  }
  return [0, 1, 2, 3].map((k) => byAngle[(first + k) % 4]!) as Quad;
}

/** Convex, and no corner sharper than 45° or flatter than 135°: a sheet seen from a document camera. */
function isPlausibleQuad(q: Quad): boolean {
  let sign = 0;
  for (let i = 0; i < 4; i++) {
    const prev = q[(i + 3) % 4]!;
    const cur = q[i]!;
    const next = q[(i + 1) % 4]!;
    const c = cross(prev, cur, next);
    if (c === 0 || (sign !== 0 && Math.sign(c) !== sign)) return false;
    sign = Math.sign(c);
    const ax = prev.x - cur.x;
    const ay = prev.y - cur.y;
    const bx = next.x - cur.x;
    const by = next.y - cur.y;
    const cos = (ax * bx + ay * by) / (Math.hypot(ax, ay) * Math.hypot(bx, by));
    if (Math.abs(cos) > Math.SQRT1_2) return false;
  }
  return true;
}

/** All four corners at the frame's corners: there is no desk to see, so nothing to flatten. */
function fillsFrame(q: Quad, width: number, height: number): boolean {
  const margin = 0.03 * Math.max(width, height);
  const frame = [
    { x: 0, y: 0 },
    { x: width, y: 0 },
    { x: width, y: height },
    { x: 0, y: height },
  ];
  return q.every((p, i) => Math.hypot(p.x - frame[i]!.x, p.y - frame[i]!.y) < margin);
}

/** A side lying on the frame's edge is where the sheet was cut off, not where it ends. */
function runsAlongFrame(q: Quad, width: number, height: number): boolean {
  const near = 2;
  for (let i = 0; i < 4; i++) {
    const a = q[i]!;
    const b = q[(i + 1) % 4]!;
    if (a.x < near && b.x < near) return true;
    if (a.y < near && b.y < near) return true;
    if (a.x > width - near && b.x > width - near) return true;
    if (a.y > height - near && b.y > height - near) return true;
  }
  return false;
}

/** Median grey just inside the quad's sides minus just outside: paper against desk. */
function contrastAcross(img: GreyImage, q: Quad): number {
  const inside: number[] = [];
  const outside: number[] = [];
  const c = centroid(q);
  for (let i = 0; i < 4; i++) {
    const a = q[i]!;
    const b = q[(i + 1) % 4]!;
    const n = outwardNormal(a, b, c);
    for (let t = 0.1; t <= 0.9; t += 0.05) {
      const x = a.x + (b.x - a.x) * t;
      const y = a.y + (b.y - a.y) * t;
      const d = 4;
      const vin = sample(img, x - n.x * d, y - n.y * d);
      const vout = sample(img, x + n.x * d, y + n.y * d);
      if (vin !== null) inside.push(vin);
      if (vout !== null) outside.push(vout);
    }
  }
  if (inside.length === 0 || outside.length === 0) return 0;
  return median(inside) - median(outside);
}

function centroid(q: readonly Point[]): Point {
  return { x: q.reduce((s, p) => s + p.x, 0) / q.length, y: q.reduce((s, p) => s + p.y, 0) / q.length };
}

function outwardNormal(a: Point, b: Point, center: Point): Point {
  const len = Math.hypot(b.x - a.x, b.y - a.y) || 1;
  let n = { x: (b.y - a.y) / len, y: -(b.x - a.x) / len };
  const mid = { x: (a.x + b.x) / 2, y: (a.y + b.y) / 2 };
  if ((mid.x - center.x) * n.x + (mid.y - center.y) * n.y < 0) n = { x: -n.x, y: -n.y };
  return n;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}

/** Bilinear grey at a continuous position (pixel edges at integers), null outside the image. */
function sample(img: GreyImage, x: number, y: number): number | null {
  const fx = x - 0.5;
  const fy = y - 0.5;
  if (fx < 0 || fy < 0 || fx > img.width - 1 || fy > img.height - 1) return null;
  const x0 = Math.floor(fx);
  const y0 = Math.floor(fy);
  const x1 = Math.min(x0 + 1, img.width - 1);
  const y1 = Math.min(y0 + 1, img.height - 1);
  const ax = fx - x0;
  const ay = fy - y0;
  const d = img.data;
  const top = (d[y0 * img.width + x0] ?? 0) * (1 - ax) + (d[y0 * img.width + x1] ?? 0) * ax;
  const bottom = (d[y1 * img.width + x0] ?? 0) * (1 - ax) + (d[y1 * img.width + x1] ?? 0) * ax;
  return top * (1 - ay) + bottom * ay;
}

interface Line {
  /** A point on the line and its unit direction. */
  p: Point;
  d: Point;
}

/**
 * Moves each side onto the paper's edge at full resolution: along normals spread over the side,
 * the steepest bright-to-dark step (sub-pixel) is an edge point; a line is fitted to them, outliers
 * (a finger, a shadow) dropped and fitted again. Null when a side has no clear straight edge.
 */
function refineCorners(grey: GreyImage, coarse: Quad, scale: number): Quad | null {
  const c = centroid(coarse);
  const reach = Math.max(6, 2.5 * scale + 3);
  const lines: Line[] = [];
  for (let i = 0; i < 4; i++) {
    const a = coarse[i]!;
    const b = coarse[(i + 1) % 4]!;
    const n = outwardNormal(a, b, c);
    const tangent = { x: -n.y, y: n.x };
    const points: Point[] = [];
    const samples = 48;
    for (let k = 0; k < samples; k++) {
      const t = 0.06 + (0.88 * k) / (samples - 1);
      const m = { x: a.x + (b.x - a.x) * t, y: a.y + (b.y - a.y) * t };
      const edge = edgeAlong(grey, m, n, tangent, reach);
      if (edge !== null) points.push({ x: m.x + n.x * edge, y: m.y + n.y * edge });
    }
    const line = fitLineRobust(points, samples);
    if (!line) return null;
    lines.push(line);
  }
  const corners: Point[] = [];
  for (let i = 0; i < 4; i++) {
    const p = intersect(lines[(i + 3) % 4]!, lines[i]!);
    if (!p) return null;
    corners.push(p);
  }
  // A refined corner far from its coarse estimate means an edge was fitted to something else.
  for (let i = 0; i < 4; i++) {
    if (Math.hypot(corners[i]!.x - coarse[i]!.x, corners[i]!.y - coarse[i]!.y) > 4 * scale + 8) return null;
  }
  return corners as Quad;
}

/** Offset along `n` (outward) of the steepest drop in brightness, averaged over three parallel profiles. */
function edgeAlong(grey: GreyImage, m: Point, n: Point, tangent: Point, reach: number): number | null {
  const step = 0.5;
  const count = Math.floor((2 * reach) / step) + 1;
  const profile = new Float64Array(count);
  for (let s = 0; s < count; s++) {
    const offset = -reach + s * step;
    let sum = 0;
    for (const along of [-1.5, 0, 1.5]) {
      const v = sample(grey, m.x + n.x * offset + tangent.x * along, m.y + n.y * offset + tangent.y * along);
      if (v === null) return null;
      sum += v;
    }
    profile[s] = sum / 3;
  }
  // Derivative over ±1.5 px: steady against sensor noise, sharp enough for a paper edge.
  const span = 3;
  let best = -1;
  let bestDrop = 0;
  const drops = new Float64Array(count);
  for (let s = span; s < count - span; s++) {
    const drop = (profile[s - span] ?? 0) - (profile[s + span] ?? 0);
    drops[s] = drop;
    if (drop > bestDrop) {
      bestDrop = drop;
      best = s;
    }
  }
  if (best < 0 || bestDrop < MIN_CONTRAST * 0.6) return null;
  // Sub-pixel: the vertex of the parabola through the peak and its neighbours.
  const l = drops[best - 1] ?? bestDrop;
  const r = drops[best + 1] ?? bestDrop;
  const denom = l - 2 * bestDrop + r;
  const shift = denom !== 0 && best > span && best < count - span - 1 ? (0.5 * (l - r)) / denom : 0;
  return -reach + (best + shift) * step;
}

function fitLine(points: readonly Point[]): Line | null {
  if (points.length < 2) return null;
  const c = centroid(points);
  let sxx = 0;
  let sxy = 0;
  let syy = 0;
  for (const p of points) {
    const dx = p.x - c.x;
    const dy = p.y - c.y;
    sxx += dx * dx;
    sxy += dx * dy;
    syy += dy * dy;
  }
  // Direction of largest spread (total least squares): vertical sides fit as well as horizontal ones.
  const angle = 0.5 * Math.atan2(2 * sxy, sxx - syy);
  return { p: c, d: { x: Math.cos(angle), y: Math.sin(angle) } };
}

function distance(line: Line, p: Point): number {
  return Math.abs((p.x - line.p.x) * line.d.y - (p.y - line.p.y) * line.d.x);
}

function fitLineRobust(points: readonly Point[], samples: number): Line | null {
  // Most of the side must show an edge: a sheet's side is one straight line.
  if (points.length < samples * 0.5) return null;
  let line = fitLine(points);
  let kept = points;
  for (let round = 0; round < 3 && line; round++) {
    const current: Line = line;
    const residuals = kept.map((p) => distance(current, p));
    const limit = Math.max(1, 2.5 * median(residuals));
    const next = kept.filter((_, i) => (residuals[i] ?? 0) <= limit);
    if (next.length === kept.length) break;
    kept = next;
    line = fitLine(kept);
  }
  if (!line || kept.length < samples * 0.5) return null;
  return line;
}

function intersect(a: Line, b: Line): Point | null {
  const det = a.d.x * b.d.y - a.d.y * b.d.x;
  if (Math.abs(det) < 1e-6) return null;
  const t = ((b.p.x - a.p.x) * b.d.y - (b.p.y - a.p.y) * b.d.x) / det;
  return { x: a.p.x + a.d.x * t, y: a.p.y + a.d.y * t };
}

/**
 * Output size: the sheet's true width:height from the perspective (Zhang & He's whiteboard method,
 * principal point at the frame's centre); scaled so the better-resolved pair of sides keeps its pixels; snapped to A4's
 * 1:√2 when close to it.
 */
export function outputSize(q: Quad, frame?: { width: number; height: number }): { width: number; height: number } {
  const len = (a: Point, b: Point) => Math.hypot(b.x - a.x, b.y - a.y);
  const across = Math.max(len(q[0], q[1]), len(q[3], q[2]));
  const down = Math.max(len(q[0], q[3]), len(q[1], q[2]));
  const measured = frame ? perspectiveRatio(q, frame) : null;
  let ratio = measured?.ratio ?? down / across;
  // A guessed focal length leaves the ratio less certain: a sheet near A4 is taken to be A4.
  const tolerance = measured?.focalGuessed ? A4_TOLERANCE_GUESSED : A4_TOLERANCE;
  if (Math.abs(ratio / A4_RATIO - 1) < tolerance) ratio = A4_RATIO;
  else if (Math.abs(ratio * A4_RATIO - 1) < tolerance) ratio = 1 / A4_RATIO;
  let width = across;
  let height = across * ratio;
  if (height < down) {
    height = down;
    width = down / ratio;
  }
  return { width: Math.max(1, Math.round(width)), height: Math.max(1, Math.round(height)) };
}

/** Below this angle between opposite sides (radians, about 3°) they are taken as parallel. */
const MIN_CONVERGENCE = 0.05;

/** Angle between the directions a→b and c→d, in radians (0..π/2). */
function sideAngle(a: Point, b: Point, c: Point, d: Point): number {
  const u = Math.atan2(b.y - a.y, b.x - a.x);
  const v = Math.atan2(d.y - c.y, d.x - c.x);
  let diff = Math.abs(u - v) % Math.PI;
  if (diff > Math.PI / 2) diff = Math.PI - diff;
  return diff;
}

/** Height over width of the rectangle whose photo is `q`; null when the numbers break down. */
function perspectiveRatio(
  q: Quad,
  frame: { width: number; height: number },
): { ratio: number; focalGuessed: boolean } | null {
  const u0 = frame.width / 2;
  const v0 = frame.height / 2;
  // Zhang & He number the corners TL, TR, BL, BR.
  const m1 = [q[0].x, q[0].y, 1];
  const m2 = [q[1].x, q[1].y, 1];
  const m3 = [q[3].x, q[3].y, 1];
  const m4 = [q[2].x, q[2].y, 1];
  const crossV = (a: number[], b: number[]) => [
    a[1]! * b[2]! - a[2]! * b[1]!,
    a[2]! * b[0]! - a[0]! * b[2]!,
    a[0]! * b[1]! - a[1]! * b[0]!,
  ];
  const dot = (a: number[], b: number[]) => a[0]! * b[0]! + a[1]! * b[1]! + a[2]! * b[2]!;
  const k2 = dot(crossV(m1, m4), m3) / dot(crossV(m2, m4), m3);
  const k3 = dot(crossV(m1, m4), m2) / dot(crossV(m3, m4), m2);
  const n2 = m2.map((v, i) => k2 * v - m1[i]!);
  const n3 = m3.map((v, i) => k3 * v - m1[i]!);
  const [n21, n22, n23] = n2 as [number, number, number];
  const [n31, n32, n33] = n3 as [number, number, number];
  // One pair of sides parallel in the photo leaves the focal length unknown: take a usual document
  // camera's (about 60° across the long side); a square-on view does not depend on it anyway.
  const longSide = Math.max(frame.width, frame.height);
  let f = 0.85 * longSide;
  let focalGuessed = true;
  // Nearly parallel sides put a vanishing point near infinity, where the focal length is noise.
  if (Math.min(sideAngle(q[0], q[1], q[3], q[2]), sideAngle(q[0], q[3], q[1], q[2])) > MIN_CONVERGENCE) {
    const f2 =
      -(
        n21 * n31 -
        (n21 * n33 + n23 * n31) * u0 +
        n23 * n33 * u0 * u0 +
        (n22 * n32 - (n22 * n33 + n23 * n32) * v0 + n23 * n33 * v0 * v0)
      ) /
      (n23 * n33);
    if (f2 > (0.3 * longSide) ** 2 && f2 < (5 * longSide) ** 2) {
      f = Math.sqrt(f2);
      focalGuessed = false;
    }
  }
  const norm = (n: [number, number, number]) =>
    ((n[0] - u0 * n[2]) / f) ** 2 + ((n[1] - v0 * n[2]) / f) ** 2 + n[2] ** 2;
  const widthOverHeight = Math.sqrt(norm([n21, n22, n23]) / norm([n31, n32, n33]));
  if (!Number.isFinite(widthOverHeight) || widthOverHeight <= 0) return null;
  return { ratio: 1 / widthOverHeight, focalGuessed };
}

/** 3×3 homography (row-major, h33 = 1) taking each `from` point to the matching `to` point. */
export function homography(from: readonly Point[], to: readonly Point[]): number[] {
  const a: number[][] = [];
  for (let i = 0; i < 4; i++) {
    const { x, y } = from[i]!;
    const { x: u, y: v } = to[i]!;
    a.push([x, y, 1, 0, 0, 0, -u * x, -u * y, u]);
    a.push([0, 0, 0, x, y, 1, -v * x, -v * y, v]);
  }
  // Gaussian elimination with partial pivoting on the 8×9 augmented matrix.
  for (let col = 0; col < 8; col++) {
    let pivot = col;
    for (let r = col + 1; r < 8; r++) if (Math.abs(a[r]![col]!) > Math.abs(a[pivot]![col]!)) pivot = r;
    if (Math.abs(a[pivot]![col]!) < 1e-12) throw new Error('degenerate quadrilateral');
    [a[col], a[pivot]] = [a[pivot]!, a[col]!];
    const row = a[col]!;
    for (let r = 0; r < 8; r++) {
      if (r === col) continue;
      const other = a[r]!;
      const f = other[col]! / row[col]!;
      for (let k = col; k < 9; k++) other[k]! -= f * row[k]!;
    }
  }
  const h = a.map((row, i) => row[8]! / row[i]!);
  return [...h, 1];
}

export function project(h: readonly number[], p: Point): Point {
  const w = h[6]! * p.x + h[7]! * p.y + h[8]!;
  return { x: (h[0]! * p.x + h[1]! * p.y + h[2]!) / w, y: (h[3]! * p.x + h[4]! * p.y + h[5]!) / w };
}

/**
 * Samples `source` through the homography `toSource` (output pixel → source position) into a
 * width×height raster, bilinear; positions outside the source take `fill`.
 */
export function warp(source: Raster, toSource: readonly number[], width: number, height: number, fill = 255): Raster {
  const ch = source.channels;
  const out = Buffer.alloc(width * height * ch);
  const { data, width: sw, height: sh } = source;
  const [h0, h1, h2, h3, h4, h5, h6, h7, h8] = toSource as [
    number,
    number,
    number,
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  for (let y = 0; y < height; y++) {
    const py = y + 0.5;
    for (let x = 0; x < width; x++) {
      const px = x + 0.5;
      const w = h6 * px + h7 * py + h8;
      // Pixel centres sit at +0.5 in both spaces.
      const fx = (h0 * px + h1 * py + h2) / w - 0.5;
      const fy = (h3 * px + h4 * py + h5) / w - 0.5;
      const o = (y * width + x) * ch;
      if (fx < -0.5 || fy < -0.5 || fx > sw - 0.5 || fy > sh - 0.5) {
        out.fill(fill, o, o + ch);
        continue;
      }
      const cx = Math.min(Math.max(fx, 0), sw - 1);
      const cy = Math.min(Math.max(fy, 0), sh - 1);
      const x0 = Math.floor(cx);
      const y0 = Math.floor(cy);
      const x1 = x0 + 1 < sw ? x0 + 1 : x0;
      const y1 = y0 + 1 < sh ? y0 + 1 : y0;
      const ax = cx - x0;
      const ay = cy - y0;
      const i00 = (y0 * sw + x0) * ch;
      const i01 = (y0 * sw + x1) * ch;
      const i10 = (y1 * sw + x0) * ch;
      const i11 = (y1 * sw + x1) * ch;
      for (let c = 0; c < ch; c++) {
        const top = data[i00 + c]! + (data[i01 + c]! - data[i00 + c]!) * ax;
        const bottom = data[i10 + c]! + (data[i11 + c]! - data[i10 + c]!) * ax;
        out[o + c] = Math.round(top + (bottom - top) * ay);
      }
    }
  }
  return { data: out, width, height, channels: ch };
}

/** Share of each side left out of the flattened page: the paper's soft edge and a hair of desk. */
const EDGE_INSET = 0.004;

/**
 * The sheet inside `corners`, flattened into a width×height upright rectangle, a hair inside the
 * edges: a one-pixel line of desk along a side reads as a line of garbage characters to OCR.
 */
export function warpQuad(source: Raster, corners: Quad, width: number, height: number): Raster {
  const mx = EDGE_INSET * width;
  const my = EDGE_INSET * height;
  const rect = [
    { x: -mx, y: -my },
    { x: width + mx, y: -my },
    { x: width + mx, y: height + my },
    { x: -mx, y: height + my },
  ];
  return warp(source, homography(rect, corners), width, height);
}
