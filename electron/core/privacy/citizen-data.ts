import { PDFDocument, rgb, type PDFFont, type PDFPage } from 'pdf-lib';
import { loadFontkit } from '../pdf/fontkit';
import type { CitizenHoldings, CitizenRequest, DeletionOutcome } from '../../../shared/api/calls/privacy';
import { vietnamClock } from '../../../shared/api/calls/privacy';
import { AppFailure } from '../../../shared/api/errors';
import { recordProcessing } from '../audit/processing-log';
import type { Db } from '../db/database';
import { nowIso } from '../db/database';
import type { DocumentsTableRow } from '../db/document-row';
import { unlearnExample } from '../doc-types/learned-model';
import type { BlobStore } from '../files/blob-store';
import { headingFont, textLayerFont } from '../pdf/pdf-assets';
import { slug, type PdfExports } from '../pdf/pdf-exports';
import { zipChunks, type ZipEntry } from '../pdf/zip-stream';
import { documentFiles, dropRenditions, queueFiles } from './file-queue';

/**
 * Everything held here about one ID number: its dossiers, the documents in them or filed under
 * the number, tags naming it, the chip card read for it, copies of the central store's records,
 * its requests and the processing-log entries about it.
 */

interface DossierRow {
  id: string;
  code: string;
  citizen_name: string;
  procedure_code: string;
  status: string;
  channel: number;
  created_at: string;
  updated_at: string;
}

/** Every column but the source hash. */
type DocumentRow = Omit<DocumentsTableRow, 'source_sha256'>;

const dossiersOf = (db: Db, citizenId: string): DossierRow[] =>
  db
    .prepare(
      `SELECT id, code, citizen_name, procedure_code, status, channel, created_at, updated_at
       FROM dossiers WHERE citizen_id = ? ORDER BY created_at, id`,
    )
    .all(citizenId) as DossierRow[];

/** The citizen's documents: in their dossiers, or filed under their number. */
const documentsOf = (db: Db, citizenId: string): DocumentRow[] =>
  db
    .prepare(
      `SELECT doc.id, doc.dossier_id, doc.citizen_id, doc.title, doc.source_name, doc.doc_type, doc.valid_until,
              doc.page_count, doc.created_at, doc.purged_at
       FROM documents doc LEFT JOIN dossiers d ON d.id = doc.dossier_id
       WHERE coalesce(d.citizen_id, doc.citizen_id) = ? ORDER BY doc.created_at, doc.id`,
    )
    .all(citizenId) as DocumentRow[];

function logEntriesOf(db: Db, citizenId: string): Record<string, unknown>[] {
  return db
    .prepare(
      `SELECT seq, at, username, action, subject, legal_basis AS legalBasis FROM processing_log
       WHERE citizen_id = ? ORDER BY seq`,
    )
    .all(citizenId) as Record<string, unknown>[];
}

export function holdings(db: Db, citizenId: string): CitizenHoldings {
  const documents = documentsOf(db, citizenId);
  return {
    citizenId,
    dossiers: dossiersOf(db, citizenId).map((d) => ({
      id: d.id,
      code: d.code,
      status: d.status,
      createdAt: d.created_at,
    })),
    documents: documents.length,
    pages: documents.reduce((n, d) => n + d.page_count, 0),
    unfiledDocuments: documents.filter((d) => d.dossier_id === null).length,
    processingLogEntries: (
      db.prepare('SELECT count(*) AS n FROM processing_log WHERE citizen_id = ?').get(citizenId) as { n: number }
    ).n,
    restricted: db.prepare('SELECT 1 FROM citizen_restrictions WHERE citizen_id = ?').get(citizenId) !== undefined,
  };
}

/** Who acted, for the processing log. */
export interface Actor {
  userId: string | null;
  username: string;
}

export function requestBasis(request: CitizenRequest): string {
  return `${request.legalBasis} (yêu cầu của chủ thể dữ liệu ${request.id})`;
}

/** The JSON manifest of every record held about the citizen. */
function manifestOf(db: Db, request: CitizenRequest, files: Map<string, string>, exportedBy: string): unknown {
  const citizenId = request.citizenId;
  const documents = documentsOf(db, citizenId);
  const pageTags = db.prepare(
    `SELECT t.kind, t.value, t.status, p.page_no AS pageNo FROM tags t JOIN pages p ON p.id = t.page_id
     WHERE p.document_id = ? ORDER BY p.page_no, t.id`,
  );
  const checklist = db.prepare(
    `SELECT code, name, state, reused, from_national_store AS fromNationalStore, missing_reason AS missingReason
     FROM dossier_components WHERE dossier_id = ? ORDER BY position`,
  );
  const history = db.prepare(
    'SELECT from_status AS "from", to_status AS "to", actor, at FROM dossier_status_history WHERE dossier_id = ? ORDER BY id',
  );
  return {
    format: 'sohoa-citizen-export',
    version: 1,
    exportedAt: nowIso(),
    exportedBy,
    citizenId,
    request: { id: request.id, kind: request.kind, receivedAt: request.receivedAt, legalBasis: request.legalBasis },
    card: db.prepare('SELECT * FROM citizen_cards WHERE citizen_id = ?').get(citizenId) ?? null,
    dossiers: dossiersOf(db, citizenId).map((d) => ({
      id: d.id,
      code: d.code,
      ownerName: d.citizen_name || null,
      procedureCode: d.procedure_code,
      status: d.status,
      channel: d.channel,
      receivedAt: d.created_at,
      updatedAt: d.updated_at,
      components: checklist.all(d.id),
      history: history.all(d.id),
    })),
    documents: documents.map((d) => ({
      id: d.id,
      file: files.get(d.id) ?? null,
      dossierId: d.dossier_id,
      title: d.title,
      sourceName: d.source_name,
      documentType: d.doc_type,
      validUntil: d.valid_until,
      pageCount: d.page_count,
      digitizedAt: d.created_at,
      purgedAt: d.purged_at,
      tags: pageTags.all(d.id),
    })),
    // The number read on pages of other records (tags), named by page only.
    mentions: db
      .prepare(
        `SELECT t.page_id AS pageId, t.status FROM tags t JOIN pages p ON p.id = t.page_id
         JOIN documents doc ON doc.id = p.document_id LEFT JOIN dossiers d ON d.id = doc.dossier_id
         WHERE t.kind = 'citizenId' AND t.value = ? AND coalesce(d.citizen_id, doc.citizen_id, '') != ?`,
      )
      .all(citizenId, citizenId),
    centralRecords: db
      .prepare('SELECT id, unit, digitized_at AS digitizedAt, title FROM remote_documents WHERE citizen_id = ?')
      .all(citizenId),
    requests: db
      .prepare(
        `SELECT id, kind, received_at AS receivedAt, due_at AS dueAt, status, outcome, legal_basis AS legalBasis
         FROM citizen_requests WHERE citizen_id = ? ORDER BY received_at`,
      )
      .all(citizenId),
    restricted: db.prepare('SELECT since FROM citizen_restrictions WHERE citizen_id = ?').get(citizenId) ?? null,
    processingLog: logEntriesOf(db, citizenId),
  };
}

/** Each document with pages and files still here, as its searchable PDF (pdf-exports' cache). */
async function documentPdfs(
  db: Db,
  store: BlobStore,
  exports: PdfExports,
  citizenId: string,
): Promise<{ row: DocumentRow; name: string; bytes: Buffer; pageCount: number }[]> {
  const out: { row: DocumentRow; name: string; bytes: Buffer; pageCount: number }[] = [];
  for (const row of documentsOf(db, citizenId)) {
    if (row.purged_at !== null || row.page_count === 0) continue;
    const pdf = await exports.documentPdf(row.id);
    const name = `${String(out.length + 1).padStart(2, '0')}-${slug(row.title)}.pdf`;
    out.push({ row, name, bytes: await store.read(pdf.sha256), pageCount: pdf.pageCount });
  }
  return out;
}

/** A ZIP: one PDF per document and manifest.json of every record. */
export async function citizenZip(
  deps: { db: Db; store: BlobStore; exports: PdfExports },
  request: CitizenRequest,
  actor: Actor,
): Promise<{ fileName: string; bytes: Buffer; pageCount: number }> {
  const pdfs = await documentPdfs(deps.db, deps.store, deps.exports, request.citizenId);
  const files = new Map(pdfs.map((p) => [p.row.id, p.name] as const));
  recordExport(deps.db, request, actor);
  const manifest = manifestOf(deps.db, request, files, actor.username);
  const now = new Date();
  const entries: ZipEntry[] = pdfs.map((p) => ({ name: p.name, mtime: now, open: () => [p.bytes] }));
  entries.push({
    name: 'manifest.json',
    mtime: now,
    open: () => [Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`)],
  });
  const chunks: Uint8Array[] = [];
  for await (const chunk of zipChunks(entries)) chunks.push(chunk);
  return {
    fileName: `du-lieu-${request.citizenId}.zip`,
    bytes: Buffer.concat(chunks),
    pageCount: pdfs.reduce((n, p) => n + p.pageCount, 0),
  };
}

/** One PDF: a summary of every record, then every document's pages (with their text layer). */
export async function citizenPdf(
  deps: { db: Db; store: BlobStore; exports: PdfExports },
  request: CitizenRequest,
  actor: Actor,
): Promise<{ fileName: string; bytes: Uint8Array; pageCount: number }> {
  const { db } = deps;
  const pdfs = await documentPdfs(db, deps.store, deps.exports, request.citizenId);
  recordExport(db, request, actor);
  const doc = await PDFDocument.create();
  doc.registerFontkit(await loadFontkit());
  const regular = await doc.embedFont(await textLayerFont(), { subset: true });
  const bold = await doc.embedFont(await headingFont(), { subset: true });
  doc.setTitle(`Dữ liệu cá nhân — ${request.citizenId}`);
  doc.setCreator('SoHoa 0.1.0');
  doc.setProducer('SoHoa 0.1.0 (pdf-lib 1.17.1)');

  const lines: { text: string; font: PDFFont; size: number }[] = [];
  const line = (text: string, font = regular, size = 10): void => void lines.push({ text, font, size });
  line('DỮ LIỆU CÁ NHÂN ĐANG LƯU GIỮ', bold, 14);
  line(`Số định danh: ${request.citizenId}`, bold, 11);
  line(`Xuất lúc ${vietnamClock(nowIso())} (giờ Việt Nam) theo yêu cầu ${request.id}; người xuất: ${actor.username}`);
  line(`Căn cứ: ${request.legalBasis}`);
  line('');
  const dossiers = dossiersOf(db, request.citizenId);
  line(`Hồ sơ (${dossiers.length})`, bold, 12);
  for (const d of dossiers)
    line(`• ${d.code} — thủ tục ${d.procedure_code} — ${d.status} — tiếp nhận ${vietnamClock(d.created_at)}`);
  const documents = documentsOf(db, request.citizenId);
  line('');
  line(`Giấy tờ (${documents.length})`, bold, 12);
  for (const d of documents)
    line(
      `• ${d.title || '(không tên)'} — ${d.page_count} trang — ${vietnamClock(d.created_at)}${d.purged_at ? ' — đã xoá bản sao' : ''}`,
    );
  const log = logEntriesOf(db, request.citizenId);
  line('');
  line(`Nhật ký xử lý (${log.length} mục)`, bold, 12);
  for (const entry of log)
    line(
      `#${String(entry.seq)} ${vietnamClock(String(entry.at))} ${String(entry.username)} ${String(entry.action)} ${String(entry.subject)}`,
    );
  drawLines(doc, lines);

  for (const pdf of pdfs) {
    const source = await PDFDocument.load(pdf.bytes);
    for (const page of await doc.copyPages(source, source.getPageIndices())) doc.addPage(page);
  }
  const bytes = await doc.save();
  return { fileName: `du-lieu-${request.citizenId}.pdf`, bytes, pageCount: doc.getPageCount() };
}

/** A4 pages of text lines, wrapped to the width. */
function drawLines(doc: PDFDocument, lines: { text: string; font: PDFFont; size: number }[]): void {
  const width = 595.28;
  const height = 841.89;
  const margin = 50;
  let page: PDFPage = doc.addPage([width, height]);
  let y = height - margin;
  for (const { text, font, size } of lines) {
    for (const part of wrap(text, font, size, width - 2 * margin)) {
      if (y < margin + size) {
        page = doc.addPage([width, height]);
        y = height - margin;
      }
      page.drawText(part, { x: margin, y: y - size, size, font, color: rgb(0, 0, 0) });
      y -= size * 1.5;
    }
  }
}

function wrap(text: string, font: PDFFont, size: number, max: number): string[] {
  if (text === '') return [''];
  const out: string[] = [];
  let current = '';
  for (const word of text.split(' ')) {
    const next = current ? `${current} ${word}` : word;
    if (current && font.widthOfTextAtSize(next, size) > max) {
      out.push(current);
      current = word;
    } else current = next;
  }
  if (current) out.push(current);
  return out;
}

function recordExport(db: Db, request: CitizenRequest, actor: Actor): void {
  db.transaction(() =>
    recordProcessing(db, {
      userId: actor.userId,
      username: actor.username,
      action: 'export',
      subject: `citizen:${request.citizenId}`,
      citizenId: request.citizenId,
      legalBasis: requestBasis(request),
    }),
  ).immediate();
}

/**
 * Deletes what the law allows: documents filed under the number outside any dossier, copies of
 * the central store's records, tags naming the number on those documents. Dossiers (and every
 * document in them or attached to them) are case files the agency keeps under its legal duty:
 * kept, and named. Refused with that reason when nothing can be deleted.
 */
export function deleteCitizenData(db: Db, request: CitizenRequest, actor: Actor): DeletionOutcome {
  return db
    .transaction((): DeletionOutcome => {
      const citizenId = request.citizenId;
      const kept = dossiersOf(db, citizenId).map((d) => d.code);
      const deletable = (
        db
          .prepare(
            `SELECT doc.id FROM documents doc
             WHERE doc.citizen_id = ? AND doc.dossier_id IS NULL
               AND NOT EXISTS (SELECT 1 FROM component_items i WHERE i.document_id = doc.id)
               AND NOT EXISTS (SELECT 1 FROM dossiers r WHERE r.result_document_id = doc.id)`,
          )
          .all(citizenId) as { id: string }[]
      ).map((r) => r.id);
      const attached = (
        db
          .prepare(
            `SELECT count(*) AS n FROM documents doc WHERE doc.citizen_id = ? AND doc.dossier_id IS NULL
             AND (EXISTS (SELECT 1 FROM component_items i WHERE i.document_id = doc.id)
                  OR EXISTS (SELECT 1 FROM dossiers r WHERE r.result_document_id = doc.id))`,
          )
          .get(citizenId) as { n: number }
      ).n;
      const remote = db
        .prepare('DELETE FROM remote_documents WHERE citizen_id = ? AND materialized_at IS NULL')
        .run(citizenId).changes;
      if (deletable.length === 0 && remote === 0 && (kept.length > 0 || attached > 0)) {
        throw new AppFailure(
          'CONFLICT',
          `Không thể xoá: ${kept.length} hồ sơ thủ tục hành chính (${kept.join(', ')})${attached > 0 ? ` và ${attached} giấy tờ đã dùng trong hồ sơ` : ''} phải được lưu giữ theo nghĩa vụ lưu trữ hồ sơ của cơ quan nhà nước; không có dữ liệu nào khác có thể xoá.`,
          `Cannot delete: ${kept.length} case files (${kept.join(', ')})${attached > 0 ? ` and ${attached} documents used in them` : ''} must be kept under the agency's duty to keep case files; nothing else can be deleted.`,
        );
      }
      let pages = 0;
      const files = new Set<string>();
      for (const documentId of deletable) {
        for (const sha of documentFiles(db, documentId)) files.add(sha);
        for (const sha of dropRenditions(db, [`document:${documentId}`])) files.add(sha);
        pages += deleteDocumentRows(db, documentId);
        recordProcessing(db, {
          userId: actor.userId,
          username: actor.username,
          action: 'delete',
          subject: `document:${documentId}`,
          citizenId,
          legalBasis: requestBasis(request),
        });
      }
      if (kept.length === 0 && attached === 0)
        db.prepare('DELETE FROM citizen_cards WHERE citizen_id = ?').run(citizenId);
      const queued = queueFiles(db, files, null);
      const keptText =
        kept.length > 0 || attached > 0
          ? ` Giữ lại ${kept.length} hồ sơ (${kept.join(', ')})${attached > 0 ? ` và ${attached} giấy tờ đã dùng trong hồ sơ` : ''} theo nghĩa vụ lưu trữ hồ sơ thủ tục hành chính.`
          : '';
      const outcome = `Đã xoá ${deletable.length} giấy tờ (${pages} trang) và ${remote} bản sao hồ sơ từ kho trung tâm.${keptText}`;
      db.prepare(
        `UPDATE citizen_requests SET status = 'done', outcome = ?, closed_by = ?, closed_at = ? WHERE id = ? AND status = 'open'`,
      ).run(outcome, actor.username, nowIso(), request.id);
      return {
        deletedDocuments: deletable.length,
        deletedPages: pages,
        filesQueued: queued,
        keptDossiers: kept,
        outcome,
      };
    })
    .immediate();
}

/** Removes a document and every row hanging off it; its files are queued by the caller. */
function deleteDocumentRows(db: Db, documentId: string): number {
  const pageIds = (db.prepare('SELECT id FROM pages WHERE document_id = ?').all(documentId) as { id: number }[]).map(
    (p) => p.id,
  );
  for (const pageId of pageIds) {
    for (const table of ['tags', 'page_id_cards', 'page_doc_types'])
      db.prepare(`DELETE FROM ${table} WHERE page_id = ?`).run(pageId);
    db.prepare('UPDATE citizen_cards SET source_page_id = NULL WHERE source_page_id = ?').run(pageId);
    db.prepare(`DELETE FROM jobs WHERE kind = 'ocr' AND subject = ?`).run(String(pageId));
    db.prepare(`DELETE FROM outbox WHERE entity = 'page' AND entity_id = ?`).run(String(pageId));
  }
  db.prepare('DELETE FROM pages WHERE document_id = ?').run(documentId);
  unlearnExample(db, documentId);
  for (const table of ['document_type_suggestions', 'doc_type_relearn'])
    db.prepare(`DELETE FROM ${table} WHERE document_id = ?`).run(documentId);
  db.prepare('UPDATE hot_folder_claims SET document_id = NULL WHERE document_id = ?').run(documentId);
  db.prepare(`DELETE FROM outbox WHERE entity = 'document' AND entity_id = ?`).run(documentId);
  db.prepare('DELETE FROM remote_documents WHERE id = ?').run(documentId);
  db.prepare('DELETE FROM documents WHERE id = ?').run(documentId);
  return pageIds.length;
}
