/**
 * A small RFC 4180 reader for catalog files exported from spreadsheets: comma or semicolon (Excel
 * in a Vietnamese locale writes semicolons), quoted fields with doubled quotes and line breaks
 * inside, CRLF or LF. Each record keeps the line it starts on, so errors can name it.
 */

export type CsvDelimiter = ',' | ';';

export interface CsvRecord {
  /** 1-based line of the file where the record starts. */
  line: number;
  fields: string[];
}

export class CsvSyntaxError extends Error {
  constructor(
    readonly line: number,
    readonly kind: 'unclosedQuote' | 'textAfterQuote',
  ) {
    super(`CSV syntax error on line ${line}: ${kind}`);
  }
}

/** The delimiter of the header line: whichever of `,` and `;` occurs more outside quotes. */
export function detectDelimiter(text: string): CsvDelimiter {
  let commas = 0;
  let semicolons = 0;
  let quoted = false;
  for (const char of text) {
    if (char === '"') quoted = !quoted;
    else if (!quoted && (char === '\n' || char === '\r')) break;
    else if (!quoted && char === ',') commas++;
    else if (!quoted && char === ';') semicolons++;
  }
  return semicolons > commas ? ';' : ',';
}

/** Splits CSV text into records; blank lines are skipped. Throws CsvSyntaxError. */
export function parseCsv(text: string, delimiter: CsvDelimiter): CsvRecord[] {
  const records: CsvRecord[] = [];
  let fields: string[] = [];
  let field = '';
  /** The current field began with a quote (so `""` is an empty value, not nothing). */
  let quotedField = false;
  let line = 1;
  let recordLine = 1;
  let i = 0;

  const endRecord = () => {
    fields.push(field);
    const blank = fields.length === 1 && field === '' && !quotedField;
    if (!blank) records.push({ line: recordLine, fields });
    fields = [];
    field = '';
    quotedField = false;
  };

  while (i < text.length) {
    const char = text[i];
    if (char === '"' && field === '' && !quotedField) {
      // A quoted field: up to the closing quote; "" is one quote.
      const openedOn = line;
      quotedField = true;
      i++;
      for (;;) {
        if (i >= text.length) throw new CsvSyntaxError(openedOn, 'unclosedQuote');
        const c = text[i];
        if (c === '"') {
          if (text[i + 1] === '"') {
            field += '"';
            i += 2;
            continue;
          }
          i++;
          break;
        }
        if (c === '\r' && text[i + 1] === '\n') {
          i++;
          continue;
        }
        if (c === '\n') line++;
        field += c;
        i++;
      }
      // Only spaces may follow the closing quote before the delimiter or the end of the line.
      while (text[i] === ' ' || text[i] === '\t') i++;
      const next = text[i];
      if (next !== undefined && next !== delimiter && next !== '\n' && next !== '\r') {
        throw new CsvSyntaxError(line, 'textAfterQuote');
      }
      continue;
    }
    if (char === delimiter) {
      fields.push(field);
      field = '';
      quotedField = false;
      i++;
      continue;
    }
    if (char === '\r' || char === '\n') {
      endRecord();
      if (char === '\r' && text[i + 1] === '\n') i++;
      i++;
      line++;
      recordLine = line;
      continue;
    }
    field += char;
    i++;
  }
  if (field !== '' || fields.length > 0 || quotedField) endRecord();
  return records;
}

/** Spreadsheet column letters for a 0-based index: 0 → A, 25 → Z, 26 → AA. */
export function columnLetter(index: number): string {
  let n = index + 1;
  let out = '';
  while (n > 0) {
    const rem = (n - 1) % 26;
    out = String.fromCharCode(65 + rem) + out;
    n = Math.floor((n - 1) / 26);
  }
  return out;
}
