/**
 * Document camera: time to find and flatten the sheet in a photo, against cleanup's own page
 * analysis of the same photo (the reference every imported page already pays), in the same run.
 *   npm run bench:camera            (2 MP and 4.3 MP frames)
 *   SOHOA_BENCH_CAMERA_MP=12 npm run bench:camera   (adds a 12 MP frame)
 */
import { analyzePage } from '../electron/core/capture/cleanup.ts';
import { flattenPage } from '../electron/core/capture/flatten.ts';
import { a4Corners, cameraPhoto } from '../tests/fixtures/camera-photos.ts';
import { SAMPLE_PAGES } from '../tests/fixtures/scans.ts';

const RUNS = Number(process.env.SOHOA_BENCH_RUNS) || 3;
const frames = [
  { width: 1920, height: 1080 },
  { width: 2400, height: 1800 },
  ...(Number(process.env.SOHOA_BENCH_CAMERA_MP) >= 12 ? [{ width: 4000, height: 3000 }] : []),
];

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}

for (const frame of frames) {
  const scale = frame.width / 2400;
  const photo = await cameraPhoto({
    lines: SAMPLE_PAGES[0]!.lines,
    width: frame.width,
    height: frame.height,
    corners: a4Corners({ tiltDeg: 20, turnDeg: 8, distanceMm: 560, focalPx: 2000 * scale, frame }),
    pageWidth: Math.round(1240 * scale),
    pageHeight: Math.round(1754 * scale),
    pageDpi: Math.max(72, Math.round(150 * scale)),
  });
  const flatten: number[] = [];
  const analysis: number[] = [];
  let found = false;
  for (let run = 0; run < RUNS; run++) {
    let started = performance.now();
    const result = await flattenPage(photo.raster);
    flatten.push(performance.now() - started);
    found = result.corners !== null;
    started = performance.now();
    await analyzePage(photo.raster, null);
    analysis.push(performance.now() - started);
  }
  const megapixels = Number(((frame.width * frame.height) / 1e6).toFixed(1));
  const reference = median(analysis);
  console.log(
    JSON.stringify({
      name: 'camera.flatten',
      value: Math.round(median(flatten)),
      unit: 'ms',
      megapixels,
      found,
      reference: { name: 'cleanup.analyzePage', value: Math.round(reference), unit: 'ms' },
      ratio: Number((median(flatten) / reference).toFixed(2)),
      runs: RUNS,
    }),
  );
}
