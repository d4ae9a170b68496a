import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import sharp from 'sharp';

const require = createRequire(import.meta.url);

/**
 * Be Vietnam Pro Regular (SIL Open Font License 1.1, from @expo-google-fonts/be-vietnam-pro): every
 * Vietnamese letter as a precomposed glyph, so text extracted from the PDF is NFC Vietnamese. It
 * is embedded as a subset of the glyphs a document uses. The text layer is invisible, so the
 * typeface's look does not matter; its coverage does.
 */
export const TEXT_LAYER_FONT_FILE: string =
  require.resolve('@expo-google-fonts/be-vietnam-pro/400Regular/BeVietnamPro_400Regular.ttf');

let fontBytes: Promise<Buffer> | null = null;

export function textLayerFont(): Promise<Buffer> {
  fontBytes ??= readFile(TEXT_LAYER_FONT_FILE).catch((error: unknown) => {
    fontBytes = null;
    throw error;
  });
  return fontBytes;
}

/** Be Vietnam Pro Bold, same licence and coverage: headings of printed forms (the receipt). */
export const HEADING_FONT_FILE: string =
  require.resolve('@expo-google-fonts/be-vietnam-pro/700Bold/BeVietnamPro_700Bold.ttf');

let headingBytes: Promise<Buffer> | null = null;

export function headingFont(): Promise<Buffer> {
  headingBytes ??= readFile(HEADING_FONT_FILE).catch((error: unknown) => {
    headingBytes = null;
    throw error;
  });
  return headingBytes;
}

let iccBytes: Promise<Buffer> | null = null;

/**
 * An sRGB ICC profile for the PDF/A output intent: libvips' built-in compact sRGB profile
 * (ICC v4, 480 bytes, released under CC0 by its authors), read back from an image sharp tags with
 * it. Nothing is downloaded and no profile file has to ship with the app.
 */
export function srgbIccProfile(): Promise<Buffer> {
  iccBytes ??= (async () => {
    const tagged = await sharp({ create: { width: 1, height: 1, channels: 3, background: '#ffffff' } })
      .withIccProfile('srgb')
      .png()
      .toBuffer();
    const icc = (await sharp(tagged).metadata()).icc;
    // Header: bytes 12-15 the device class, 16-19 the colour space. An output intent needs an RGB
    // display or printer profile.
    if (
      !icc ||
      icc.length < 128 ||
      icc.toString('latin1', 16, 20) !== 'RGB ' ||
      icc.toString('latin1', 36, 40) !== 'acsp'
    ) {
      throw new Error('sharp did not provide an RGB ICC profile');
    }
    return icc;
  })().catch((error: unknown) => {
    iccBytes = null;
    throw error;
  });
  return iccBytes;
}
