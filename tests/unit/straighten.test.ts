/**
 * Straightening a skewed page (capture/straighten.ts) against sharp's own rotate, the reference
 * it replaces: the same turn, the same size, corners filled with the paper, colour kept.
 */
import { describe, expect, it } from 'vitest';
import { analyzePage, makeWorkingCopy, rasterImage, type Raster } from '../../electron/core/capture/cleanup';
import { rotateKeepingSize, rotateKeepingSizeInSteps } from '../../electron/core/capture/straighten';

const WIDTH = 400;
const HEIGHT = 300;
const PAPER = 250;

/** A page of paper with one dark bar, 20 rows high, across most of its width. */
function barPage(channels: 1 | 3 = 1, ink: readonly number[] = [0]): Raster {
  const data = Buffer.alloc(WIDTH * HEIGHT * channels, PAPER);
  for (let y = 140; y < 160; y++) {
    for (let x = 50; x < 350; x++) {
      for (let c = 0; c < channels; c++) data[(y * WIDTH + x) * channels + c] = ink[c] ?? ink[0]!;
    }
  }
  return { data, width: WIDTH, height: HEIGHT, channels };
}

/** sharp's rotate, cut back to the page's size about its centre: what cleanup did before. */
async function sharpTurn(page: Raster, clockwiseDeg: number): Promise<Raster> {
  const turned = await rasterImage(page)
    .rotate(clockwiseDeg, { background: { r: PAPER, g: PAPER, b: PAPER } })
    .raw()
    .toBuffer({ resolveWithObject: true });
  const data = await rasterImage({ ...page, data: turned.data, width: turned.info.width, height: turned.info.height })
    .extract({
      left: Math.floor((turned.info.width - page.width) / 2),
      top: Math.floor((turned.info.height - page.height) / 2),
      width: page.width,
      height: page.height,
    })
    .raw()
    .toBuffer();
  return { ...page, data };
}

/** The ink's centre row in column x (first channel), weighted by how dark each pixel is. */
function inkCentre(page: Raster, x: number): number {
  let ink = 0;
  let moment = 0;
  for (let y = 0; y < page.height; y++) {
    const darkness = PAPER - Math.min(PAPER, page.data[(y * page.width + x) * page.channels]!);
    ink += darkness;
    moment += darkness * y;
  }
  return moment / ink;
}

describe('straightening a page', () => {
  it('turns clockwise as sharp does, about the centre, keeping the size', async () => {
    const page = barPage();
    for (const degrees of [5, -3, 0.8]) {
      const ours = rotateKeepingSize(page, degrees, PAPER);
      const theirs = await sharpTurn(page, degrees);
      expect([ours.width, ours.height, ours.channels]).toEqual([WIDTH, HEIGHT, 1]);
      for (const x of [80, 200, 320]) {
        // sharp's turn, cut back to size, may sit half a pixel off the centre.
        expect(Math.abs(inkCentre(ours, x) - inkCentre(theirs, x)), `${degrees}° at x=${x}`).toBeLessThan(0.75);
      }
      // Clockwise: the bar's right end goes down.
      if (degrees > 0) expect(inkCentre(ours, 320)).toBeGreaterThan(inkCentre(ours, 80) + 1);
    }
  });

  it('undoes a skew: the bar comes back level', async () => {
    const askew = await sharpTurn(barPage(), 4);
    const straight = rotateKeepingSize(askew, -4, PAPER);
    expect(Math.abs(inkCentre(straight, 80) - inkCentre(straight, 320))).toBeLessThan(0.25);
    expect(Math.abs(inkCentre(straight, 200) - 149.5)).toBeLessThan(0.75);
  });

  it('fills the corners it uncovers with the paper and keeps colour', () => {
    const red = barPage(3, [200, 20, 30]);
    red.data.fill(0, 0, 3 * WIDTH); // a dark first row: turned away from the top-left corner
    const turned = rotateKeepingSize(red, 6, 240);
    expect([...turned.data.subarray(0, 3)]).toEqual([240, 240, 240]);
    const centre = (150 * WIDTH + 200) * 3;
    expect([...turned.data.subarray(centre, centre + 3)]).toEqual([200, 20, 30]);
    // No turn at all leaves every pixel as it was, the last row and column included.
    const same = rotateKeepingSize(red, 0, 240);
    expect(same.data.equals(red.data)).toBe(true);
  });

  it('leaves a strip longer than it can take as it lies, and says so when asked to turn one', async () => {
    // 33,000 px long: 2.8 m at 300 dpi. Ten bars of ink, leaning half a degree, as lines of text.
    const long = { data: Buffer.alloc(33_000 * 2400, PAPER), width: 33_000, height: 2400, channels: 1 as const };
    const rise = Math.tan((0.5 * Math.PI) / 180);
    for (let bar = 0; bar < 10; bar++) {
      for (let x = 500; x < 32_500; x++) {
        const top = 200 + bar * 200 + Math.round((x - 500) * rise);
        for (let dy = 0; dy < 40; dy++) long.data[(top + dy) * long.width + x] = 0;
      }
    }
    expect(() => rotateKeepingSize(long, 0.5, PAPER)).toThrow(RangeError);
    const analysis = await analyzePage(long, 300);
    expect(analysis.skew).toBe(0);
    expect((await makeWorkingCopy(long, analysis)).width).toBe(33_000);
  });

  it('turns a full page in steps, with the same pixels, answering what came in meanwhile', async () => {
    // 4000 rows of 400 pixels: 1.6 MB grey, three steps; 4.8 MB colour, nine. A bar across each.
    for (const channels of [1, 3] as const) {
      const page = { ...barPage(channels), height: 4000 };
      page.data = Buffer.alloc(WIDTH * 4000 * channels, PAPER);
      page.data.fill(30, WIDTH * 1900 * channels, WIDTH * 1920 * channels);
      let answered = false;
      const stepped = rotateKeepingSizeInSteps(page, -1.3, PAPER);
      // A call arriving while the page turns (an IPC message, an HTTP request) is let in before
      // the turn ends; all at once, it would wait until after.
      setImmediate(() => {
        answered = true;
      });
      const turned = await stepped;
      expect(answered).toBe(true);
      expect(turned.data.equals(rotateKeepingSize(page, -1.3, PAPER).data)).toBe(true);
    }
  });
});
