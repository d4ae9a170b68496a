import { createHash, randomBytes } from 'node:crypto';
import os from 'node:os';
import { Readable } from 'node:stream';
import sharp from 'sharp';
import type { ExportFile } from '../../../shared/api/calls/exports';
import { exportDownloadPath } from '../../../shared/api/calls/exports';
import { AppFailure } from '../../../shared/api/errors';
import { foldText } from '../../../shared/domain/fold';
import { getSetting } from '../config/settings';
import type { Db } from '../db/database';
import { nowIso } from '../db/database';
import { getDossier } from '../dossiers/dossier-service';
import type { BlobStore } from '../files/blob-store';
import { log } from '../log';
import type { OcrLine, OcrWord } from '../ocr/pool';
import type { DigitizedFacts, PdfDescription } from './pdf-metadata';
import { drainFileQueue, queueFiles } from '../privacy/file-queue';
import { PDF_RENDERER_VERSION, renderSearchablePdf, type OutlineEntry, type PdfPageSource } from './searchable-pdf';
import { zipChunks, type ZipEntry } from './zip-stream';

const APP = 'SoHoa 0.1.0';
const PRODUCER = `${APP} (pdf-lib 1.17.1)`;
/** How long a download link handed to the renderer stays valid. */
const TOKEN_TTL_MS = 15 * 60_000;
const MAX_TOKENS = 200;

interface DocumentRow {
  id: string;
  dossier_id: string | null;
  citizen_id: string | null;
  title: string;
  source_sha256: string;
  created_at: string;
  doc_type: string | null;
}

interface PageRow {
  id: number;
  page_no: number;
  image_sha256: string;
  width: number;
  height: number;
  ocr_status: string;
  ocr_words: string | null;
  ocr_lines: string | null;
  dpi: number | null;
}

/** A PDF stored in the blob store, ready to be streamed or copied. */
export interface StoredPdf {
  sha256: string;
  size: number;
  fileName: string;
  pageCount: number;
  /** Pages exported as image only: their OCR failed or has not finished. */
  pagesWithoutText: number;
}

/** What a download link gives: a name, a type and the bytes as a stream. */
export interface Download {
  fileName: string;
  mime: string;
  size: number | null;
  open(): Readable;
}

interface Prepared {
  subject: string;
  key: string;
  pages: PdfPageSource[];
  pagesWithoutText: number;
  description: Omit<PdfDescription, 'modifiedAt' | 'instanceId'>;
  fileName: string;
  fallbackDpi: () => Promise<number | null>;
  /** Bookmarks (a dossier's PDF: one per document). */
  outline: OutlineEntry[];
}

/**
 * Digitized output: a searchable PDF/A per document or per dossier, cached in the blob store
 * under a key of everything it is made from (so corrected OCR text makes a new one), and a
 * dossier's ZIP (one PDF per document plus manifest.json) streamed from those cached PDFs.
 */
export class PdfExports {
  private readonly inFlight = new Map<string, Promise<StoredPdf>>();
  private readonly tokens = new Map<string, { download: Download; expires: number }>();

  constructor(
    private readonly deps: {
      db: Db;
      store: BlobStore;
      digitizedBy?: string;
      /** The Vietnamese name of a document type code, for bookmarks. */
      typeName?: (code: string) => string | null;
    },
  ) {}

  /** Who digitized: the clerk's account once accounts exist; until then the app on this workstation. */
  private get digitizedBy(): string {
    return this.deps.digitizedBy ?? `SoHoa@${os.hostname()}`;
  }

  async documentPdf(documentId: string): Promise<StoredPdf> {
    return this.render(this.prepareDocument(this.documentRow(documentId)));
  }

  async dossierPdf(dossierId: string): Promise<StoredPdf> {
    return this.render(this.prepareDossier(dossierId));
  }

  /** The entries of a dossier's ZIP: each document's PDF (made now if needed) and the manifest. */
  async dossierZip(
    dossierId: string,
  ): Promise<{ fileName: string; entries: ZipEntry[]; pageCount: number; pagesWithoutText: number }> {
    const dossier = getDossier(this.deps.db, dossierId);
    const documents = this.documentsOf(dossierId);
    if (documents.length === 0) throw noPages();
    const now = new Date();
    const unit = this.unit();
    const files: { name: string; pdf: StoredPdf; row: DocumentRow }[] = [];
    for (const [index, row] of documents.entries()) {
      const pdf = await this.documentPdf(row.id);
      files.push({ name: `${String(index + 1).padStart(2, '0')}-${slug(row.title)}.pdf`, pdf, row });
    }
    const manifest = {
      format: 'sohoa-dossier-export',
      version: 1,
      exportedAt: now.toISOString(),
      exportedBy: this.digitizedBy,
      unit: { name: unit.name, agencyCode: unit.code },
      dossier: {
        id: dossier.id,
        code: dossier.code,
        ownerId: dossier.citizenId,
        ownerName: dossier.citizenName || null,
        procedureCode: dossier.procedureCode,
        procedureName: dossier.procedureName || null,
        status: dossier.status,
        receivedAt: dossier.createdAt,
      },
      documents: files.map(({ name, pdf, row }) => ({
        file: name,
        documentId: row.id,
        title: row.title,
        documentType: row.doc_type,
        ownerId: row.citizen_id ?? dossier.citizenId,
        digitizedAt: row.created_at,
        digitizedBy: this.digitizedBy,
        pageCount: pdf.pageCount,
        pagesWithoutText: pdf.pagesWithoutText,
        sha256: pdf.sha256,
        size: pdf.size,
        format: 'application/pdf; PDF/A-2b',
      })),
    };
    const entries: ZipEntry[] = files.map(({ name, pdf }) => ({
      name,
      mtime: now,
      open: () => this.deps.store.openRead(pdf.sha256),
    }));
    entries.push({
      name: 'manifest.json',
      mtime: now,
      open: () => [Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`)],
    });
    return {
      fileName: `${codeFileName(dossier.code)}.zip`,
      entries,
      pageCount: files.reduce((n, f) => n + f.pdf.pageCount, 0),
      pagesWithoutText: files.reduce((n, f) => n + f.pdf.pagesWithoutText, 0),
    };
  }

  /** Prepares an export and hands back a short-lived token the browser host serves it by. */
  async issue(kind: 'documentPdf' | 'dossierPdf' | 'dossierZip', id: string): Promise<ExportFile> {
    if (kind === 'dossierZip') {
      const zip = await this.dossierZip(id);
      const token = this.remember({
        fileName: zip.fileName,
        mime: 'application/zip',
        size: null,
        open: () => Readable.from(zipChunks(zip.entries)),
      });
      return {
        token,
        fileName: zip.fileName,
        mime: 'application/zip',
        size: null,
        pageCount: zip.pageCount,
        pagesWithoutText: zip.pagesWithoutText,
        downloadPath: exportDownloadPath(token),
      };
    }
    const pdf = kind === 'documentPdf' ? await this.documentPdf(id) : await this.dossierPdf(id);
    const token = this.remember(this.pdfDownload(pdf));
    return {
      token,
      fileName: pdf.fileName,
      mime: 'application/pdf',
      size: pdf.size,
      pageCount: pdf.pageCount,
      pagesWithoutText: pdf.pagesWithoutText,
      downloadPath: exportDownloadPath(token),
    };
  }

  /** Hands out a download link for a small PDF made elsewhere (the reception receipt), kept in memory. */
  offerPdf(fileName: string, bytes: Uint8Array, pageCount: number): ExportFile {
    return this.offerFile(fileName, 'application/pdf', bytes, pageCount);
  }

  /** The same for any small file made in memory (a report's CSV). */
  offerFile(fileName: string, mime: string, bytes: Uint8Array, pageCount = 0): ExportFile {
    const body = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const token = this.remember({
      fileName,
      mime,
      size: body.length,
      open: () => Readable.from([body]),
    });
    return {
      token,
      fileName,
      mime,
      size: body.length,
      pageCount,
      pagesWithoutText: 0,
      downloadPath: exportDownloadPath(token),
    };
  }

  /** The download behind a token, or null once it expired or was never issued. */
  download(token: string): Download | null {
    const entry = this.tokens.get(token);
    if (!entry || entry.expires < Date.now()) return null;
    return entry.download;
  }

  pdfDownload(pdf: StoredPdf): Download {
    return {
      fileName: pdf.fileName,
      mime: 'application/pdf',
      size: pdf.size,
      open: () => this.deps.store.openRead(pdf.sha256),
    };
  }

  /** Whether an id names a document, a dossier (by id or code) or nothing. */
  resolve(idOrCode: string): { kind: 'document'; id: string } | { kind: 'dossier'; id: string } | null {
    const { db } = this.deps;
    if (db.prepare('SELECT 1 FROM documents WHERE id = ?').get(idOrCode)) return { kind: 'document', id: idOrCode };
    const dossier = db.prepare('SELECT id FROM dossiers WHERE id = ? OR code = ?').get(idOrCode, idOrCode) as
      { id: string } | undefined;
    return dossier ? { kind: 'dossier', id: dossier.id } : null;
  }

  private remember(download: Download): string {
    const now = Date.now();
    for (const [token, entry] of this.tokens) if (entry.expires < now) this.tokens.delete(token);
    while (this.tokens.size >= MAX_TOKENS) {
      const oldest = this.tokens.keys().next().value;
      if (oldest === undefined) break;
      this.tokens.delete(oldest);
    }
    const token = randomBytes(16).toString('hex');
    this.tokens.set(token, { download, expires: now + TOKEN_TTL_MS });
    return token;
  }

  private documentRow(documentId: string): DocumentRow {
    const row = this.deps.db
      .prepare(
        `SELECT id, dossier_id, citizen_id, title, source_sha256, created_at, ${this.optional('documents', 'doc_type')} FROM documents WHERE id = ?`,
      )
      .get(documentId) as DocumentRow | undefined;
    if (!row) throw new AppFailure('NOT_FOUND', 'Không tìm thấy tài liệu.', 'Document not found.');
    return row;
  }

  private documentsOf(dossierId: string): DocumentRow[] {
    return this.deps.db
      .prepare(
        `SELECT id, dossier_id, citizen_id, title, source_sha256, created_at, ${this.optional('documents', 'doc_type')}
         FROM documents WHERE dossier_id = ? ORDER BY created_at, id`,
      )
      .all(dossierId) as DocumentRow[];
  }

  private pagesOf(documentId: string): PageRow[] {
    return this.deps.db
      .prepare(
        `SELECT id, page_no, image_sha256, width, height, ocr_status, ocr_words, ocr_lines, ${this.optional('pages', 'dpi')}
         FROM pages WHERE document_id = ? ORDER BY page_no`,
      )
      .all(documentId) as PageRow[];
  }

  private readonly columns = new Map<string, boolean>();

  /**
   * A column another part of the app adds in its own migration (the document type, the capture
   * resolution): read when the schema has it, NULL otherwise.
   */
  private optional(table: 'documents' | 'pages', column: 'doc_type' | 'dpi'): string {
    const key = `${table}.${column}`;
    let present = this.columns.get(key);
    if (present === undefined) {
      const info = this.deps.db.prepare(`PRAGMA table_info(${table})`).all() as { name: string }[];
      present = info.some((c) => c.name === column);
      this.columns.set(key, present);
    }
    return present ? column : `NULL AS ${column}`;
  }

  private unit(): { name: string | null; code: string | null } {
    return { name: getSetting(this.deps.db, 'unit.name'), code: getSetting(this.deps.db, 'unit.agencyCode') };
  }

  private pageSources(pages: PageRow[]): { sources: PdfPageSource[]; withoutText: number; fingerprint: unknown[] } {
    let withoutText = 0;
    const fingerprint: unknown[] = [];
    const sources = pages.map((page): PdfPageSource => {
      const words = page.ocr_status === 'done' && page.ocr_words ? parseJson<OcrWord[]>(page.ocr_words) : null;
      const lines = words && page.ocr_lines ? parseJson<OcrLine[]>(page.ocr_lines) : null;
      if (!words || words.length === 0) withoutText++;
      fingerprint.push([
        page.image_sha256,
        page.width,
        page.height,
        page.dpi,
        words ? sha256(`${page.ocr_words}|${page.ocr_lines ?? ''}`) : null,
      ]);
      const sha = page.image_sha256;
      return { image: () => this.deps.store.read(sha), dpi: page.dpi, words, lines };
    });
    return { sources, withoutText, fingerprint };
  }

  private prepareDocument(row: DocumentRow): Prepared {
    const dossier = row.dossier_id ? getDossier(this.deps.db, row.dossier_id) : null;
    const pages = this.pagesOf(row.id);
    if (pages.length === 0) throw noPages();
    const { sources, withoutText, fingerprint } = this.pageSources(pages);
    const unit = this.unit();
    const facts: DigitizedFacts = {
      ownerId: row.citizen_id ?? dossier?.citizenId ?? null,
      ownerName: dossier?.citizenName || null,
      dossierCode: dossier?.code ?? null,
      procedureCode: dossier?.procedureCode ?? null,
      procedureName: dossier?.procedureName || null,
      documentType: row.doc_type,
      digitizedBy: this.digitizedBy,
      digitizedAt: row.created_at,
      unitName: unit.name,
      unitCode: unit.code,
      sourceId: row.id,
      pageCount: pages.length,
    };
    const description = this.describe(`document:${row.id}`, row.title, facts);
    return {
      subject: `document:${row.id}`,
      key: inputKey(description, fingerprint),
      pages: sources,
      pagesWithoutText: withoutText,
      description,
      fileName: `${slug(row.title)}.pdf`,
      fallbackDpi: () => this.sourceDpi(row.source_sha256),
      outline: [],
    };
  }

  private prepareDossier(dossierId: string): Prepared {
    const dossier = getDossier(this.deps.db, dossierId);
    const documents = this.documentsOf(dossierId);
    const sources: PdfPageSource[] = [];
    const fingerprint: unknown[] = [];
    const outline: OutlineEntry[] = [];
    let withoutText = 0;
    for (const row of documents) {
      const part = this.pageSources(this.pagesOf(row.id));
      if (part.sources.length > 0) outline.push({ title: this.bookmarkTitle(row), pageIndex: sources.length });
      sources.push(...part.sources);
      fingerprint.push(row.id, ...part.fingerprint);
      withoutText += part.withoutText;
    }
    numberRepeatedTitles(outline);
    // Bookmark titles follow the checklist: a renamed or reassigned component makes a new PDF.
    fingerprint.push(outline);
    if (sources.length === 0) throw noPages();
    const unit = this.unit();
    const types = [...new Set(documents.map((d) => d.doc_type).filter((t): t is string => Boolean(t)))];
    const facts: DigitizedFacts = {
      ownerId: dossier.citizenId,
      ownerName: dossier.citizenName || null,
      dossierCode: dossier.code,
      procedureCode: dossier.procedureCode,
      procedureName: dossier.procedureName || null,
      documentType: types.length > 0 ? types.join(', ') : null,
      digitizedBy: this.digitizedBy,
      digitizedAt:
        documents
          .map((d) => d.created_at)
          .sort()
          .at(-1) ?? dossier.createdAt,
      unitName: unit.name,
      unitCode: unit.code,
      sourceId: dossier.id,
      pageCount: sources.length,
    };
    const description = this.describe(`dossier:${dossier.id}`, `Hồ sơ ${dossier.code}`, facts);
    const first = documents[0];
    return {
      subject: `dossier:${dossier.id}`,
      key: inputKey(description, fingerprint),
      pages: sources,
      pagesWithoutText: withoutText,
      description,
      fileName: `${codeFileName(dossier.code)}.pdf`,
      fallbackDpi: () => (first ? this.sourceDpi(first.source_sha256) : Promise.resolve(null)),
      outline,
    };
  }

  /**
   * A document's bookmark: the checklist component it fills (what the procedure calls it), else
   * its document type, else its title (the file name it came as).
   */
  private bookmarkTitle(row: DocumentRow): string {
    const component = this.deps.db
      .prepare(
        `SELECT dc.name FROM component_items ci JOIN dossier_components dc ON dc.id = ci.component_id
         WHERE ci.document_id = ? AND ci.removed_at IS NULL AND dc.dossier_id = ?
         ORDER BY dc.position LIMIT 1`,
      )
      .get(row.id, row.dossier_id) as { name: string } | undefined;
    if (component?.name) return component.name;
    if (row.doc_type) return this.deps.typeName?.(row.doc_type) ?? row.doc_type;
    return row.title;
  }

  private describe(subject: string, title: string, facts: DigitizedFacts): Prepared['description'] {
    const subjectLine = [
      'Bản số hóa',
      facts.dossierCode ? `hồ sơ ${facts.dossierCode}` : null,
      facts.procedureCode
        ? `thủ tục ${facts.procedureCode}${facts.procedureName ? ` (${facts.procedureName})` : ''}`
        : null,
      facts.unitName,
    ]
      .filter(Boolean)
      .join(' — ');
    return {
      title,
      author: facts.unitName ?? 'SoHoa',
      subject: subjectLine,
      keywords: [facts.ownerId, facts.dossierCode, facts.procedureCode, facts.documentType].filter((k): k is string =>
        Boolean(k),
      ),
      creator: APP,
      producer: PRODUCER,
      createdAt: new Date(facts.digitizedAt),
      // Stable across renditions: the same document keeps the same identity.
      documentId: sha256(`sohoa:${subject}`).slice(0, 32),
      facts,
    };
  }

  /** The document's source file states a resolution when its stored pages do not (multi-page TIFF). */
  private async sourceDpi(sourceSha: string): Promise<number | null> {
    try {
      const meta = await sharp(await this.deps.store.read(sourceSha)).metadata();
      return meta.density && meta.density >= 50 && meta.density <= 2400 ? meta.density : null;
    } catch {
      return null;
    }
  }

  private render(prepared: Prepared): Promise<StoredPdf> {
    const flight = `${prepared.subject}|${prepared.key}`;
    let running = this.inFlight.get(flight);
    if (!running) {
      running = this.renderOnce(prepared).finally(() => this.inFlight.delete(flight));
      this.inFlight.set(flight, running);
    }
    return running;
  }

  private async renderOnce(prepared: Prepared): Promise<StoredPdf> {
    const { db, store } = this.deps;
    const cached = db
      .prepare('SELECT sha256, size, page_count FROM pdf_renditions WHERE subject = ? AND input_key = ?')
      .get(prepared.subject, prepared.key) as { sha256: string; size: number; page_count: number } | undefined;
    const result = (sha: string, size: number, pageCount: number): StoredPdf => ({
      sha256: sha,
      size,
      fileName: prepared.fileName,
      pageCount,
      pagesWithoutText: prepared.pagesWithoutText,
    });
    if (cached && (await store.has(cached.sha256))) return result(cached.sha256, cached.size, cached.page_count);

    const started = Date.now();
    const modifiedAt = new Date();
    const { bytes, pages } = await renderSearchablePdf(
      prepared.pages,
      { ...prepared.description, modifiedAt, instanceId: prepared.key.slice(0, 32) },
      { fallbackDpi: await prepared.fallbackDpi(), outline: prepared.outline },
    );
    const stored = await store.put(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
    db.transaction(() => {
      const now = nowIso();
      db.prepare(
        `INSERT INTO blobs (sha256, size, mime, created_at) VALUES (?, ?, 'application/pdf', ?) ON CONFLICT DO NOTHING`,
      ).run(stored.sha256, stored.size, now);
      // The PDF this one supersedes (made before a correction) goes once nothing refers to it:
      // queued in this transaction, removed by the drain after it (which keeps shared bytes and
      // finishes after a crash), so the store never keeps dead PDFs nor loses a live one.
      const previous = db.prepare('SELECT sha256 FROM pdf_renditions WHERE subject = ?').get(prepared.subject) as
        { sha256: string } | undefined;
      if (previous && previous.sha256 !== stored.sha256) queueFiles(db, [previous.sha256], null);
      db.prepare(
        `INSERT INTO pdf_renditions (subject, input_key, sha256, size, page_count, created_at) VALUES (?, ?, ?, ?, ?, ?)
         ON CONFLICT (subject) DO UPDATE SET input_key = excluded.input_key, sha256 = excluded.sha256,
           size = excluded.size, page_count = excluded.page_count, created_at = excluded.created_at`,
      ).run(prepared.subject, prepared.key, stored.sha256, stored.size, pages.length, now);
    })();
    await drainFileQueue(db, store);
    // Ids and sizes only: titles and owners are personal data.
    log.info(
      'pdf',
      `${prepared.subject.split(':')[0]} PDF: ${pages.length} pages, ${stored.size} bytes in ${Date.now() - started} ms`,
    );
    return result(stored.sha256, stored.size, pages.length);
  }
}

/** Two documents filling components of the same name: "Giấy tờ (2)" tells them apart. */
function numberRepeatedTitles(outline: OutlineEntry[]): void {
  const seen = new Map<string, number>();
  for (const entry of outline) {
    const n = (seen.get(entry.title) ?? 0) + 1;
    seen.set(entry.title, n);
    if (n > 1) entry.title = `${entry.title} (${n})`;
  }
}

function inputKey(description: Prepared['description'], fingerprint: unknown[]): string {
  return sha256(JSON.stringify({ v: PDF_RENDERER_VERSION, description, fingerprint }));
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

function parseJson<T>(text: string): T | null {
  try {
    return JSON.parse(text) as T;
  } catch {
    return null;
  }
}

/** A file name from a title: folded to ASCII, words joined by '-', at most 80 characters. */
export function slug(text: string): string {
  const ascii = foldText(text.normalize('NFC'))
    .replace(/[^a-z0-9.]+/gi, '-')
    .replace(/^[-.]+|[-.]+$/g, '')
    .slice(0, 80)
    .replace(/-+$/g, '');
  return ascii || 'tai-lieu';
}

/** Dossier codes are ASCII already and read best as printed: keep their case. */
function codeFileName(code: string): string {
  return code.replace(/[^A-Za-z0-9.-]+/g, '-') || 'ho-so';
}

function noPages(): AppFailure {
  return new AppFailure('VALIDATION', 'Chưa có trang nào để xuất PDF.', 'There are no pages to export.');
}
