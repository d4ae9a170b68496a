import sharp from 'sharp';
import { MAX_INPUT_PIXELS } from '../capture/image-input';

/** Below this width (pixels) a page is upscaled before OCR: small text reads better larger. */
const MIN_OCR_WIDTH = 1200;
/** A page whose darkest pixel is at most this already has real ink. */
const DARK_INK = 80;

/**
 * The working copy OCR reads: upright, greyscale, contrast stretched, small scans upscaled. The
 * archived image is never changed. PNG at compression 0 because the worker decodes it at once.
 */
export async function prepareForOcr(image: Buffer): Promise<Buffer> {
  const pipeline = sharp(image, { limitInputPixels: MAX_INPUT_PIXELS }).autoOrient();
  const meta = await sharp(image, { limitInputPixels: MAX_INPUT_PIXELS }).metadata();
  const width = meta.autoOrient?.width ?? meta.width ?? 0;
  if (width > 0 && width < MIN_OCR_WIDTH) {
    pipeline.resize({ width: Math.min(MIN_OCR_WIDTH, width * 2), kernel: 'lanczos3' });
  }
  pipeline.greyscale();
  // Stretch contrast only on faded scans. On a page that already has black ink, stretching from
  // the light-grey edge of a few letters turns JPEG ringing into speckle that OCR reads as noise.
  const { channels } = await sharp(image, { limitInputPixels: MAX_INPUT_PIXELS }).greyscale().stats();
  if ((channels[0]?.min ?? 0) > DARK_INK) pipeline.normalise();
  return pipeline.png({ compressionLevel: 0 }).toBuffer();
}
