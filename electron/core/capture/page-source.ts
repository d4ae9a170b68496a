/**
 * One input file as a source of pages, yielded one at a time so a 300-page PDF or TIFF never sits
 * in memory whole: images through sharp (JPEG, PNG, multi-page TIFF including CCITT G4, WebP, BMP,
 * phone photos turned by their EXIF orientation), PDFs through pdf-input (MuPDF).
 */
import { readFile } from 'node:fs/promises';
import { rasterImage, type Raster, type Rotation } from './cleanup';
import { checkImageFile, decodeImagePage, exifRotation, sniffFormat, type ImageFormat } from './image-input';
import { PdfSource, type PdfWord } from './pdf-input';

export interface SourcePage {
  pageNo: number;
  /** Decoded pixels, upright as the file's own metadata says (EXIF). */
  raster: Raster;
  /** Resolution the file declares (PDF: the scan's, measured from the page), null when unknown. */
  dpi: number | null;
  /** Clockwise degrees already applied from EXIF. */
  exifRotation: Rotation;
  /** A 1-bit scan (CCITT fax, black and white mode). */
  bilevel: boolean;
  /** The page as scanned, for the archive. */
  original(): Promise<{ bytes: Buffer; mime: string }>;
  /** A PDF page's text layer, if any. */
  textLayer: { text: string; words: PdfWord[] } | null;
}

export interface InputSource {
  format: ImageFormat | 'pdf';
  mime: string;
  pageCount: number;
  pages(): AsyncGenerator<SourcePage>;
  close(): void;
}

/** Opens a file by what its bytes are (never its name) and checks it before any page is read. */
export async function openInputSource(file: string): Promise<InputSource> {
  const format = await sniffFormat(file);
  if (format === 'pdf') return pdfSource(file);
  return imageSource(file);
}

async function pdfSource(file: string): Promise<InputSource> {
  const pdf = await PdfSource.open(file);
  return {
    format: 'pdf',
    mime: 'application/pdf',
    pageCount: pdf.pageCount,
    async *pages() {
      for (let index = 0; index < pdf.pageCount; index++) {
        const page = pdf.renderPage(index);
        yield {
          pageNo: page.pageNo,
          raster: page.raster,
          dpi: page.dpi,
          exifRotation: 0,
          bilevel: page.bilevel,
          // The scanned JPEG itself when the page is one; otherwise the rendering (the PDF itself
          // is kept too, as the document's source).
          original: async () =>
            page.jpeg ? { bytes: page.jpeg, mime: 'image/jpeg' } : encodeArchive(page.raster, page.bilevel, page.dpi),
          textLayer: page.text || page.words.length > 0 ? { text: page.text, words: page.words } : null,
        };
      }
    },
    close: () => pdf.close(),
  };
}

async function imageSource(file: string): Promise<InputSource> {
  const { format, pages, meta } = await checkImageFile(file);
  const dpi = meta.density;
  const turned = exifRotation(meta.orientation);
  return {
    format,
    mime: format === 'jpeg' ? 'image/jpeg' : `image/${format}`,
    pageCount: pages,
    async *pages() {
      for (let index = 0; index < pages; index++) {
        const raster = await decodeImagePage(file, format, index, meta);
        const bilevel = raster.channels === 1 && isBilevel(raster.data);
        yield {
          pageNo: index + 1,
          raster,
          dpi,
          exifRotation: turned,
          bilevel,
          // A single-page JPEG or PNG is archived byte for byte as scanned; pages of other files
          // as lossless PNG.
          original: async () =>
            pages === 1 && (format === 'jpeg' || format === 'png')
              ? { bytes: await readFile(file), mime: format === 'jpeg' ? 'image/jpeg' : 'image/png' }
              : encodeArchive(raster, bilevel, dpi, true),
          textLayer: null,
        };
      }
    },
    close: () => undefined,
  };
}

/** Only black and white pixels: a bilevel scan, stored as a 2-colour PNG (about fax size). */
function isBilevel(data: Buffer): boolean {
  for (const value of data) if (value !== 0 && value !== 255) return false;
  return true;
}

/**
 * Encodes a page image as kept for good: 2-colour PNG for bilevel pages, lossless PNG when asked,
 * otherwise JPEG at quality 90 (a 300 dpi colour page as PNG is 20 MB; the exact scan is kept
 * elsewhere).
 */
export function encodeArchive(
  raster: Raster,
  bilevel: boolean,
  dpi: number | null,
  lossless = false,
): Promise<{ bytes: Buffer; mime: string }> {
  return encodePage(raster, bilevel, dpi, lossless ? 'png' : { optimiseCoding: true });
}

/**
 * Encodes a page's working copy (cropped, turned, straightened), which cleanup can make again from
 * the scan kept beside it: as encodeArchive, but the JPEG's Huffman tables are the standard ones.
 * Optimising them saved 5-7 % of the bytes of a grey A4 page at 300 dpi and took three times the
 * CPU (about 140 against 45 ms), on every skewed page a scanner feeds.
 */
export function encodeWorkingCopy(
  raster: Raster,
  bilevel: boolean,
  dpi: number | null,
): Promise<{ bytes: Buffer; mime: string }> {
  return encodePage(raster, bilevel, dpi, { optimiseCoding: false });
}

async function encodePage(
  raster: Raster,
  bilevel: boolean,
  dpi: number | null,
  format: 'png' | { optimiseCoding: boolean },
): Promise<{ bytes: Buffer; mime: string }> {
  let image = rasterImage(raster);
  // The resolution travels with the image: tesseract guesses badly without it.
  if (dpi) image = image.withDensity(dpi);
  if (bilevel)
    return { bytes: await image.png({ palette: true, colours: 2, compressionLevel: 9 }).toBuffer(), mime: 'image/png' };
  if (format === 'png') return { bytes: await image.png({ compressionLevel: 6 }).toBuffer(), mime: 'image/png' };
  const jpeg = { quality: 90, mozjpeg: false, optimiseCoding: format.optimiseCoding };
  return { bytes: await image.jpeg(jpeg).toBuffer(), mime: 'image/jpeg' };
}

/** Width of the page thumbnails in lists and the page strip, pixels. */
const THUMB_WIDTH = 240;

/** A page's thumbnail: JPEG, THUMB_WIDTH wide (never enlarged), grey for a grey page. */
export function encodeThumbnail(raster: Raster): Promise<Buffer> {
  return rasterImage(raster)
    .resize({ width: THUMB_WIDTH, withoutEnlargement: true })
    .jpeg({ quality: 75, mozjpeg: false })
    .toBuffer();
}
