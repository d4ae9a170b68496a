import { randomUUID } from 'node:crypto';
import path from 'node:path';
import type { ImportOutcome } from '../../../shared/api/contract';
import { AppFailure, type AppError } from '../../../shared/api/errors';
import { log } from '../log';
import {
  analyzePage,
  isUntouched,
  makeWorkingCopy,
  type QualityWarning,
  type Raster,
  type Rotation,
} from '../capture/cleanup';
import { encodeThumbnail, encodeWorkingCopy, openInputSource, type SourcePage } from '../capture/page-source';
import { judgeTextLayer } from '../capture/text-layer';
import type { Db } from '../db/database';
import { nowIso } from '../db/database';
import { updateDossierStatus } from '../dossiers/dossier-service';
import type { BlobStore } from '../files/blob-store';
import { hashFile } from '../files/blob-store';
import { safeDisplayName } from '../files/uploads';
import type { JobQueue } from '../jobs/job-queue';
import { colourModeOfPixels, type ColourMode } from '../pdf/page-image';
import { writeOutbox } from '../sync/outbox';
import { proposeTags } from '../tagging/page-tags';
import { StackSplitter, stagedOutcomeFor } from '../capture/batch-split';
import { refreshSearchText } from './search-text';

export interface ImportTarget {
  dossierId: string | null;
  /** For documents outside a dossier (the inbox), the citizen they belong to, if known. */
  citizenId: string | null;
  /** Recognize every page again, even a PDF page whose text layer looks good. */
  forceOcr?: boolean;
  /**
   * Reshapes each decoded page before cleanup (document camera: the sheet flattened out of the
   * photo); the same raster back means unchanged. The file as it came stays the page's original.
   */
  reshape?: (raster: Raster) => Promise<Raster>;
  /** Told after each page of the file is stored: how many are, of how many (a 300-page PDF takes a while). */
  onPage?: (stored: number, pages: number) => void;
  /**
   * Who imports (the signed-in account): recorded on the dossier's status change the pages cause.
   * Unset for imports no person made (the hot folder): `system`.
   */
  actor?: string;
}

export interface ImportContext {
  db: Db;
  store: BlobStore;
  jobs: JobQueue;
}

export interface StoredBlob {
  sha256: string;
  size: number;
  mime: string;
}

export interface StoredPage {
  pageNo: number;
  image: StoredBlob;
  /** The page as scanned, when the working copy differs from it. */
  original: StoredBlob | null;
  thumb: StoredBlob;
  width: number;
  height: number;
  rotation: Rotation;
  skew: number;
  blank: boolean;
  quality: QualityWarning[];
  dpi: number;
  /** As scanned: what postal invoicing counts pages by. */
  colourMode: ColourMode;
  /** A good PDF text layer, kept instead of OCR. */
  text: { text: string; words: { t: string; c: number; b: [number, number, number, number] }[] } | null;
}

/**
 * Imports one scanned file as a document: every page decoded and stored, then the document, its
 * pages and their OCR jobs committed in one transaction. A bad file is refused with a reason and
 * nothing is written to the database; importing the same bytes again returns the stored document.
 */
export async function importFile(
  ctx: ImportContext,
  file: string,
  displayName: string,
  target: ImportTarget,
): Promise<ImportOutcome> {
  // A display name may come from anywhere (a folder walk, an upload, a caller): keep only its last
  // path segment, NFC, without control characters, so no stored name looks like a path.
  const name = safeDisplayName(displayName);
  try {
    if (target.dossierId) {
      const exists = ctx.db.prepare('SELECT 1 FROM dossiers WHERE id = ?').get(target.dossierId);
      if (!exists) throw new AppFailure('NOT_FOUND', 'Không tìm thấy hồ sơ.', 'Dossier not found.');
    }
    const source = await openInputSource(file);
    const stored: StoredPage[] = [];
    // Stacks are read for separator sheets and ID card QR codes while their pages go by.
    const splitter = source.pageCount > 1 ? new StackSplitter(ctx.db, target) : null;
    let sourceBlob: StoredBlob;
    try {
      const sourceSha = await hashFile(file);
      const existing = findBySource(ctx.db, sourceSha);
      if (existing) return { ok: true, name, ...existing, duplicate: true };
      // A stack already staged for splitting (or split) by separator sheets: the same answer again.
      const staged = stagedOutcomeFor(ctx.db, sourceSha, name);
      if (staged) return staged;
      // One page at a time: decoded, cleaned, stored, forgotten. Only the rows wait for the commit.
      for await (const decoded of source.pages()) {
        const page = await reshapePage(decoded, target);
        await splitter?.inspect(page);
        stored.push(await storePage(ctx, page, target.forceOcr === true));
        target.onPage?.(stored.length, source.pageCount);
      }
      // Streamed through the cipher: a 300-page PDF is never read into memory.
      sourceBlob = { ...(await ctx.store.putFile(file, sourceSha)), mime: source.mime };
    } finally {
      source.close();
    }
    const sourceSha = sourceBlob.sha256;
    // Split at separators: nothing is committed until the clerk confirms the proposed documents.
    if (splitter?.shouldStage()) return splitter.stage(ctx, { name, source: sourceBlob, pages: stored });

    const documentId = randomUUID();
    const committed = ctx.db.transaction(() => {
      // Another process may have imported the same bytes meanwhile.
      const raced = findBySource(ctx.db, sourceSha);
      if (raced) return raced;
      const now = nowIso();
      const citizenId = target.dossierId
        ? (
            ctx.db.prepare('SELECT citizen_id FROM dossiers WHERE id = ?').get(target.dossierId) as {
              citizen_id: string;
            }
          ).citizen_id
        : target.citizenId;
      const pageIds = insertDocument(ctx, {
        id: documentId,
        dossierId: target.dossierId,
        citizenId,
        title: titleOf(name),
        sourceName: name,
        source: sourceBlob,
        pages: stored,
        now,
        actor: target.actor,
      });
      return { documentId, pageIds, fresh: true as const };
    })();
    return {
      ok: true,
      name,
      documentId: committed.documentId,
      pageIds: committed.pageIds,
      duplicate: !('fresh' in committed),
    };
  } catch (error) {
    return { ok: false, name, error: importError(error) };
  }
}

export interface NewDocument {
  id: string;
  dossierId: string | null;
  citizenId: string | null;
  title: string;
  sourceName: string;
  source: StoredBlob;
  /** Stored pages in document order; `pageNo` is written as given. */
  pages: StoredPage[];
  now: string;
  /** Recorded on the dossier's status change; unset: `system`. */
  actor?: string;
}

/**
 * Inserts a document whose page images are already stored, with its pages, tags, search text and
 * OCR jobs, and its outbox record. Runs inside the caller's transaction; returns the page ids.
 */
export function insertDocument(ctx: ImportContext, doc: NewDocument): number[] {
  const { now } = doc;
  const blob = ctx.db.prepare(
    'INSERT INTO blobs (sha256, size, mime, created_at) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING',
  );
  blob.run(doc.source.sha256, doc.source.size, doc.source.mime, now);
  ctx.db
    .prepare(
      `INSERT INTO documents (id, dossier_id, citizen_id, title, source_name, source_sha256, page_count, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    )
    .run(doc.id, doc.dossierId, doc.citizenId, doc.title, doc.sourceName, doc.source.sha256, doc.pages.length, now);
  const insertPage = ctx.db.prepare(
    `INSERT INTO pages (document_id, page_no, image_sha256, thumb_sha256, width, height, original_sha256,
       rotation, skew, blank, quality, dpi, colour_mode, text_source, ocr_status, ocr_text, ocr_confidence, ocr_words)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const pageIds: number[] = [];
  for (const page of doc.pages) {
    for (const stored of [page.image, page.thumb, page.original]) {
      if (stored) blob.run(stored.sha256, stored.size, stored.mime, now);
    }
    // A blank page and a page with a good text layer need no OCR: they are done at once.
    const done = page.blank || page.text !== null;
    const id = Number(
      insertPage.run(
        doc.id,
        page.pageNo,
        page.image.sha256,
        page.thumb.sha256,
        page.width,
        page.height,
        page.original?.sha256 ?? null,
        page.rotation,
        page.skew,
        page.blank ? 1 : 0,
        JSON.stringify(page.quality),
        page.dpi,
        page.colourMode ?? null,
        page.text ? 'pdf' : 'ocr',
        done ? 'done' : 'queued',
        page.text?.text ?? '',
        page.text ? 100 : null,
        page.text ? JSON.stringify(page.text.words) : null,
      ).lastInsertRowid,
    );
    if (page.text) proposeTags(ctx.db, id, page.text.text);
    refreshSearchText(ctx.db, id);
    if (!done) ctx.jobs.enqueue('ocr', String(id));
    pageIds.push(id);
  }
  writeOutbox(ctx.db, 'document', doc.id, 'create', {
    dossierId: doc.dossierId,
    sourceSha256: doc.source.sha256,
    pages: doc.pages.map((page) => ({
      pageNo: page.pageNo,
      sha256: page.image.sha256,
      originalSha256: page.original?.sha256 ?? null,
      blank: page.blank,
    })),
  });
  if (doc.dossierId) updateDossierStatus(ctx.db, doc.dossierId, doc.actor);
  return pageIds;
}

const FILE_ERRORS: Record<string, [string, string]> = {
  ENOENT: ['Không tìm thấy tệp.', 'File not found.'],
  EACCES: ['Không có quyền đọc tệp.', 'No permission to read the file.'],
  EPERM: ['Không có quyền đọc tệp.', 'No permission to read the file.'],
  EISDIR: ['Đây là thư mục, không phải tệp.', 'This is a folder, not a file.'],
};

function importError(error: unknown): AppError {
  if (error instanceof AppFailure) return error.appError;
  const known = FILE_ERRORS[(error as NodeJS.ErrnoException).code ?? ''];
  if (known) return { code: 'UNSUPPORTED_FILE', message: known[0], messageEn: known[1] };
  log.error('import', 'file import failed', error);
  return {
    code: 'INTERNAL',
    message: 'Không nhập được tệp do lỗi nội bộ; các tệp khác vẫn được nhập.',
    messageEn: 'The file could not be imported (internal error); other files go on.',
  };
}

function findBySource(db: Db, sha256: string): { documentId: string; pageIds: number[] } | null {
  const doc = db.prepare('SELECT id FROM documents WHERE source_sha256 = ?').get(sha256) as { id: string } | undefined;
  if (!doc) return null;
  const pageIds = (
    db.prepare('SELECT id FROM pages WHERE document_id = ? ORDER BY page_no').all(doc.id) as { id: number }[]
  ).map((row) => row.id);
  return { documentId: doc.id, pageIds };
}

export function titleOf(name: string): string {
  const base = path.basename(name);
  const ext = path.extname(base);
  return (ext ? base.slice(0, -ext.length) : base) || base;
}

/**
 * Cleans one page and stores its images: the working copy (upright, straight, borders cropped),
 * the scan as it came when that differs, and a thumbnail. A page that keeps its PDF text layer is
 * not turned or straightened: the layer's word boxes are tied to the page as it is.
 */
async function reshapePage(page: SourcePage, target: ImportTarget): Promise<ReshapedPage> {
  if (!target.reshape) return page;
  const raster = await target.reshape(page.raster);
  return raster === page.raster ? page : { ...page, raster, reshaped: true };
}

type ReshapedPage = SourcePage & { reshaped?: boolean };

export async function storePage(ctx: ImportContext, page: ReshapedPage, forceOcr: boolean): Promise<StoredPage> {
  const layer = page.textLayer;
  const keepText = layer !== null && !forceOcr && judgeTextLayer(layer.text).quality === 'good';
  const found = await analyzePage(page.raster, page.dpi);
  const analysis = keepText ? { ...found, rotation: 0 as const, skew: 0, crop: null, blank: false } : found;
  const original = await page.original();
  const originalBlob = { ...(await ctx.store.put(original.bytes)), mime: original.mime };
  let image = originalBlob;
  let raster = page.raster;
  // A reshaped page's working copy is never the file itself, even when cleanup leaves it alone.
  if (!isUntouched(analysis) || page.reshaped) {
    if (!isUntouched(analysis)) raster = await makeWorkingCopy(page.raster, analysis);
    const working = await encodeWorkingCopy(raster, page.bilevel, found.effectiveDpi);
    image = { ...(await ctx.store.put(working.bytes)), mime: working.mime };
  }
  const thumbBytes = await encodeThumbnail(raster);
  const thumb = { ...(await ctx.store.put(thumbBytes)), mime: 'image/jpeg' };
  return {
    pageNo: page.pageNo,
    image,
    original: image.sha256 === originalBlob.sha256 ? null : originalBlob,
    thumb,
    width: raster.width,
    height: raster.height,
    rotation: ((page.exifRotation + analysis.rotation) % 360) as Rotation,
    skew: analysis.skew,
    blank: analysis.blank,
    quality: analysis.warnings,
    dpi: analysis.effectiveDpi,
    colourMode: page.bilevel
      ? 'bilevel'
      : colourModeOfPixels(page.raster.data, page.raster.width, page.raster.height, page.raster.channels),
    text: keepText ? layer : null,
  };
}
