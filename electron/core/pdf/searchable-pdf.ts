/**
 * A searchable PDF/A-2b of scanned pages: each page the scan at its own pixel count and physical
 * size (100 % scale from its resolution), with an invisible text layer from the stored OCR.
 *
 * There is no offline PDF/A validator on the build machines (veraPDF is Java and in neither Debian
 * nor npm), so this code guarantees, and tests/integration/pdf-export.test.ts checks
 * (tests/support/pdfa-rules.ts), these rules of ISO 19005-2 level B:
 *  - 6.1.2  header `%PDF-1.7` followed by a comment of four bytes above 127 (pdf-lib writes it);
 *  - 6.1.3  the trailer has an ID (two 16-byte strings); no Encrypt entry;
 *  - 6.6.2  the catalog's Metadata is an unfiltered XMP stream that parses as XML and carries
 *           pdfaid:part 2 and pdfaid:conformance B, every non-standard property described by a
 *           PDF/A extension schema, and the Info entries it mirrors (Title, Author, Subject,
 *           Keywords, Creator, Producer, CreationDate, ModDate) equal to their XMP twins;
 *  - 6.2.3  one OutputIntent, GTS_PDFA1, with an embedded RGB ICC profile (N 3), so DeviceRGB and
 *           DeviceGray images are allowed;
 *  - 6.2.8  images without Alternates, OPI or Interpolate; filters DCT or Flate only (no LZW);
 *  - 6.2.11 every font embedded as a tagged subset (FontFile2 with Length1), no glyph drawn is
 *           .notdef (characters the font lacks are left out of the layer);
 *  - 6.1.7 / 6.6.1  no JavaScript, no actions, no annotations, no transparency groups, no embedded files;
 *  - page sizes within 3..14 400 units.
 */
import { inflateSync } from 'node:zlib';
import {
  concatTransformationMatrix,
  drawObject,
  PDFArray,
  PDFDict,
  PDFDocument,
  PDFHexString,
  PDFName,
  PDFNumber,
  PDFRawStream,
  PDFRef,
  PDFString,
  popGraphicsState,
  pushGraphicsState,
  type PDFFont,
} from 'pdf-lib';
import type { OcrLine, OcrWord } from '../ocr/pool';
import { encodePageImage, type PdfImageMode } from './page-image';
import { srgbIccProfile, textLayerFont } from './pdf-assets';
import { buildXmp, FACT_FIELDS, keywordsText, wholeSeconds, type PdfDescription } from './pdf-metadata';
import { loadFontkit } from './fontkit';
import { layoutLines, textLayerOperators, type LayerFont } from './text-layer';

/** Scanners that do not record their resolution almost always scan at this (DOMAIN.md: at least 200 dpi). */
export const DEFAULT_DPI = 200;
/** Bumped whenever the output changes for the same input, so cached PDFs are made again. */
export const PDF_RENDERER_VERSION = 2;
/** PDF's largest page side, in points. */
const MAX_PAGE_POINTS = 14_400;

export interface PdfPageSource {
  /** The stored page image, loaded only when the page is rendered. */
  image(): Promise<Buffer>;
  /** The resolution recorded when the page was captured; wins over the file's header. */
  dpi: number | null;
  /** OCR words in page pixels, or null when the page has no text (OCR failed or pending). */
  words: OcrWord[] | null;
  lines: OcrLine[] | null;
}

export interface RenderedPage {
  mode: PdfImageMode;
  widthPx: number;
  heightPx: number;
  dpi: number;
  widthPt: number;
  heightPt: number;
  imageBytes: number;
  textLines: number;
}

/** A bookmark: one per document of a dossier, pointing at its first page. */
export interface OutlineEntry {
  title: string;
  /** 0-based index of the page the entry opens. */
  pageIndex: number;
}

export interface RenderedPdf {
  bytes: Uint8Array;
  pages: RenderedPage[];
}

export async function renderSearchablePdf(
  pages: readonly PdfPageSource[],
  description: PdfDescription,
  options: { fallbackDpi?: number | null; outline?: readonly OutlineEntry[] } = {},
): Promise<RenderedPdf> {
  const doc = await PDFDocument.create({ updateMetadata: false });
  doc.registerFontkit(await loadFontkit());
  const layerFont = pages.some((page) => page.words && page.words.length > 0)
    ? await embedLayerFont(doc, subsetTag(description.instanceId))
    : null;

  const rendered: RenderedPage[] = [];
  for (const source of pages) {
    rendered.push(await addPage(doc, source, layerFont, options.fallbackDpi ?? null));
  }
  if (rendered.length === 0) throw new Error('a PDF needs at least one page');

  await describe(doc, description);
  if (options.outline && options.outline.length > 0) addOutline(doc, options.outline);
  await doc.flush();
  if (layerFont) setFontProgramLengths(doc, layerFont.pdfFont);
  const bytes = await doc.save({ useObjectStreams: true, addDefaultPage: false, updateFieldAppearances: false });
  return { bytes, pages: rendered };
}

async function addPage(
  doc: PDFDocument,
  source: PdfPageSource,
  layerFont: (LayerFont & { pdfFont: PDFFont }) | null,
  fallbackDpi: number | null,
): Promise<RenderedPage> {
  const image = await encodePageImage(await source.image());
  const minDpi = (Math.max(image.width, image.height) * 72) / MAX_PAGE_POINTS;
  const dpi = Math.max(source.dpi ?? image.dpi ?? fallbackDpi ?? DEFAULT_DPI, minDpi);
  const widthPt = (image.width * 72) / dpi;
  const heightPt = (image.height * 72) / dpi;
  const page = doc.addPage([widthPt, heightPt]);
  // pdf-lib starts every page with an empty annotation list; a scan has none.
  page.node.delete(PDFName.of('Annots'));

  const xobject = doc.context.register(
    PDFRawStream.of(
      doc.context.obj({
        Type: 'XObject',
        Subtype: 'Image',
        Width: image.width,
        Height: image.height,
        ColorSpace: image.colorSpace,
        BitsPerComponent: image.bitsPerComponent,
        Filter: image.filter,
        Length: image.data.length,
      }),
      image.data,
    ),
  );
  const imageName = page.node.newXObject('Scan', xobject);
  page.pushOperators(
    pushGraphicsState(),
    concatTransformationMatrix(widthPt, 0, 0, heightPt, 0, 0),
    drawObject(imageName),
    popGraphicsState(),
  );

  let textLines = 0;
  if (layerFont && source.words && source.words.length > 0) {
    const lines = layoutLines(source.words, source.lines);
    const resourceName = page.node.newFontDictionary('OcrText', layerFont.pdfFont.ref);
    const ops = textLayerOperators(
      lines,
      { ...layerFont, resourceName },
      {
        heightPt,
        sx: widthPt / image.width,
        sy: heightPt / image.height,
      },
    );
    if (ops.length > 0) page.pushOperators(...ops);
    textLines = lines.length;
  }
  return {
    mode: image.mode,
    widthPx: image.width,
    heightPx: image.height,
    dpi,
    widthPt,
    heightPt,
    imageBytes: image.data.length,
    textLines,
  };
}

/** A subset font's name starts with six capital letters and '+' (ISO 32000, 9.6.4). */
function subsetTag(hex: string): string {
  return [...hex.slice(0, 6).toUpperCase()].map((c) => String.fromCharCode(65 + parseInt(c, 16))).join('');
}

async function embedLayerFont(doc: PDFDocument, tag: string): Promise<LayerFont & { pdfFont: PDFFont }> {
  const bytes = await textLayerFont();
  const coverage = (await loadFontkit()).create(bytes);
  // Ligatures off: one glyph per character keeps copied text and word widths simple.
  const pdfFont = await doc.embedFont(bytes, {
    subset: true,
    customName: `${tag}+${coverage.postscriptName ?? 'BeVietnamPro-Regular'}`,
    features: { liga: false, clig: false, dlig: false },
  });
  const supported = new Map<number, boolean>();
  const has = (cp: number): boolean => {
    let known = supported.get(cp);
    if (known === undefined) {
      known = coverage.hasGlyphForCodePoint(cp);
      supported.set(cp, known);
    }
    return known;
  };
  const heightEm = (coverage.ascent - coverage.descent) / coverage.unitsPerEm;
  return {
    pdfFont,
    resourceName: PDFName.of('OcrText'),
    encode: (text) => pdfFont.encodeText(text),
    widthAt1: (text) => pdfFont.widthOfTextAtSize(text, 1),
    heightEm: heightEm > 0 ? heightEm : 1.2,
    supported: (text) => [...text].filter((ch) => has(ch.codePointAt(0) ?? 0)).join(''),
  };
}

/** Info dictionary, XMP, output intent, language and the trailer's ID. */
async function describe(doc: PDFDocument, description: PdfDescription): Promise<void> {
  const createdAt = wholeSeconds(description.createdAt);
  const modifiedAt = wholeSeconds(description.modifiedAt);
  doc.setTitle(description.title, { showInWindowTitleBar: true });
  doc.setAuthor(description.author);
  doc.setSubject(description.subject);
  const keywords = keywordsText(description);
  if (keywords) doc.setKeywords([keywords]);
  doc.setCreator(description.creator);
  doc.setProducer(description.producer);
  doc.setCreationDate(createdAt);
  doc.setModificationDate(modifiedAt);
  doc.setLanguage('vi-VN');

  const { context, catalog } = doc;
  const info = context.lookup(context.trailerInfo.Info, PDFDict);
  for (const { key, info: infoKey } of FACT_FIELDS) {
    const value = description.facts[key];
    if (value !== null && value !== '') info.set(PDFName.of(infoKey), PDFHexString.fromText(String(value)));
  }

  const xmp = Buffer.from(buildXmp({ ...description, createdAt, modifiedAt }), 'utf8');
  // PDF/A: the metadata stream is not compressed, so any tool can find the packet.
  const metadata = context.stream(xmp, { Type: 'Metadata', Subtype: 'XML', Length: xmp.length });
  catalog.set(PDFName.of('Metadata'), context.register(metadata));

  const icc = context.flateStream(await srgbIccProfile(), { N: 3 });
  const outputIntent = context.obj({
    Type: 'OutputIntent',
    S: 'GTS_PDFA1',
    OutputConditionIdentifier: PDFString.of('sRGB IEC61966-2.1'),
    Info: PDFString.of('sRGB IEC61966-2.1'),
    RegistryName: PDFString.of('http://www.color.org'),
    DestOutputProfile: context.register(icc),
  });
  catalog.set(PDFName.of('OutputIntents'), context.obj([context.register(outputIntent)]));

  context.trailerInfo.ID = context.obj([
    PDFHexString.of(description.documentId.toUpperCase()),
    PDFHexString.of(description.instanceId.toUpperCase()),
  ]);
}

/**
 * The document outline (bookmarks), flat, in page order. Each item jumps with a destination, not
 * an action (PDF/A forbids most actions, and a reader needs none for this); titles are UTF-16
 * text strings so Vietnamese names show as written. The reader opens with the outline shown.
 */
function addOutline(doc: PDFDocument, entries: readonly OutlineEntry[]): void {
  const { context, catalog } = doc;
  const pages = doc.getPages();
  const usable = entries.filter((entry) => pages[entry.pageIndex] !== undefined);
  if (usable.length === 0) return;
  const rootRef = context.nextRef();
  const refs = usable.map(() => context.nextRef());
  usable.forEach((entry, i) => {
    const page = pages[entry.pageIndex];
    if (!page) return;
    const item = context.obj({
      Title: PDFHexString.fromText(entry.title),
      Parent: rootRef,
      Dest: [page.ref, 'Fit'],
    });
    const prev = refs[i - 1];
    const next = refs[i + 1];
    if (prev) item.set(PDFName.of('Prev'), prev);
    if (next) item.set(PDFName.of('Next'), next);
    const ref = refs[i];
    if (ref) context.assign(ref, item);
  });
  const first = refs[0];
  const last = refs.at(-1);
  if (!first || !last) return;
  context.assign(rootRef, context.obj({ Type: 'Outlines', First: first, Last: last, Count: refs.length }));
  catalog.set(PDFName.of('Outlines'), rootRef);
  catalog.set(PDFName.of('PageMode'), PDFName.of('UseOutlines'));
}

/**
 * pdf-lib embeds the TrueType program without Length1 (its uncompressed size), which the PDF
 * reference requires for FontFile2 and PDF/A validators check.
 */
function setFontProgramLengths(doc: PDFDocument, font: PDFFont): void {
  const { context } = doc;
  const type0 = context.lookup(font.ref, PDFDict);
  const descendants = type0.lookup(PDFName.of('DescendantFonts'), PDFArray);
  for (let i = 0; i < descendants.size(); i++) {
    const cidFont = descendants.lookup(i, PDFDict);
    const descriptor = cidFont.lookup(PDFName.of('FontDescriptor'), PDFDict);
    const programRef = descriptor.get(PDFName.of('FontFile2'));
    if (!(programRef instanceof PDFRef)) continue;
    const program = context.lookup(programRef);
    if (!(program instanceof PDFRawStream)) continue;
    const filter = program.dict.get(PDFName.of('Filter'));
    const raw = filter === PDFName.of('FlateDecode') ? inflateSync(program.contents) : program.contents;
    program.dict.set(PDFName.of('Length1'), PDFNumber.of(raw.length));
  }
}
