/**
 * Reads a procedure catalog file (CSV or JSON) into checked entries, or refuses it with every
 * problem located by row and column (CSV) or by procedure and field (JSON), in Vietnamese with an
 * English twin. Nothing here touches the database: a refused file changes nothing.
 *
 * CSV: one row per component, the procedure's columns repeated (or left empty) on its rows, which
 * is what a spreadsheet exports. Headers are matched without diacritics or case, in Vietnamese or
 * English: ma_thu_tuc, ten_thu_tuc, linh_vuc, cap_thuc_hien, ket_qua_giay, so_ngay_xu_ly,
 * ma_thanh_phan, ten_thanh_phan, ma_loai_giay_to, bat_buoc (optional), loai_giay_to_ket_qua
 * (optional). A procedure without components has one row with the component columns empty.
 *
 * JSON: `{ "procedures": [{ code, name, field, level, resultOnPaper, processingDays,
 * resultDocType?, components: [{ code, name, docType, required? }] }] }` or the bare array.
 */
import { AppFailure } from '../../../shared/api/errors';
import { isProcedureCode } from '../../../shared/domain/codes';
import { foldText } from '../../../shared/domain/fold';
import { MAX_PROCESSING_DAYS } from '../../../shared/domain/working-days';
import { columnLetter, CsvSyntaxError, detectDelimiter, parseCsv, type CsvRecord } from './csv';

export interface CatalogComponentEntry {
  code: string;
  name: string;
  docType: string;
  required: boolean;
}

export interface CatalogEntry {
  code: string;
  name: string;
  field: string;
  level: string;
  resultOnPaper: boolean;
  processingDays: number;
  resultDocType: string | null;
  components: CatalogComponentEntry[];
}

export interface ParsedCatalog {
  procedures: CatalogEntry[];
  /** The file says it is the starter sample (JSON `"sample": true`). */
  sample: boolean;
}

export const MAX_CATALOG_BYTES = 20 * 1024 * 1024;
const MAX_PROCEDURES = 10_000;
const MAX_COMPONENTS = 200;
/** Problems listed in one refusal; the rest are counted. */
const MAX_LISTED = 8;

interface Problem {
  vi: string;
  en: string;
}

class Problems {
  readonly list: Problem[] = [];
  add(vi: string, en: string): void {
    this.list.push({ vi, en });
  }
  get any(): boolean {
    return this.list.length > 0;
  }
  /** Enough problems already: stop reading a badly broken file. */
  get full(): boolean {
    return this.list.length >= 200;
  }
  throwIfAny(): void {
    if (!this.any) return;
    const shown = this.list.slice(0, MAX_LISTED);
    const more = this.list.length - shown.length;
    throw new AppFailure(
      'VALIDATION',
      `Tệp danh mục có lỗi nên chưa nhập gì: ${shown.map((p) => p.vi).join('; ')}${more > 0 ? `; và ${more} lỗi khác` : ''}.`,
      `The catalog file has errors, nothing was imported: ${shown.map((p) => p.en).join('; ')}${more > 0 ? `; and ${more} more` : ''}.`,
      'file',
    );
  }
}

function refuse(vi: string, en: string): never {
  throw new AppFailure('VALIDATION', vi, en, 'file');
}

/** Shows a user's value inside a message, shortened (a catalog holds no personal data). */
function shown(value: string): string {
  const flat = value.replace(/\s+/g, ' ').trim();
  return flat.length > 40 ? `${flat.slice(0, 39)}…` : flat;
}

// ---------------------------------------------------------------------------------------------
// Decoding

/** UTF-8 with or without BOM, NFC; anything else is refused with how to fix it. */
export function decodeCatalogText(bytes: Uint8Array): string {
  if (bytes.length > MAX_CATALOG_BYTES) {
    refuse('Tệp danh mục quá lớn (tối đa 20 MB).', 'The catalog file is too large (20 MB at most).');
  }
  if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff)) {
    refuse(
      'Tệp được lưu dạng UTF-16 (“Unicode Text”). Hãy lưu lại dạng “CSV UTF-8” rồi nhập lại.',
      'The file is saved as UTF-16 (“Unicode Text”). Save it as “CSV UTF-8” and import it again.',
    );
  }
  const body = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? bytes.subarray(3) : bytes;
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(body);
  } catch {
    refuse(
      'Tệp không phải mã UTF-8 (có thể là Windows-1258 hoặc TCVN3). Hãy lưu lại dạng “CSV UTF-8” rồi nhập lại.',
      'The file is not UTF-8 (perhaps Windows-1258 or TCVN3). Save it as “CSV UTF-8” and import it again.',
    );
  }
  return text.normalize('NFC');
}

/** CSV or JSON, by the file name, else by the first character. */
export function parseCatalogFile(bytes: Uint8Array, fileName: string): ParsedCatalog {
  const text = decodeCatalogText(bytes);
  const lower = fileName.toLowerCase();
  const looksJson = /^\s*[[{]/.test(text);
  if (lower.endsWith('.json') || (!lower.endsWith('.csv') && !lower.endsWith('.txt') && looksJson)) {
    return parseCatalogJson(text);
  }
  return parseCatalogCsv(text);
}

// ---------------------------------------------------------------------------------------------
// Field rules, shared by both formats. Each returns the clean value or null after adding a problem.

interface Where {
  vi: string;
  en: string;
}

type Raw = unknown;

function asText(raw: Raw): string | null {
  if (raw === undefined || raw === null) return '';
  // A spreadsheet cell may hold line breaks (Alt+Enter): names are shown on one line.
  if (typeof raw === 'string') return raw.replace(/\s+/g, ' ').trim();
  if (typeof raw === 'number' && Number.isFinite(raw)) return String(raw);
  return null;
}

function problemAt(problems: Problems, where: Where, vi: string, en: string): null {
  problems.add(`${where.vi}: ${vi}`, `${where.en}: ${en}`);
  return null;
}

function requiredText(problems: Problems, where: Where, raw: Raw, max: number): string | null {
  const text = asText(raw);
  if (text === null) return problemAt(problems, where, 'phải là chữ', 'must be text');
  if (text === '') return problemAt(problems, where, 'thiếu giá trị', 'value missing');
  if (text.length > max) return problemAt(problems, where, `dài quá ${max} ký tự`, `longer than ${max} characters`);
  return text;
}

function optionalText(problems: Problems, where: Where, raw: Raw, max: number): string | null {
  const text = asText(raw);
  if (text === null) return problemAt(problems, where, 'phải là chữ', 'must be text');
  if (text.length > max) return problemAt(problems, where, `dài quá ${max} ký tự`, `longer than ${max} characters`);
  return text;
}

function procedureCode(problems: Problems, where: Where, raw: Raw): string | null {
  const text = requiredText(problems, where, raw, 32);
  if (text === null) return null;
  if (!isProcedureCode(text)) {
    return problemAt(
      problems,
      where,
      `mã thủ tục “${shown(text)}” không đúng dạng d.dddddd (ví dụ 1.001193)`,
      `procedure code “${shown(text)}” is not of the form d.dddddd (e.g. 1.001193)`,
    );
  }
  return text;
}

function processingDays(problems: Problems, where: Where, raw: Raw): number | null {
  const text = asText(raw);
  if (text === '') return problemAt(problems, where, 'thiếu số ngày xử lý', 'processing days missing');
  const value = text !== null && /^\d{1,4}$/.test(text) ? Number(text) : NaN;
  if (!Number.isInteger(value) || value > MAX_PROCESSING_DAYS) {
    return problemAt(
      problems,
      where,
      `số ngày xử lý phải là số nguyên từ 0 đến ${MAX_PROCESSING_DAYS} (đang là “${shown(String(raw))}”)`,
      `processing days must be a whole number from 0 to ${MAX_PROCESSING_DAYS} (got “${shown(String(raw))}”)`,
    );
  }
  return value;
}

const YES = new Set(['co', 'c', 'yes', 'y', 'true', '1', 'x']);
const NO = new Set(['khong', 'k', 'ko', 'no', 'n', 'false', '0']);

function yesNo(problems: Problems, where: Where, raw: Raw, whenEmpty: boolean | null): boolean | null {
  if (typeof raw === 'boolean') return raw;
  const text = asText(raw);
  const folded = text === null ? null : foldText(text);
  if (folded === '' && whenEmpty !== null) return whenEmpty;
  if (folded !== null && YES.has(folded)) return true;
  if (folded !== null && NO.has(folded)) return false;
  return problemAt(
    problems,
    where,
    folded === '' ? 'thiếu giá trị “có” hoặc “không”' : `phải là “có” hoặc “không” (đang là “${shown(String(raw))}”)`,
    folded === ''
      ? 'value missing (“có” or “không”)'
      : `must be “có” (yes) or “không” (no) (got “${shown(String(raw))}”)`,
  );
}

const DOC_TYPE = /^[a-z0-9]+(?:[-_.][a-z0-9]+)*$/;

function docType(problems: Problems, where: Where, raw: Raw, required: boolean): string | null {
  const text = asText(raw);
  if (text === '' && !required) return '';
  const value = requiredText(problems, where, raw, 48)?.toLowerCase() ?? null;
  if (value === null) return null;
  if (!DOC_TYPE.test(value)) {
    return problemAt(
      problems,
      where,
      `mã loại giấy tờ “${shown(value)}” chỉ được gồm chữ không dấu, số và dấu “-” (ví dụ giay-khai-sinh)`,
      `document-type code “${shown(value)}” may hold only unaccented letters, digits and “-” (e.g. giay-khai-sinh)`,
    );
  }
  return value;
}

const COMPONENT_CODE = /^[A-Za-z0-9][A-Za-z0-9._-]{0,31}$/;

function componentCode(problems: Problems, where: Where, raw: Raw): string | null {
  const text = requiredText(problems, where, raw, 32);
  if (text === null) return null;
  if (!COMPONENT_CODE.test(text)) {
    return problemAt(
      problems,
      where,
      `mã thành phần “${shown(text)}” chỉ được gồm chữ không dấu, số, “.”, “-”, “_”`,
      `component code “${shown(text)}” may hold only unaccented letters, digits, “.”, “-”, “_”`,
    );
  }
  return text;
}

// ---------------------------------------------------------------------------------------------
// CSV

type ColumnKey =
  | 'code'
  | 'name'
  | 'field'
  | 'level'
  | 'resultOnPaper'
  | 'processingDays'
  | 'resultDocType'
  | 'componentCode'
  | 'componentName'
  | 'docType'
  | 'required';

const COLUMNS: Record<ColumnKey, { aliases: readonly string[]; required: boolean }> = {
  code: { aliases: ['ma_thu_tuc', 'ma_tthc', 'ma_thu_tuc_hanh_chinh', 'procedure_code', 'code'], required: true },
  name: { aliases: ['ten_thu_tuc', 'ten_tthc', 'ten_thu_tuc_hanh_chinh', 'procedure_name', 'name'], required: true },
  field: { aliases: ['linh_vuc', 'field'], required: false },
  level: { aliases: ['cap_thuc_hien', 'cap', 'level'], required: false },
  resultOnPaper: { aliases: ['ket_qua_giay', 'ket_qua_ban_giay', 'result_on_paper'], required: true },
  processingDays: {
    aliases: ['so_ngay_xu_ly', 'so_ngay_giai_quyet', 'thoi_han_giai_quyet', 'processing_days'],
    required: true,
  },
  resultDocType: { aliases: ['loai_giay_to_ket_qua', 'ma_loai_ket_qua', 'result_doc_type'], required: false },
  componentCode: { aliases: ['ma_thanh_phan', 'component_code'], required: true },
  componentName: { aliases: ['ten_thanh_phan', 'thanh_phan_ho_so', 'component_name'], required: true },
  docType: { aliases: ['ma_loai_giay_to', 'loai_giay_to', 'doc_type', 'document_type'], required: true },
  required: { aliases: ['bat_buoc', 'required'], required: false },
};

const PROCEDURE_COLUMNS = ['name', 'field', 'level', 'resultOnPaper', 'processingDays', 'resultDocType'] as const;

function headerKey(header: string): string {
  return foldText(header)
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '');
}

interface CsvProcedure {
  entry: CatalogEntry;
  /** For each procedure column, the line its value came from. */
  lineOf: Partial<Record<(typeof PROCEDURE_COLUMNS)[number], number>>;
  componentLines: Map<string, number>;
}

export function parseCatalogCsv(text: string): ParsedCatalog {
  let records: CsvRecord[];
  try {
    records = parseCsv(text, detectDelimiter(text));
  } catch (error) {
    if (!(error instanceof CsvSyntaxError)) throw error;
    return refuse(
      error.kind === 'unclosedQuote'
        ? `Tệp danh mục có lỗi nên chưa nhập gì: dòng ${error.line}: dấu ngoặc kép (") mở mà không đóng.`
        : `Tệp danh mục có lỗi nên chưa nhập gì: dòng ${error.line}: có chữ sau dấu ngoặc kép đóng.`,
      error.kind === 'unclosedQuote'
        ? `The catalog file has errors, nothing was imported: line ${error.line}: a quote (") is opened and never closed.`
        : `The catalog file has errors, nothing was imported: line ${error.line}: text after a closing quote.`,
    );
  }
  const [header, ...rows] = records;
  if (!header) return refuse('Tệp danh mục trống.', 'The catalog file is empty.');

  const problems = new Problems();
  const columnOf = new Map<ColumnKey, number>();
  header.fields.forEach((title, index) => {
    const key = headerKey(title);
    const column = (Object.keys(COLUMNS) as ColumnKey[]).find((k) => COLUMNS[k].aliases.includes(key));
    if (!column) return;
    if (columnOf.has(column)) {
      problems.add(
        `Dòng ${header.line}, cột ${columnLetter(index)}: cột “${shown(title)}” bị lặp`,
        `Line ${header.line}, column ${columnLetter(index)}: column “${shown(title)}” appears twice`,
      );
      return;
    }
    columnOf.set(column, index);
  });
  for (const [key, spec] of Object.entries(COLUMNS) as [ColumnKey, (typeof COLUMNS)[ColumnKey]][]) {
    if (spec.required && !columnOf.has(key)) {
      problems.add(
        `Dòng ${header.line} (tiêu đề): thiếu cột “${spec.aliases[0]}”`,
        `Line ${header.line} (header): column “${spec.aliases[0]}” is missing`,
      );
    }
  }
  problems.throwIfAny();

  const at = (line: number, key: ColumnKey): Where => {
    const index = columnOf.get(key) ?? 0;
    const title = shown(header.fields[index] ?? '');
    return {
      vi: `Dòng ${line}, cột “${title}” (${columnLetter(index)})`,
      en: `Line ${line}, column “${title}” (${columnLetter(index)})`,
    };
  };
  const procedures = new Map<string, CsvProcedure>();

  for (const row of rows) {
    if (problems.full) break;
    if (row.fields.every((f) => f.trim() === '')) continue;
    if (row.fields.length > header.fields.length && row.fields.slice(header.fields.length).some((f) => f.trim())) {
      problems.add(
        `Dòng ${row.line}: có ${row.fields.length} cột, nhiều hơn ${header.fields.length} cột của dòng tiêu đề (tên có dấu phẩy hoặc chấm phẩy thì phải đặt trong ngoặc kép)`,
        `Line ${row.line}: ${row.fields.length} columns, more than the header's ${header.fields.length} (a name containing the delimiter must be quoted)`,
      );
      continue;
    }
    const value = (key: ColumnKey): string => {
      const index = columnOf.get(key);
      return index === undefined ? '' : (row.fields[index] ?? '').trim();
    };
    const code = procedureCode(problems, at(row.line, 'code'), value('code'));
    if (code === null) continue;

    let procedure = procedures.get(code);
    if (!procedure) {
      if (procedures.size >= MAX_PROCEDURES) {
        problems.add(
          `Dòng ${row.line}: quá ${MAX_PROCEDURES} thủ tục`,
          `Line ${row.line}: more than ${MAX_PROCEDURES} procedures`,
        );
        break;
      }
      const name = requiredText(problems, at(row.line, 'name'), value('name'), 500);
      const field = optionalText(problems, at(row.line, 'field'), value('field'), 200);
      const level = optionalText(problems, at(row.line, 'level'), value('level'), 100);
      const paper = yesNo(problems, at(row.line, 'resultOnPaper'), value('resultOnPaper'), null);
      const days = processingDays(problems, at(row.line, 'processingDays'), value('processingDays'));
      const resultType = docType(problems, at(row.line, 'resultDocType'), value('resultDocType'), false);
      if (name === null || field === null || level === null || paper === null || days === null || resultType === null)
        continue;
      procedure = {
        entry: {
          code,
          name,
          field,
          level,
          resultOnPaper: paper,
          processingDays: days,
          resultDocType: resultType || null,
          components: [],
        },
        lineOf: Object.fromEntries(PROCEDURE_COLUMNS.map((k) => [k, row.line])),
        componentLines: new Map(),
      };
      procedures.set(code, procedure);
    } else {
      // A repeated procedure row may leave its columns empty; a value it gives must agree.
      const entry = procedure.entry;
      const agree = (key: (typeof PROCEDURE_COLUMNS)[number], given: string, same: boolean) => {
        if (given === '' || same) return;
        const first = procedure?.lineOf[key] ?? header.line;
        const where = at(row.line, key);
        problems.add(
          `${where.vi}: khác với dòng ${first} của cùng thủ tục ${code}`,
          `${where.en}: differs from line ${first} of the same procedure ${code}`,
        );
      };
      const silent = new Problems();
      const days = value('processingDays')
        ? processingDays(silent, at(row.line, 'processingDays'), value('processingDays'))
        : null;
      const paper = value('resultOnPaper')
        ? yesNo(silent, at(row.line, 'resultOnPaper'), value('resultOnPaper'), null)
        : null;
      agree('name', value('name'), value('name') === entry.name);
      agree('field', value('field'), value('field') === entry.field);
      agree('level', value('level'), value('level') === entry.level);
      agree('processingDays', value('processingDays'), days === entry.processingDays);
      agree('resultOnPaper', value('resultOnPaper'), paper === entry.resultOnPaper);
      agree(
        'resultDocType',
        value('resultDocType'),
        value('resultDocType').toLowerCase() === (entry.resultDocType ?? ''),
      );
    }

    const componentColumns: ColumnKey[] = ['componentCode', 'componentName', 'docType'];
    if (componentColumns.every((k) => value(k) === '') && value('required') === '') continue;
    const cCode = componentCode(problems, at(row.line, 'componentCode'), value('componentCode'));
    const cName = requiredText(problems, at(row.line, 'componentName'), value('componentName'), 500);
    const cType = docType(problems, at(row.line, 'docType'), value('docType'), true);
    const required = yesNo(problems, at(row.line, 'required'), value('required'), true);
    if (cCode === null || cName === null || cType === null || required === null) continue;
    const seen = procedure.componentLines.get(cCode);
    if (seen !== undefined) {
      const where = at(row.line, 'componentCode');
      problems.add(
        `${where.vi}: thành phần “${shown(cCode)}” đã có ở dòng ${seen} của thủ tục ${code}`,
        `${where.en}: component “${shown(cCode)}” already on line ${seen} of procedure ${code}`,
      );
      continue;
    }
    if (procedure.entry.components.length >= MAX_COMPONENTS) {
      problems.add(
        `Dòng ${row.line}: thủ tục ${code} có quá ${MAX_COMPONENTS} thành phần`,
        `Line ${row.line}: procedure ${code} has more than ${MAX_COMPONENTS} components`,
      );
      continue;
    }
    procedure.componentLines.set(cCode, row.line);
    procedure.entry.components.push({ code: cCode, name: cName, docType: cType, required });
  }
  problems.throwIfAny();
  if (procedures.size === 0) {
    return refuse('Tệp danh mục không có thủ tục nào.', 'The catalog file holds no procedure.');
  }
  return { procedures: [...procedures.values()].map((p) => p.entry), sample: false };
}

// ---------------------------------------------------------------------------------------------
// JSON

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function parseCatalogJson(text: string): ParsedCatalog {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    const position = /position (\d+)/.exec(String((error as Error).message));
    const offset = position ? Number(position[1]) : null;
    const line = offset === null ? null : text.slice(0, offset).split('\n').length;
    return refuse(
      `Tệp JSON sai cú pháp${line ? ` ở dòng ${line}` : ''}; chưa nhập gì.`,
      `The JSON file has a syntax error${line ? ` on line ${line}` : ''}; nothing was imported.`,
    );
  }
  const list = Array.isArray(data) ? data : isRecord(data) ? data.procedures : undefined;
  if (!Array.isArray(list)) {
    return refuse(
      'Tệp JSON phải có mảng “procedures” (danh sách thủ tục).',
      'The JSON file must hold a “procedures” array.',
    );
  }
  if (list.length === 0) return refuse('Tệp danh mục không có thủ tục nào.', 'The catalog file holds no procedure.');
  if (list.length > MAX_PROCEDURES) {
    return refuse(
      `Tệp danh mục có quá ${MAX_PROCEDURES} thủ tục.`,
      `The catalog has more than ${MAX_PROCEDURES} procedures.`,
    );
  }

  const problems = new Problems();
  const seen = new Map<string, number>();
  const procedures: CatalogEntry[] = [];
  list.forEach((item: unknown, index) => {
    if (problems.full) return;
    const label = { vi: `Thủ tục thứ ${index + 1}`, en: `Procedure ${index + 1}` };
    if (!isRecord(item)) {
      problems.add(`${label.vi}: phải là một đối tượng`, `${label.en}: must be an object`);
      return;
    }
    const rawCode = typeof item.code === 'string' ? item.code.trim() : '';
    const named = isProcedureCode(rawCode)
      ? { vi: `${label.vi} (mã ${rawCode})`, en: `${label.en} (code ${rawCode})` }
      : label;
    const at = (key: string): Where => ({ vi: `${named.vi}, trường “${key}”`, en: `${named.en}, field “${key}”` });
    const code = procedureCode(problems, at('code'), item.code);
    const name = requiredText(problems, at('name'), item.name, 500);
    const field = optionalText(problems, at('field'), item.field, 200);
    const level = optionalText(problems, at('level'), item.level, 100);
    const paper = yesNo(problems, at('resultOnPaper'), item.resultOnPaper, null);
    const days = processingDays(problems, at('processingDays'), item.processingDays);
    const resultType = docType(problems, at('resultDocType'), item.resultDocType, false);
    if (code !== null) {
      const first = seen.get(code);
      if (first !== undefined) {
        problems.add(
          `${at('code').vi}: mã ${code} đã có ở thủ tục thứ ${first}`,
          `${at('code').en}: code ${code} already used by procedure ${first}`,
        );
      } else seen.set(code, index + 1);
    }
    const rawComponents = item.components ?? [];
    if (!Array.isArray(rawComponents)) {
      problems.add(`${at('components').vi}: phải là một mảng`, `${at('components').en}: must be an array`);
      return;
    }
    if (rawComponents.length > MAX_COMPONENTS) {
      problems.add(
        `${at('components').vi}: quá ${MAX_COMPONENTS} thành phần`,
        `${at('components').en}: more than ${MAX_COMPONENTS} components`,
      );
      return;
    }
    const components: CatalogComponentEntry[] = [];
    const componentCodes = new Set<string>();
    rawComponents.forEach((raw: unknown, j) => {
      const cAt = (key: string): Where => ({
        vi: `${named.vi}, thành phần thứ ${j + 1}, trường “${key}”`,
        en: `${named.en}, component ${j + 1}, field “${key}”`,
      });
      if (!isRecord(raw)) {
        problems.add(
          `${named.vi}, thành phần thứ ${j + 1}: phải là một đối tượng`,
          `${named.en}, component ${j + 1}: must be an object`,
        );
        return;
      }
      const cCode = componentCode(problems, cAt('code'), raw.code);
      const cName = requiredText(problems, cAt('name'), raw.name, 500);
      const cType = docType(problems, cAt('docType'), raw.docType, true);
      const required = yesNo(problems, cAt('required'), raw.required, true);
      if (cCode === null || cName === null || cType === null || required === null) return;
      if (componentCodes.has(cCode)) {
        problems.add(
          `${cAt('code').vi}: mã “${shown(cCode)}” bị lặp`,
          `${cAt('code').en}: code “${shown(cCode)}” repeated`,
        );
        return;
      }
      componentCodes.add(cCode);
      components.push({ code: cCode, name: cName, docType: cType, required });
    });
    if (
      code === null ||
      name === null ||
      field === null ||
      level === null ||
      paper === null ||
      days === null ||
      resultType === null
    )
      return;
    procedures.push({
      code,
      name,
      field,
      level,
      resultOnPaper: paper,
      processingDays: days,
      resultDocType: resultType || null,
      components,
    });
  });
  problems.throwIfAny();
  return { procedures, sample: isRecord(data) && data.sample === true };
}
