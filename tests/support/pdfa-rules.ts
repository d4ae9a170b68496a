/**
 * The PDF/A-2b rules SoHoa's PDFs are checked against here, since no validator (veraPDF) can be
 * installed on the build machines. Each finding is a short English sentence; an empty list
 * means every rule below holds. See electron/core/pdf/searchable-pdf.ts for the list.
 */
import { DOMParser } from '@xmldom/xmldom';
import {
  decodePDFRawStream,
  PDFArray,
  PDFBool,
  PDFDict,
  PDFDocument,
  PDFHexString,
  PDFName,
  PDFNumber,
  PDFRawStream,
  PDFRef,
  PDFStream,
  PDFString,
  type PDFObject,
} from 'pdf-lib';

const NS = {
  rdf: 'http://www.w3.org/1999/02/22-rdf-syntax-ns#',
  pdfaid: 'http://www.aiim.org/pdfa/ns/id/',
  dc: 'http://purl.org/dc/elements/1.1/',
  xmp: 'http://ns.adobe.com/xap/1.0/',
  pdf: 'http://ns.adobe.com/pdf/1.3/',
  xmpMM: 'http://ns.adobe.com/xap/1.0/mm/',
  pdfaExtension: 'http://www.aiim.org/pdfa/ns/extension/',
  pdfaSchema: 'http://www.aiim.org/pdfa/ns/schema#',
  pdfaProperty: 'http://www.aiim.org/pdfa/ns/property#',
  x: 'adobe:ns:meta/',
  xml: 'http://www.w3.org/XML/1998/namespace',
} as const;
/** Schemas PDF/A predefines (ISO 19005-2, 6.6.2.3.2): their properties need no extension schema. */
const PREDEFINED = new Set<string>(Object.values(NS));
const ALLOWED_IMAGE_FILTERS = new Set(['DCTDecode', 'FlateDecode', 'CCITTFaxDecode', 'JBIG2Decode', 'RunLengthDecode']);

export interface XmpFacts {
  /** Every simple property of the description, by `prefix:name` as written (e.g. `sohoa:ownerId`). */
  properties: Map<string, string>;
  /** namespace URI → local property names, for every property of a non-predefined schema */
  custom: Map<string, Set<string>>;
}

function text(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('utf8');
}

function elementsNS(doc: Document | Element, ns: string, local: string): Element[] {
  return Array.from(doc.getElementsByTagNameNS(ns, local) as unknown as ArrayLike<Element>);
}

function firstLi(doc: Document, ns: string, local: string): string | null {
  const element = elementsNS(doc, ns, local)[0];
  if (!element) return null;
  const li = elementsNS(element, NS.rdf, 'li')[0];
  return (li ?? element).textContent ?? null;
}

/** Parses an XMP packet strictly; throws on malformed XML. */
export function parseXmp(xmp: string): { doc: Document; facts: XmpFacts } {
  const errors: string[] = [];
  const doc = new DOMParser({
    errorHandler: {
      warning: () => undefined,
      error: (message: string) => errors.push(message),
      fatalError: (message: string) => errors.push(message),
    },
  }).parseFromString(xmp, 'application/xml') as unknown as Document;
  if (errors.length > 0) throw new Error(`XMP is not well-formed XML: ${errors[0]}`);
  const properties = new Map<string, string>();
  const custom = new Map<string, Set<string>>();
  for (const description of elementsNS(doc, NS.rdf, 'Description')) {
    for (const child of Array.from(description.childNodes as unknown as ArrayLike<Node>)) {
      if (child.nodeType !== 1) continue;
      const element = child as Element;
      const ns = element.namespaceURI ?? '';
      if (!PREDEFINED.has(ns)) {
        const names = custom.get(ns) ?? new Set<string>();
        names.add(element.localName);
        custom.set(ns, names);
      }
      if (element.childNodes.length === 1 && element.firstChild?.nodeType === 3) {
        properties.set(element.tagName, element.textContent ?? '');
      }
    }
  }
  return { doc, facts: { properties, custom } };
}

/** The raw XMP packet of a PDF (the catalog's Metadata stream). */
export async function readXmp(bytes: Uint8Array): Promise<string | null> {
  const pdf = await PDFDocument.load(bytes, { updateMetadata: false });
  const metadata = pdf.catalog.lookup(PDFName.of('Metadata'));
  return metadata instanceof PDFRawStream ? text(decodePDFRawStream(metadata).decode()) : null;
}

function nameOf(value: PDFObject | undefined): string | null {
  return value instanceof PDFName ? value.decodeText() : null;
}

function filtersOf(dict: PDFDict): string[] {
  const filter = dict.get(PDFName.of('Filter'));
  if (filter instanceof PDFName) return [filter.decodeText()];
  if (filter instanceof PDFArray) return filter.asArray().map((f) => nameOf(f) ?? '?');
  return [];
}

function stringOf(value: PDFObject | undefined): string | null {
  return value instanceof PDFHexString || value instanceof PDFString ? value.decodeText() : null;
}

export async function pdfaViolations(bytes: Uint8Array): Promise<string[]> {
  const problems: string[] = [];
  const head = Buffer.from(bytes.subarray(0, 32));
  if (!/^%PDF-1\.[4-7]\r?\n/.test(head.toString('latin1'))) problems.push('header is not %PDF-1.4..1.7');
  const secondLine = head.subarray(head.indexOf(0x0a) + 1);
  if (secondLine[0] !== 0x25 || [...secondLine.subarray(1, 5)].some((b) => b < 128)) {
    problems.push('no binary comment (4 bytes > 127) after the header');
  }

  const pdf = await PDFDocument.load(bytes, { updateMetadata: false, ignoreEncryption: true });
  const { context, catalog } = pdf;
  if (pdf.isEncrypted || context.trailerInfo.Encrypt) problems.push('the file is encrypted');
  const id = context.trailerInfo.ID;
  const idArray = id instanceof PDFArray ? id : null;
  if (
    !idArray ||
    idArray.size() !== 2 ||
    !idArray.asArray().every((s) => s instanceof PDFHexString || s instanceof PDFString)
  ) {
    problems.push('the trailer has no ID of two strings');
  }

  // XMP
  const metadata = catalog.lookup(PDFName.of('Metadata'));
  if (!(metadata instanceof PDFRawStream)) {
    problems.push('the catalog has no Metadata stream');
  } else {
    if (filtersOf(metadata.dict).length > 0) problems.push('the Metadata stream is filtered');
    if (nameOf(metadata.dict.get(PDFName.of('Subtype'))) !== 'XML') problems.push('Metadata Subtype is not XML');
    try {
      const { doc, facts } = parseXmp(text(metadata.contents));
      if (facts.properties.get('pdfaid:part') !== '2') problems.push('pdfaid:part is not 2');
      if (facts.properties.get('pdfaid:conformance') !== 'B') problems.push('pdfaid:conformance is not B');
      const pairs: [string, string | undefined, string | null][] = [
        ['Title', pdf.getTitle(), firstLi(doc, NS.dc, 'title')],
        ['Author', pdf.getAuthor(), firstLi(doc, NS.dc, 'creator')],
        ['Subject', pdf.getSubject(), firstLi(doc, NS.dc, 'description')],
        ['Keywords', pdf.getKeywords(), facts.properties.get('pdf:Keywords') ?? null],
        ['Creator', pdf.getCreator(), facts.properties.get('xmp:CreatorTool') ?? null],
        ['Producer', pdf.getProducer(), facts.properties.get('pdf:Producer') ?? null],
      ];
      for (const [key, info, xmp] of pairs) {
        if ((info ?? null) !== xmp) problems.push(`Info ${key} differs from its XMP twin`);
      }
      const dates: [string, Date | undefined, string | undefined][] = [
        ['CreationDate', pdf.getCreationDate(), facts.properties.get('xmp:CreateDate')],
        ['ModDate', pdf.getModificationDate(), facts.properties.get('xmp:ModifyDate')],
      ];
      for (const [key, info, xmp] of dates) {
        if (info?.getTime() !== (xmp ? new Date(xmp).getTime() : undefined)) {
          problems.push(`Info ${key} differs from its XMP twin`);
        }
      }
      // Every property outside the predefined schemas is described by an extension schema.
      const described = new Map<string, Set<string>>();
      for (const schema of elementsNS(doc, NS.pdfaExtension, 'schemas').flatMap((s) => elementsNS(s, NS.rdf, 'li'))) {
        const uri = elementsNS(schema, NS.pdfaSchema, 'namespaceURI')[0]?.textContent;
        if (!uri) continue;
        const names = new Set(elementsNS(schema, NS.pdfaProperty, 'name').map((n) => n.textContent ?? ''));
        described.set(uri, names);
      }
      for (const [uri, names] of facts.custom) {
        for (const name of names) {
          if (!described.get(uri)?.has(name)) problems.push(`XMP property ${name} (${uri}) has no extension schema`);
        }
      }
    } catch (error) {
      problems.push(error instanceof Error ? error.message : 'XMP cannot be parsed');
    }
  }

  // Output intent with an embedded RGB profile.
  const intents = catalog.lookup(PDFName.of('OutputIntents'));
  if (!(intents instanceof PDFArray) || intents.size() === 0) {
    problems.push('no OutputIntents');
  } else {
    const profiles = new Set<string>();
    for (let i = 0; i < intents.size(); i++) {
      const intent = intents.lookup(i, PDFDict);
      if (nameOf(intent.get(PDFName.of('S'))) !== 'GTS_PDFA1') problems.push('an OutputIntent is not GTS_PDFA1');
      if (!stringOf(intent.get(PDFName.of('OutputConditionIdentifier'))))
        problems.push('an OutputIntent has no OutputConditionIdentifier');
      const profileRef = intent.get(PDFName.of('DestOutputProfile'));
      const profile = profileRef instanceof PDFRef ? context.lookup(profileRef) : undefined;
      if (!(profile instanceof PDFRawStream)) {
        problems.push('an OutputIntent has no embedded ICC profile');
        continue;
      }
      profiles.add(profileRef instanceof PDFRef ? profileRef.toString() : '?');
      const icc = Buffer.from(decodePDFRawStream(profile).decode());
      const n = profile.dict.get(PDFName.of('N'));
      if (!(n instanceof PDFNumber) || n.asNumber() !== 3) problems.push('the output profile is not N 3');
      if (icc.toString('latin1', 36, 40) !== 'acsp' || icc.toString('latin1', 16, 20) !== 'RGB ') {
        problems.push('the output profile is not an RGB ICC profile');
      }
    }
    if (profiles.size > 1) problems.push('OutputIntents use different profiles');
  }

  const names = catalog.lookup(PDFName.of('Names'));
  if (names instanceof PDFDict && (names.has(PDFName.of('JavaScript')) || names.has(PDFName.of('EmbeddedFiles')))) {
    problems.push('the catalog names JavaScript or embedded files');
  }
  if (catalog.has(PDFName.of('OpenAction'))) problems.push('the catalog has an OpenAction');

  for (const [, object] of context.enumerateIndirectObjects()) {
    const dict = object instanceof PDFDict ? object : object instanceof PDFStream ? object.dict : null;
    if (!dict) continue;
    const type = nameOf(dict.get(PDFName.of('Type')));
    const subtype = nameOf(dict.get(PDFName.of('Subtype')));
    if (dict.has(PDFName.of('JS')) || nameOf(dict.get(PDFName.of('S'))) === 'JavaScript')
      problems.push('JavaScript action found');
    if (dict.has(PDFName.of('AA'))) problems.push('additional actions (AA) found');
    if (filtersOf(dict).includes('LZWDecode')) problems.push('LZW-compressed stream found');
    if (type === 'Font') {
      if (subtype === 'Type0') {
        const descendants = dict.lookup(PDFName.of('DescendantFonts'), PDFArray);
        for (let i = 0; i < descendants.size(); i++)
          checkFontProgram(descendants.lookup(i, PDFDict), problems, context);
      } else if (subtype !== 'Type3') {
        checkFontProgram(dict, problems, context);
      }
    }
    if (subtype === 'Image') {
      for (const filter of filtersOf(dict))
        if (!ALLOWED_IMAGE_FILTERS.has(filter)) problems.push(`image filter ${filter} not allowed`);
      const interpolate = dict.get(PDFName.of('Interpolate'));
      if (interpolate instanceof PDFBool && interpolate.asBoolean()) problems.push('an image asks for interpolation');
      if (dict.has(PDFName.of('Alternates')) || dict.has(PDFName.of('OPI')))
        problems.push('an image has Alternates or OPI');
      if (dict.has(PDFName.of('SMask'))) problems.push('an image has a soft mask (transparency)');
    }
    if (type === 'Page') {
      const annots = dict.lookup(PDFName.of('Annots'));
      if (annots instanceof PDFArray && annots.size() > 0) problems.push('a page has annotations');
      if (dict.has(PDFName.of('Group'))) problems.push('a page has a transparency group');
    }
  }
  for (const page of pdf.getPages()) {
    const { width, height } = page.getMediaBox();
    if (width < 3 || height < 3 || width > 14_400 || height > 14_400) problems.push('a page is outside 3..14400 units');
  }
  return problems;
}

function checkFontProgram(font: PDFDict, problems: string[], context: PDFDocument['context']): void {
  const descriptor = font.lookup(PDFName.of('FontDescriptor'));
  if (!(descriptor instanceof PDFDict)) {
    problems.push('a font has no descriptor (not embedded)');
    return;
  }
  const file2 = descriptor.get(PDFName.of('FontFile2'));
  const embedded = ['FontFile', 'FontFile2', 'FontFile3'].some((key) => descriptor.has(PDFName.of(key)));
  if (!embedded) problems.push('a font is not embedded');
  if (file2 instanceof PDFRef) {
    const program = context.lookup(file2);
    if (!(program instanceof PDFRawStream) || !(program.dict.get(PDFName.of('Length1')) instanceof PDFNumber)) {
      problems.push('a TrueType font program has no Length1');
    }
  }
}
