import { describe, expect, it } from 'vitest';
import { flattenPage, homography, outputSize, project, type Quad } from '../../electron/core/capture/flatten';
import { a4Corners, cameraPhoto, desk, type CameraPose } from '../fixtures/camera-photos';
import { SAMPLE_PAGES } from '../fixtures/scans';

const LINES = SAMPLE_PAGES[0]!.lines;
/** A 2 MP document camera keeps these tests quick; the OCR test uses 4.3 MP. */
const FRAME = { width: 1600, height: 1200 };
const CAMERA = { frame: FRAME, focalPx: 1330 };
const PAGE = { width: FRAME.width, height: FRAME.height, pageWidth: 827, pageHeight: 1169, pageDpi: 100 };

function cornerError(found: Quad, truth: Quad): number {
  return Math.max(...found.map((p, i) => Math.hypot(p.x - truth[i]!.x, p.y - truth[i]!.y)));
}

describe('document camera: flatten', () => {
  it('maps the four points a homography is built from exactly', () => {
    const from: Quad = [
      { x: 0, y: 0 },
      { x: 100, y: 0 },
      { x: 100, y: 141 },
      { x: 0, y: 141 },
    ];
    const to: Quad = [
      { x: 12, y: 30 },
      { x: 130, y: 22 },
      { x: 150, y: 190 },
      { x: 5, y: 170 },
    ];
    const h = homography(from, to);
    for (let i = 0; i < 4; i++) {
      const p = project(h, from[i]!);
      expect(p.x).toBeCloseTo(to[i]!.x, 6);
      expect(p.y).toBeCloseTo(to[i]!.y, 6);
    }
  });

  it('snaps a sheet close to A4 to 1:√2 and keeps other shapes', () => {
    const a4ish: Quad = [
      { x: 0, y: 0 },
      { x: 1000, y: 0 },
      { x: 1000, y: 1380 },
      { x: 0, y: 1380 },
    ];
    expect(outputSize(a4ish)).toEqual({ width: 1000, height: 1414 });
    const square: Quad = [
      { x: 0, y: 0 },
      { x: 800, y: 0 },
      { x: 800, y: 800 },
      { x: 0, y: 800 },
    ];
    expect(outputSize(square)).toEqual({ width: 800, height: 800 });
  });

  it.each([
    { name: 'seen from a tilted camera', pose: { tiltDeg: 25, turnDeg: 0 } },
    { name: 'turned on the desk', pose: { tiltDeg: 12, turnDeg: 25, distanceMm: 470 } },
    { name: 'steep and turned', pose: { tiltDeg: 35, turnDeg: -15, offsetMm: { x: -10, y: 10 } } },
  ] as { name: string; pose: CameraPose }[])(
    'finds the corners of a sheet $name within a few pixels',
    async ({ pose }) => {
      const corners = a4Corners({ ...CAMERA, ...pose });
      const photo = await cameraPhoto({ lines: LINES, corners, seed: 11, ...PAGE });
      const result = await flattenPage(photo.raster);
      expect(result.miss).toBeNull();
      expect(result.corners).not.toBeNull();
      const error = cornerError(result.corners!, corners);
      console.log(JSON.stringify({ name: 'flatten.cornerErrorPx', pose, value: Number(error.toFixed(2)), unit: 'px' }));
      expect(error).toBeLessThan(3);
      // An A4 sheet comes out A4: its aspect ratio is measured through the perspective.
      expect(result.raster.height / result.raster.width).toBeCloseTo(Math.SQRT2, 2);
      expect(result.raster.channels).toBe(3);
    },
  );

  it('ignores a thumb holding the sheet down over one edge', async () => {
    const corners = a4Corners({ ...CAMERA, tiltDeg: 20, turnDeg: 6 });
    const photo = await cameraPhoto({ lines: LINES, corners, seed: 8, ...PAGE });
    // A dark, skin-toned blob across the bottom edge, a fifth of the way along it.
    const { data, width } = photo.raster;
    const cx = corners[3].x + (corners[2].x - corners[3].x) * 0.2;
    const cy = corners[3].y + (corners[2].y - corners[3].y) * 0.2;
    for (let y = Math.round(cy - 45); y < cy + 45; y++) {
      for (let x = Math.round(cx - 30); x < cx + 30; x++) {
        if (((x - cx) / 30) ** 2 + ((y - cy) / 45) ** 2 > 1) continue;
        const o = (y * width + x) * 3;
        data[o] = 150;
        data[o + 1] = 100;
        data[o + 2] = 80;
      }
    }
    const result = await flattenPage(photo.raster);
    expect(result.corners).not.toBeNull();
    const error = cornerError(result.corners!, corners);
    console.log(
      JSON.stringify({ name: 'flatten.cornerErrorWithThumbPx', value: Number(error.toFixed(2)), unit: 'px' }),
    );
    expect(error).toBeLessThan(3);
  });

  it('measures a sheet that is not A4 through the perspective instead of forcing A4', async () => {
    // A square form, seen tilted and turned: its photo is far from square.
    const corners = a4Corners({ ...CAMERA, tiltDeg: 28, turnDeg: 12, sheetMm: { width: 200, height: 200 } });
    const photo = await cameraPhoto({ lines: LINES.slice(0, 6), corners, seed: 3, ...PAGE, pageHeight: 827 });
    const result = await flattenPage(photo.raster);
    expect(result.corners).not.toBeNull();
    const ratio = result.raster.height / result.raster.width;
    console.log(JSON.stringify({ name: 'flatten.squareSheetRatio', value: Number(ratio.toFixed(3)), unit: 'h/w' }));
    expect(ratio).toBeGreaterThan(0.97);
    expect(ratio).toBeLessThan(1.03);
  });

  it('keeps the whole frame when the sheet is cut off by the frame', async () => {
    const corners = a4Corners({ ...CAMERA, tiltDeg: 10, turnDeg: 0, offsetMm: { x: 0, y: 90 } });
    expect(Math.max(...corners.map((p) => p.y))).toBeGreaterThan(FRAME.height);
    const photo = await cameraPhoto({ lines: LINES, corners, seed: 5, ...PAGE });
    const result = await flattenPage(photo.raster);
    expect(result.corners).toBeNull();
    expect(result.raster).toBe(photo.raster);
  });

  it('keeps the whole frame when there is no sheet in it', async () => {
    const empty = desk(1600, 1200, 3);
    const result = await flattenPage(empty);
    expect(result.corners).toBeNull();
    expect(result.miss).not.toBeNull();
    expect(result.raster).toBe(empty);
  });
});
