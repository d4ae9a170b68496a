/**
 * What a digitized document says about itself (DOMAIN.md, "What a digitized document carries"),
 * written twice: in the PDF's document information dictionary and in its XMP packet, where PDF/A
 * wants it, with an extension schema that describes SoHoa's own properties.
 */

/** SoHoa's XMP namespace: a name only, never fetched. */
export const SOHOA_XMP_NS = 'http://ns.sohoa.vn/xmp/document/1.0/';
export const SOHOA_XMP_PREFIX = 'sohoa';

/** The digitization facts, by XMP property name. Null: not known (yet). */
export interface DigitizedFacts {
  /** The owner's 12-digit personal ID number. */
  ownerId: string | null;
  ownerName: string | null;
  dossierCode: string | null;
  procedureCode: string | null;
  procedureName: string | null;
  /** Document type code (ID card, birth certificate ...), once the clerk has set it. */
  documentType: string | null;
  /** Who digitized it: the clerk's account once accounts exist; until then the app and workstation. */
  digitizedBy: string;
  /** When it was digitized (scanned and stored), ISO 8601. */
  digitizedAt: string;
  unitName: string | null;
  unitCode: string | null;
  /** SoHoa's id of the document, or of the dossier for a whole-dossier PDF. */
  sourceId: string;
  pageCount: number;
}

/** XMP property names and the Info dictionary's keys for them, with what each means. */
export const FACT_FIELDS: readonly { key: keyof DigitizedFacts; info: string; description: string }[] = [
  { key: 'ownerId', info: 'SoHoaOwnerId', description: "Owner's personal ID number (so dinh danh ca nhan)" },
  { key: 'ownerName', info: 'SoHoaOwnerName', description: "Owner's full name" },
  { key: 'dossierCode', info: 'SoHoaDossierCode', description: 'Dossier code (ma ho so)' },
  { key: 'procedureCode', info: 'SoHoaProcedureCode', description: 'Administrative procedure code (ma TTHC)' },
  { key: 'procedureName', info: 'SoHoaProcedureName', description: 'Administrative procedure name' },
  { key: 'documentType', info: 'SoHoaDocumentType', description: 'Document type code' },
  { key: 'digitizedBy', info: 'SoHoaDigitizedBy', description: 'Who digitized the document' },
  { key: 'digitizedAt', info: 'SoHoaDigitizedAt', description: 'When the document was digitized (ISO 8601)' },
  { key: 'unitName', info: 'SoHoaUnitName', description: 'Receiving unit' },
  { key: 'unitCode', info: 'SoHoaUnitCode', description: 'Receiving agency code' },
  { key: 'sourceId', info: 'SoHoaSourceId', description: 'SoHoa identifier of the document or dossier' },
  { key: 'pageCount', info: 'SoHoaPageCount', description: 'Number of scanned pages' },
];

export interface PdfDescription {
  title: string;
  /** Info /Author and dc:creator: the unit that holds the digitized copy. */
  author: string;
  /** Info /Subject and dc:description. */
  subject: string;
  /** Info /Keywords and pdf:Keywords, joined with "; ". */
  keywords: string[];
  creator: string;
  producer: string;
  /** Whole seconds: PDF dates have no fractions, and the Info and XMP dates must be equal. */
  createdAt: Date;
  modifiedAt: Date;
  /** Stable per document (xmpMM:DocumentID and the trailer's first ID), 32 hex digits. */
  documentId: string;
  /** This rendition (xmpMM:InstanceID and the trailer's second ID), 32 hex digits. */
  instanceId: string;
  facts: DigitizedFacts;
}

export function keywordsText(description: PdfDescription): string {
  return description.keywords.filter((k) => k !== '').join('; ');
}

/** A Date without its milliseconds. */
export function wholeSeconds(date: Date): Date {
  return new Date(Math.floor(date.getTime() / 1000) * 1000);
}

/** XMP date: ISO 8601 in UTC, whole seconds (matches the Info dictionary's D:YYYYMMDDHHmmSSZ). */
export function xmpDate(date: Date): string {
  return wholeSeconds(date).toISOString().replace('.000Z', 'Z');
}

function uuidOf(hex32: string): string {
  return `uuid:${hex32.slice(0, 8)}-${hex32.slice(8, 12)}-${hex32.slice(12, 16)}-${hex32.slice(16, 20)}-${hex32.slice(20, 32)}`;
}

function xml(text: string): string {
  return (
    text
      // Characters XML 1.0 cannot carry at all (OCR text may hold a stray control character).
      // eslint-disable-next-line no-control-regex
      .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g, '')
      .replace(/&/g, '&amp;')
      .replace(/</g, '&lt;')
      .replace(/>/g, '&gt;')
      .replace(/"/g, '&quot;')
  );
}

/** The XMP packet: PDF/A-2B identification, Dublin Core and PDF properties, SoHoa's facts. */
export function buildXmp(description: PdfDescription): string {
  const { facts } = description;
  const factLines = FACT_FIELDS.flatMap(({ key }) => {
    const value = facts[key];
    return value === null || value === '' ? [] : [`   <sohoa:${key}>${xml(String(value))}</sohoa:${key}>`];
  });
  const schemaProperties = FACT_FIELDS.map(
    ({ key, description: meaning }) => `        <rdf:li rdf:parseType="Resource">
         <pdfaProperty:name>${key}</pdfaProperty:name>
         <pdfaProperty:valueType>${key === 'pageCount' ? 'Integer' : 'Text'}</pdfaProperty:valueType>
         <pdfaProperty:category>external</pdfaProperty:category>
         <pdfaProperty:description>${xml(meaning)}</pdfaProperty:description>
        </rdf:li>`,
  ).join('\n');
  const keywords = keywordsText(description);
  return `<?xpacket begin="\uFEFF" id="W5M0MpCehiHzreSzNTczkc9d"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/">
 <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
  <rdf:Description rdf:about=""
    xmlns:pdfaid="http://www.aiim.org/pdfa/ns/id/"
    xmlns:dc="http://purl.org/dc/elements/1.1/"
    xmlns:xmp="http://ns.adobe.com/xap/1.0/"
    xmlns:pdf="http://ns.adobe.com/pdf/1.3/"
    xmlns:xmpMM="http://ns.adobe.com/xap/1.0/mm/"
    xmlns:pdfaExtension="http://www.aiim.org/pdfa/ns/extension/"
    xmlns:pdfaSchema="http://www.aiim.org/pdfa/ns/schema#"
    xmlns:pdfaProperty="http://www.aiim.org/pdfa/ns/property#"
    xmlns:${SOHOA_XMP_PREFIX}="${SOHOA_XMP_NS}">
   <pdfaid:part>2</pdfaid:part>
   <pdfaid:conformance>B</pdfaid:conformance>
   <dc:format>application/pdf</dc:format>
   <dc:title><rdf:Alt><rdf:li xml:lang="x-default">${xml(description.title)}</rdf:li></rdf:Alt></dc:title>
   <dc:creator><rdf:Seq><rdf:li>${xml(description.author)}</rdf:li></rdf:Seq></dc:creator>
   <dc:description><rdf:Alt><rdf:li xml:lang="x-default">${xml(description.subject)}</rdf:li></rdf:Alt></dc:description>
   <dc:language><rdf:Bag><rdf:li>vi</rdf:li></rdf:Bag></dc:language>
${keywords ? `   <pdf:Keywords>${xml(keywords)}</pdf:Keywords>\n` : ''}   <pdf:Producer>${xml(description.producer)}</pdf:Producer>
   <xmp:CreatorTool>${xml(description.creator)}</xmp:CreatorTool>
   <xmp:CreateDate>${xmpDate(description.createdAt)}</xmp:CreateDate>
   <xmp:ModifyDate>${xmpDate(description.modifiedAt)}</xmp:ModifyDate>
   <xmp:MetadataDate>${xmpDate(description.modifiedAt)}</xmp:MetadataDate>
   <xmpMM:DocumentID>${uuidOf(description.documentId)}</xmpMM:DocumentID>
   <xmpMM:InstanceID>${uuidOf(description.instanceId)}</xmpMM:InstanceID>
${factLines.join('\n')}
   <pdfaExtension:schemas>
    <rdf:Bag>
     <rdf:li rdf:parseType="Resource">
      <pdfaSchema:schema>SoHoa digitized document</pdfaSchema:schema>
      <pdfaSchema:namespaceURI>${SOHOA_XMP_NS}</pdfaSchema:namespaceURI>
      <pdfaSchema:prefix>${SOHOA_XMP_PREFIX}</pdfaSchema:prefix>
      <pdfaSchema:property>
       <rdf:Seq>
${schemaProperties}
       </rdf:Seq>
      </pdfaSchema:property>
     </rdf:li>
    </rdf:Bag>
   </pdfaExtension:schemas>
  </rdf:Description>
 </rdf:RDF>
</x:xmpmeta>
<?xpacket end="w"?>`;
}
