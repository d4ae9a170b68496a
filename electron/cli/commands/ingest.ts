import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { ImportOutcome } from '../../../shared/api/contract';
import { AppFailure } from '../../../shared/api/errors';
import { parseCitizenId } from '../../../shared/domain/citizen-id';
import { openBackend, type Backend } from '../../core/backend';
import { listPageIdCards } from '../../core/citizens/id-cards';
import { documentTypeState } from '../../core/doc-types/doc-type-service';
import { defaultDataDir } from '../../core/config/data-dir';
import { findOrCreateOpenDossier } from '../../core/dossiers/dossier-service';
import { COMMON_OPTIONS } from '../options';

const SUPPORTED = /\.(jpe?g|png|tiff?|webp|bmp|pdf)$/i;

/** A long file's import and OCR progress lines come every this many pages. */
const PAGES_PER_PROGRESS_LINE = 10;

/** `sohoa ingest <file|folder>...`: import, OCR and store; one JSON line per page with --json. */
export async function ingest(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      ...COMMON_OPTIONS,
      citizen: { type: 'string' },
      procedure: { type: 'string' },
      'force-ocr': { type: 'boolean', default: false },
    },
  });
  if (positionals.length === 0) throw new AppFailure('VALIDATION', 'Hãy chỉ ra ít nhất một tệp hoặc thư mục.');
  if (values.procedure && !values.citizen)
    throw new AppFailure('VALIDATION', 'Cần --citizen (số định danh cá nhân) khi có --procedure.');

  const files = await collectFiles(positionals);
  const backend = await openBackend({ dataDir: values.data ?? defaultDataDir(), host: 'cli' });
  try {
    const dossier =
      values.citizen && values.procedure
        ? findOrCreateOpenDossier(backend.db, {
            citizenId: values.citizen,
            citizenName: '',
            procedureCode: values.procedure,
          })
        : null;
    const citizenId = dossier ? dossier.citizenId : values.citizen ? normalizeCitizen(values.citizen) : null;
    const target = { dossierId: dossier?.id ?? null, citizenId, forceOcr: values['force-ocr'] };

    // Import everything first (OCR starts on the first page at once), then report file by file.
    const imported: { file: string; outcome: ImportOutcome }[] = [];
    for (const [index, file] of files.entries()) {
      const onPage = (page: number, pages: number): void => {
        const line = importProgressLine(path.basename(file), page, pages);
        if (line) process.stderr.write(line);
      };
      const [outcome] = await backend.importFiles([{ file, name: path.basename(file) }], { ...target, onPage });
      if (!outcome) continue;
      imported.push({ file, outcome });
      const what = outcome.ok
        ? `${outcome.pageIds.length} trang${outcome.duplicate ? ' (đã có, không nhập lại)' : ''}`
        : `LỖI ${outcome.error.message}`;
      process.stderr.write(`[${index + 1}/${files.length}] ${path.basename(file)}: ${what}\n`);
    }
    let stored = 0;
    const totalPages = imported.reduce((sum, { outcome }) => sum + (outcome.ok ? outcome.pageIds.length : 0), 0);
    let pagesDone = 0;
    for (const { file, outcome } of imported) {
      if (!outcome.ok) {
        const line = { file, error: { code: outcome.error.code, message: outcome.error.message } };
        process.stdout.write(values.json ? `${JSON.stringify(line)}\n` : `${file}: ${outcome.error.message}\n`);
        continue;
      }
      stored++;
      // Ten pages at a time: a single 300-page PDF says how far its OCR is, not only when it ends.
      for (let from = 0; from < outcome.pageIds.length; from += PAGES_PER_PROGRESS_LINE) {
        const slice = outcome.pageIds.slice(from, from + PAGES_PER_PROGRESS_LINE);
        await backend.ocr.waitForPages(slice);
        pagesDone += slice.length;
        process.stderr.write(ocrProgressLine(pagesDone, totalPages, backend.ocr.secondsLeft(totalPages - pagesDone)));
      }
      for (const line of pageLines(backend, file, outcome.documentId, outcome.pageIds)) {
        process.stdout.write(
          values.json
            ? `${JSON.stringify(line)}\n`
            : `${file} trang ${line.page}: ${line.text.length} ký tự, độ tin cậy ${Math.round(line.confidence)}%\n`,
        );
      }
    }
    return stored > 0 ? 0 : 1;
  } finally {
    await backend.close();
  }
}

/**
 * "  ho-so.pdf: trang 40/300" (stderr) while a long PDF or TIFF is imported: every tenth page and
 * the last, not every page (a 300-page file would fill the screen). Null for other pages. Indented:
 * scripts (and the crash-recovery test) count the "[3/40]" lines as files.
 */
export function importProgressLine(name: string, page: number, pages: number): string | null {
  if (pages <= 1 || (page % PAGES_PER_PROGRESS_LINE !== 0 && page !== pages)) return null;
  return `  ${name}: trang ${String(page)}/${String(pages)}\n`;
}

/** "OCR: 12/140 trang · còn khoảng 6 phút": how far the batch's recognition is (stderr). */
export function ocrProgressLine(done: number, total: number, secondsLeft: number | null): string {
  const left =
    secondsLeft === null || done >= total
      ? ''
      : secondsLeft < 60
        ? ' · còn dưới 1 phút'
        : ` · còn khoảng ${String(Math.ceil(secondsLeft / 60))} phút`;
  return `OCR: ${String(done)}/${String(total)} trang${left}\n`;
}

function normalizeCitizen(raw: string): string {
  const id = parseCitizenId(raw);
  if (!id.ok) throw new AppFailure('VALIDATION', id.message, id.messageEn, 'citizen');
  return id.id;
}

interface IngestLine {
  file: string;
  page: number;
  documentId: string;
  dossierId: string | null;
  text: string;
  confidence: number;
  citizenIds: string[];
  procedureCodes: string[];
  dossierCodes: string[];
  /** Flagged blank by cleanup (not recognized; the clerk confirms). */
  blank: boolean;
  /** Clockwise degrees applied to make the page upright: 0, 90, 180 or 270. */
  rotation: number;
  /** Degrees straightened. */
  skew: number;
  /** Quality warnings (low resolution, blur): a rescan is proposed. */
  quality: { kind: string }[];
  /** Where the text came from: OCR, or a good PDF text layer kept. */
  textSource: string;
  /** The first chip ID card QR code read on the page, parsed (dates YYYY-MM-DD, sex male/female). */
  qr: IngestQr | null;
  /** The document's type: the confirmed one, else the suggested one; null when nothing fits. */
  docType: string | null;
  error?: { code: string; message: string };
}

interface IngestQr {
  id: string;
  oldId: string | null;
  name: string;
  dob: string;
  sex: 'male' | 'female';
  address: string;
  issued: string;
}

function pageLines(backend: Backend, file: string, documentId: string, pageIds: number[]): IngestLine[] {
  const pageRow = backend.db.prepare(
    `SELECT pg.page_no, pg.ocr_text, pg.ocr_confidence, pg.ocr_status, pg.ocr_error, doc.dossier_id,
            pg.blank, pg.rotation, pg.skew, pg.quality, pg.text_source
     FROM pages pg JOIN documents doc ON doc.id = pg.document_id WHERE pg.id = ?`,
  );
  const tagRows = backend.db.prepare(
    `SELECT kind, value FROM tags WHERE page_id = ? AND status != 'rejected' ORDER BY id`,
  );
  return pageIds.map((id) => {
    const row = pageRow.get(id) as {
      page_no: number;
      ocr_text: string;
      ocr_confidence: number | null;
      ocr_status: string;
      ocr_error: string | null;
      dossier_id: string | null;
      blank: number;
      rotation: number;
      skew: number;
      quality: string;
      text_source: string;
    };
    const tags = tagRows.all(id) as { kind: string; value: string }[];
    const of = (kind: string): string[] => tags.filter((tag) => tag.kind === kind).map((tag) => tag.value);
    const card = listPageIdCards(backend.db, id)[0];
    const type = documentTypeState(backend.db, documentId);
    return {
      file,
      page: row.page_no,
      documentId,
      dossierId: row.dossier_id,
      text: row.ocr_text,
      confidence: row.ocr_confidence ?? 0,
      citizenIds: of('citizenId'),
      procedureCodes: of('procedureCode'),
      dossierCodes: of('dossierCode'),
      blank: row.blank === 1,
      rotation: row.rotation,
      skew: row.skew,
      quality: JSON.parse(row.quality) as { kind: string }[],
      textSource: row.text_source,
      qr: card
        ? {
            id: card.id,
            oldId: card.oldId,
            name: card.name,
            dob: card.dob,
            sex: card.sex,
            address: card.address,
            issued: card.issued,
          }
        : null,
      docType: type.confirmed ?? type.suggested,
      ...(row.ocr_status === 'failed' ? { error: { code: 'OCR_FAILED', message: row.ocr_error ?? '' } } : {}),
    };
  });
}

/** Files named on the command line, folders walked in name order; hidden files skipped. */
async function collectFiles(inputs: string[]): Promise<string[]> {
  const out: string[] = [];
  for (const input of inputs) {
    const info = await stat(input).catch(() => null);
    if (!info) {
      // Reported like any unreadable file: the batch goes on.
      out.push(path.resolve(input));
    } else if (info.isDirectory()) {
      const entries = await readdir(input, { withFileTypes: true, recursive: true });
      const found = entries
        .filter((entry) => entry.isFile() && !entry.name.startsWith('.') && SUPPORTED.test(entry.name))
        .map((entry) => path.resolve(entry.parentPath, entry.name))
        .sort((a, b) => a.localeCompare(b));
      out.push(...found);
    } else {
      out.push(path.resolve(input));
    }
  }
  return out;
}
