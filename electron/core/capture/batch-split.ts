/**
 * Splitting a scanned stack at separator sheets and ID cards, with the clerk's confirmation.
 *
 * While a multi-page file is imported, each page is read for a SoHoa separator QR code or a chip
 * ID card's. A stack with a split is not committed: its stored pages are staged (migration 12)
 * with a proposed grouping; the clerk moves boundaries or picks components, then confirms (every
 * document created in one transaction) or rejects (the stack becomes one document, as without
 * separators). Staged rows live in SQLite and the images in the blob store, so a crash or a
 * restart loses nothing.
 */
import { randomUUID } from 'node:crypto';
import { promisify } from 'node:util';
import { deflate } from 'node:zlib';
import {
  concatTransformationMatrix,
  drawObject,
  PDFDocument,
  PDFRawStream,
  popGraphicsState,
  pushGraphicsState,
} from 'pdf-lib';
import sharp from 'sharp';
import type { ImportOutcome, StagedBatch, StagedGroup, StagedPage } from '../../../shared/api/contract';
import { AppFailure } from '../../../shared/api/errors';
import { assignDocument } from '../checklist/checklist-service';
import type { Db } from '../db/database';
import { nowIso } from '../db/database';
import { assertDossierOpen } from '../dossiers/lifecycle';
import {
  insertDocument,
  titleOf,
  type ImportContext,
  type ImportTarget,
  type StoredBlob,
  type StoredPage,
} from '../pages/page-import';
import { refreshSearchText } from '../pages/search-text';
import type { SourcePage } from './page-source';
import { detectPageMarker, type PageMarker } from './separators';

/** An identity document (from an ID card's QR code) goes to a component of this document type. */
const ID_CARD_DOC_TYPE = 'cccd';
const deflateAsync = promisify(deflate);
export const STAGED_CODE = 'STAGED';

interface DossierRef {
  id: string;
  code: string;
}

interface ComponentRef {
  id: string;
  code: string;
  name: string;
  doc_type: string;
}

function dossierByCode(db: Db, code: string): DossierRef | undefined {
  return db.prepare('SELECT id, code FROM dossiers WHERE code = ?').get(code) as DossierRef | undefined;
}

function componentsOf(db: Db, dossierId: string): ComponentRef[] {
  return db
    .prepare('SELECT id, code, name, doc_type FROM dossier_components WHERE dossier_id = ? ORDER BY position')
    .all(dossierId) as ComponentRef[];
}

type Marker = { kind: 'separator'; componentCode: string | null } | { kind: 'idCard'; citizenId: string } | null;

/**
 * Reads a stack's pages as they are imported and decides whether it splits. Refuses, before
 * anything is committed, a sheet printed for another dossier or for a component the dossier lacks.
 */
export class StackSplitter {
  private readonly markers: Marker[] = [];
  private dossier: DossierRef | null;

  constructor(
    private readonly db: Db,
    private readonly target: ImportTarget,
  ) {
    this.dossier = target.dossierId
      ? ((db.prepare('SELECT id, code FROM dossiers WHERE id = ?').get(target.dossierId) as DossierRef | undefined) ??
        null)
      : null;
  }

  async inspect(page: SourcePage): Promise<void> {
    this.markers.push(this.check(page.pageNo, await detectPageMarker(page.raster)));
  }

  private check(pageNo: number, found: PageMarker): Marker {
    if (found === null) return null;
    if (found.kind === 'idCard') return found;
    const sheet = found.separator;
    if (!sheet.ok)
      throw new AppFailure('VALIDATION', `Trang ${pageNo}: ${sheet.message}`, `Page ${pageNo}: ${sheet.messageEn}`);
    if (sheet.dossierCode !== null) {
      if (this.dossier === null) {
        // No dossier open (the inbox): the sheet says which dossier the stack is for.
        const named = dossierByCode(this.db, sheet.dossierCode);
        if (!named)
          throw new AppFailure(
            'VALIDATION',
            `Trang ${pageNo} là tờ phân tách của hồ sơ ${sheet.dossierCode}, nhưng không có hồ sơ nào mang mã này trên máy. Tệp chưa được nhập.`,
            `Page ${pageNo} is a separator sheet for dossier ${sheet.dossierCode}, which is not on this computer. The file was not imported.`,
          );
        this.dossier = named;
      } else if (sheet.dossierCode !== this.dossier.code) {
        throw new AppFailure(
          'VALIDATION',
          `Trang ${pageNo} là tờ phân tách của hồ sơ khác (${sheet.dossierCode}), không phải hồ sơ ${this.dossier.code}. Tệp chưa được nhập: hãy quét lại với tờ phân tách in từ hồ sơ này.`,
          `Page ${pageNo} is a separator sheet for another dossier (${sheet.dossierCode}), not ${this.dossier.code}. The file was not imported: scan it again with separator sheets printed for this dossier.`,
        );
      }
    }
    if (sheet.componentCode !== null) {
      const dossier = this.dossier;
      if (!dossier)
        throw new AppFailure(
          'VALIDATION',
          `Trang ${pageNo} là tờ phân tách cho một thành phần hồ sơ, nhưng chưa mở hồ sơ nào. Hãy mở hồ sơ rồi nhập lại.`,
          `Page ${pageNo} is a separator sheet for a dossier component, but no dossier is open. Open the dossier and import again.`,
        );
      if (!componentsOf(this.db, dossier.id).some((c) => c.code === sheet.componentCode))
        throw new AppFailure(
          'VALIDATION',
          `Trang ${pageNo} là tờ phân tách cho thành phần "${sheet.componentCode}", nhưng hồ sơ ${dossier.code} không có thành phần này.`,
          `Page ${pageNo} is a separator sheet for component "${sheet.componentCode}", which dossier ${dossier.code} does not have.`,
        );
    }
    return { kind: 'separator', componentCode: sheet.componentCode };
  }

  /**
   * A separator anywhere, or an ID card that starts a document after the first one. Only for a
   * dossier (the open one, or the one the sheets name): the clerk reviews proposals in the dossier
   * view, so an inbox stack with generic sheets only imports as one document, as before.
   */
  shouldStage(): boolean {
    if (this.dossier === null) return false;
    const firstContent = this.markers.findIndex((m) => m?.kind !== 'separator');
    return this.markers.some((m, i) => m?.kind === 'separator' || (m?.kind === 'idCard' && i > firstContent));
  }

  /** Stages the stack with its proposed split; the outcome tells the clerk to review it. */
  stage(ctx: ImportContext, stack: { name: string; source: StoredBlob; pages: StoredPage[] }): ImportOutcome {
    if (this.markers.every((m) => m?.kind === 'separator'))
      throw new AppFailure(
        'VALIDATION',
        'Tệp chỉ có tờ phân tách, không có trang tài liệu nào.',
        'The file holds only separator sheets, no document pages.',
      );
    const dossier = this.dossier;
    const components = dossier ? componentsOf(ctx.db, dossier.id) : [];
    const idComponent = components.find((c) => c.doc_type === ID_CARD_DOC_TYPE)?.id ?? null;
    const batchId = randomUUID();
    const now = nowIso();
    const staged = ctx.db.transaction(() => {
      const raced = stagedOutcomeFor(ctx.db, stack.source.sha256, stack.name);
      if (raced) return raced;
      const blob = ctx.db.prepare(
        'INSERT INTO blobs (sha256, size, mime, created_at) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING',
      );
      blob.run(stack.source.sha256, stack.source.size, stack.source.mime, now);
      ctx.db
        .prepare(
          `INSERT INTO staged_batches (id, dossier_id, citizen_id, source_name, source_sha256, page_count, status, created_at)
           VALUES (?, ?, ?, ?, ?, ?, 'pending', ?)`,
        )
        .run(
          batchId,
          dossier?.id ?? null,
          dossier ? null : this.target.citizenId,
          stack.name,
          stack.source.sha256,
          stack.pages.length,
          now,
        );
      const insert = ctx.db.prepare(
        `INSERT INTO staged_pages (batch_id, position, stored, marker, component_code, card_id, starts_group, component_id)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
      );
      // The proposal: a document starts after each separator (for its component) and at each ID card.
      let startNext = true;
      let nextComponent: string | null = null;
      stack.pages.forEach((page, index) => {
        for (const stored of [page.image, page.thumb, page.original])
          if (stored) blob.run(stored.sha256, stored.size, stored.mime, now);
        const marker = this.markers[index] ?? null;
        let starts = false;
        let componentId: string | null = null;
        if (marker?.kind === 'separator') {
          startNext = true;
          nextComponent = components.find((c) => c.code === marker.componentCode)?.id ?? null;
        } else if (marker?.kind === 'idCard' || startNext) {
          starts = true;
          componentId = startNext ? nextComponent : null;
          if (marker?.kind === 'idCard') componentId ??= idComponent;
          startNext = false;
          nextComponent = null;
        }
        insert.run(
          batchId,
          index + 1,
          JSON.stringify(page),
          marker?.kind ?? null,
          marker?.kind === 'separator' ? (marker.componentCode ?? '*') : null,
          marker?.kind === 'idCard' ? marker.citizenId : null,
          starts ? 1 : 0,
          componentId,
        );
      });
      return null;
    })();
    return staged ?? stagedOutcome(stack.name, documentCount(ctx.db, batchId));
  }
}

function documentCount(db: Db, batchId: string): number {
  return (
    db.prepare('SELECT count(*) AS n FROM staged_pages WHERE batch_id = ? AND starts_group = 1').get(batchId) as {
      n: number;
    }
  ).n;
}

function stagedOutcome(name: string, documents: number): ImportOutcome {
  return {
    ok: false,
    name,
    error: {
      code: STAGED_CODE,
      message: `Tập giấy quét có tờ phân tách: đã đề xuất chia thành ${documents} tài liệu. Hãy xem và xác nhận trước khi lưu.`,
      messageEn: `The scanned stack has separator sheets: split into ${documents} proposed documents. Review and confirm before they are stored.`,
    },
  };
}

/** A stack already staged (the same answer again) or already split (a duplicate), by its bytes. */
export function stagedOutcomeFor(db: Db, sourceSha256: string, name: string): ImportOutcome | null {
  const row = db
    .prepare('SELECT id, status, document_ids FROM staged_batches WHERE source_sha256 = ?')
    .get(sourceSha256) as { id: string; status: StagedBatch['status']; document_ids: string } | undefined;
  if (!row) return null;
  if (row.status === 'pending') return stagedOutcome(name, documentCount(db, row.id));
  const documentIds = JSON.parse(row.document_ids) as string[];
  const first = documentIds[0];
  if (row.status === 'rejected' || first === undefined) return null;
  const pageIds = (
    db
      .prepare(
        `SELECT id FROM pages WHERE document_id IN (SELECT value FROM json_each(?)) ORDER BY document_id, page_no`,
      )
      .all(row.document_ids) as { id: number }[]
  ).map((p) => p.id);
  return { ok: true, name, documentId: first, pageIds, duplicate: true };
}

interface BatchRow {
  id: string;
  dossier_id: string | null;
  citizen_id: string | null;
  source_name: string;
  source_sha256: string;
  page_count: number;
  status: StagedBatch['status'];
  document_ids: string;
  created_at: string;
}

interface StagedPageRow {
  position: number;
  stored: string;
  marker: 'separator' | 'idCard' | null;
  component_code: string | null;
  card_id: string | null;
  starts_group: number;
  component_id: string | null;
}

function batchRow(db: Db, batchId: string): BatchRow {
  const row = db.prepare('SELECT * FROM staged_batches WHERE id = ?').get(batchId) as BatchRow | undefined;
  if (!row) throw new AppFailure('NOT_FOUND', 'Không tìm thấy tập giấy quét đang chờ.', 'Staged batch not found.');
  return row;
}

function pendingRow(db: Db, batchId: string): BatchRow {
  const row = batchRow(db, batchId);
  if (row.status !== 'pending')
    throw new AppFailure(
      'CONFLICT',
      'Tập giấy quét này đã được xử lý (đã xác nhận hoặc đã nhập thành một tài liệu).',
      'This scanned stack was already handled (confirmed, or imported as one document).',
    );
  return row;
}

function pageRows(db: Db, batchId: string): StagedPageRow[] {
  return db
    .prepare(
      `SELECT position, stored, marker, component_code, card_id, starts_group, component_id
       FROM staged_pages WHERE batch_id = ? ORDER BY position`,
    )
    .all(batchId) as StagedPageRow[];
}

interface Group {
  start: number;
  pages: StagedPageRow[];
  componentId: string | null;
  cardId: string | null;
}

/** The current split: runs of non-separator pages, each opened by a page that starts a group. */
function groupsOf(rows: StagedPageRow[]): Group[] {
  const groups: Group[] = [];
  for (const row of rows) {
    if (row.marker === 'separator') continue;
    const current = groups.at(-1);
    if (row.starts_group === 1 || !current) {
      groups.push({ start: row.position, pages: [row], componentId: row.component_id, cardId: row.card_id });
    } else current.pages.push(row);
  }
  return groups;
}

/** A pending batch as the clerk sees it, thumbnails included. */
export async function describeBatch(ctx: ImportContext, batchId: string): Promise<StagedBatch> {
  const batch = batchRow(ctx.db, batchId);
  const rows = pageRows(ctx.db, batchId);
  const components = batch.dossier_id ? componentsOf(ctx.db, batch.dossier_id) : [];
  const code = batch.dossier_id
    ? ((ctx.db.prepare('SELECT code FROM dossiers WHERE id = ?').get(batch.dossier_id) as { code: string }).code ??
      null)
    : null;
  const pages: StagedPage[] = [];
  for (const row of rows) {
    const stored = JSON.parse(row.stored) as StoredPage;
    const thumb = await ctx.store.read(stored.thumb.sha256);
    pages.push({
      position: row.position,
      role: row.marker === 'separator' ? 'separator' : 'page',
      componentCode: row.component_code === '*' ? null : row.component_code,
      cardId: row.card_id,
      blank: stored.blank,
      thumb: `data:${stored.thumb.mime};base64,${thumb.toString('base64')}`,
    });
  }
  const groups: StagedGroup[] = groupsOf(rows).map((group) => ({
    start: group.start,
    positions: group.pages.map((p) => p.position),
    componentId: group.componentId,
    componentName: components.find((c) => c.id === group.componentId)?.name ?? null,
    cardId: group.cardId,
  }));
  return {
    id: batch.id,
    dossierId: batch.dossier_id,
    dossierCode: code,
    sourceName: batch.source_name,
    pageCount: batch.page_count,
    status: batch.status,
    createdAt: batch.created_at,
    pages,
    groups,
    components: components.map((c) => ({ id: c.id, code: c.code, name: c.name })),
    documentIds: JSON.parse(batch.document_ids) as string[],
  };
}

export async function listPendingBatches(ctx: ImportContext, dossierId: string | null): Promise<StagedBatch[]> {
  const ids = (
    ctx.db
      .prepare(`SELECT id FROM staged_batches WHERE status = 'pending' AND dossier_id IS ? ORDER BY created_at, id`)
      .all(dossierId) as { id: string }[]
  ).map((row) => row.id);
  const batches: StagedBatch[] = [];
  for (const id of ids) batches.push(await describeBatch(ctx, id));
  return batches;
}

/** The clerk's split: the listed pages start documents (for the given components); others follow. */
export function updateBatchGroups(
  db: Db,
  batchId: string,
  groups: readonly { start: number; componentId: string | null }[],
): void {
  db.transaction(() => {
    const batch = pendingRow(db, batchId);
    const rows = pageRows(db, batchId);
    const content = rows.filter((r) => r.marker !== 'separator').map((r) => r.position);
    const starts = [...groups].sort((a, b) => a.start - b.start);
    const invalid = (vi: string, en: string) => new AppFailure('VALIDATION', vi, en, 'groups');
    if (starts[0]?.start !== content[0])
      throw invalid(
        'Tài liệu đầu tiên phải bắt đầu từ trang đầu tiên.',
        'The first document must start at the first page.',
      );
    const components = new Set(batch.dossier_id ? componentsOf(db, batch.dossier_id).map((c) => c.id) : []);
    let previous = 0;
    for (const group of starts) {
      if (group.start === previous || !content.includes(group.start))
        throw invalid(
          'Điểm tách tài liệu phải là một trang tài liệu (không phải tờ phân tách), mỗi trang một lần.',
          'Each document must start at a document page (not a separator sheet), once.',
        );
      if (group.componentId !== null && !components.has(group.componentId))
        throw invalid(
          'Thành phần hồ sơ đã chọn không thuộc hồ sơ này.',
          'The chosen component is not in this dossier.',
        );
      previous = group.start;
    }
    db.prepare('UPDATE staged_pages SET starts_group = 0, component_id = NULL WHERE batch_id = ?').run(batchId);
    const mark = db.prepare(
      'UPDATE staged_pages SET starts_group = 1, component_id = ? WHERE batch_id = ? AND position = ?',
    );
    for (const group of starts) mark.run(group.componentId, batchId, group.start);
  })();
}

/** A scan as a PDF image stream, lossless: JPEG bytes as they are, anything else deflated pixels. */
async function scanXObject(
  bytes: Buffer,
  mime: string,
): Promise<{ width: number; height: number; dict: Record<string, string | number>; data: Buffer }> {
  const meta = await sharp(bytes).metadata();
  const width = meta.width ?? 0;
  const height = meta.height ?? 0;
  if (mime === 'image/jpeg') {
    const colorSpace = (meta.channels ?? 3) === 1 ? 'DeviceGray' : meta.channels === 4 ? 'DeviceCMYK' : 'DeviceRGB';
    return {
      width,
      height,
      dict: { ColorSpace: colorSpace, BitsPerComponent: 8, Filter: 'DCTDecode' },
      data: bytes,
    };
  }
  const grey = (meta.channels ?? 3) <= 2 || meta.space === 'b-w';
  let pipeline = sharp(bytes).flatten({ background: '#ffffff' });
  pipeline = grey ? pipeline.toColourspace('b-w') : pipeline.toColourspace('srgb');
  const { data, info } = await pipeline.raw().toBuffer({ resolveWithObject: true });
  let pixels = data;
  let bits = 8;
  if (info.channels === 1 && data.every((v) => v === 0 || v === 255)) {
    // A bilevel scan: one bit per pixel, as the scanner saved it (1 = white in DeviceGray).
    const rowBytes = Math.ceil(info.width / 8);
    pixels = Buffer.alloc(rowBytes * info.height);
    for (let y = 0; y < info.height; y++)
      for (let x = 0; x < info.width; x++)
        if (data[y * info.width + x] === 255) {
          const at = y * rowBytes + (x >> 3);
          pixels[at] = (pixels[at] ?? 0) | (0x80 >> (x & 7));
        }
    bits = 1;
  }
  return {
    width: info.width,
    height: info.height,
    dict: {
      ColorSpace: info.channels === 1 ? 'DeviceGray' : 'DeviceRGB',
      BitsPerComponent: bits,
      Filter: 'FlateDecode',
    },
    data: await deflateAsync(pixels),
  };
}

/** The scans of one proposed document as a PDF, page by page as scanned: the document's source file. */
async function partSource(ctx: ImportContext, pages: StoredPage[]): Promise<StoredBlob> {
  const pdf = await PDFDocument.create();
  pdf.setCreator('SoHoa 0.1.0');
  pdf.setProducer('SoHoa 0.1.0 (pdf-lib 1.17.1)');
  for (const page of pages) {
    const scan = page.original ?? page.image;
    const image = await scanXObject(await ctx.store.read(scan.sha256), scan.mime);
    const dpi = page.dpi > 0 ? page.dpi : 200;
    const width = (image.width * 72) / dpi;
    const height = (image.height * 72) / dpi;
    const pdfPage = pdf.addPage([width, height]);
    const stream = PDFRawStream.of(
      pdf.context.obj({
        Type: 'XObject',
        Subtype: 'Image',
        Width: image.width,
        Height: image.height,
        ...image.dict,
        Length: image.data.length,
      }),
      image.data,
    );
    const name = pdfPage.node.newXObject('Scan', pdf.context.register(stream));
    pdfPage.pushOperators(
      pushGraphicsState(),
      concatTransformationMatrix(width, 0, 0, height, 0, 0),
      drawObject(name),
      popGraphicsState(),
    );
  }
  const bytes = Buffer.from(await pdf.save({ useObjectStreams: false }));
  return { ...(await ctx.store.put(bytes)), mime: 'application/pdf' };
}

export interface DecidedBatch {
  dossierId: string | null;
  documentIds: string[];
}

/**
 * Creates the proposed documents in one transaction: each with its pages renumbered from 1, its
 * own source PDF (the scans as they came), assigned to its component; an ID card's document
 * carries the card holder's ID. Separator sheets are left out.
 */
export async function confirmBatch(ctx: ImportContext, batchId: string, actor: string): Promise<DecidedBatch> {
  const batch = pendingRow(ctx.db, batchId);
  const groups = groupsOf(pageRows(ctx.db, batchId)).map((group) => ({
    ...group,
    stored: group.pages.map((row, i) => ({ ...(JSON.parse(row.stored) as StoredPage), pageNo: i + 1 })),
  }));
  // The source PDFs are written to the store first (content-addressed: a retry writes nothing new).
  const sources: StoredBlob[] = [];
  for (const group of groups) sources.push(await partSource(ctx, group.stored));
  const baseTitle = titleOf(batch.source_name);
  const documentIds = ctx.db.transaction(() => {
    pendingRow(ctx.db, batchId);
    if (batch.dossier_id) assertDossierOpen(ctx.db, batch.dossier_id);
    const now = nowIso();
    const dossierCitizen = batch.dossier_id
      ? (ctx.db.prepare('SELECT citizen_id FROM dossiers WHERE id = ?').get(batch.dossier_id) as { citizen_id: string })
          .citizen_id
      : batch.citizen_id;
    const components = batch.dossier_id ? componentsOf(ctx.db, batch.dossier_id) : [];
    const ids: string[] = [];
    groups.forEach((group, index) => {
      const source = sources[index];
      if (!source) throw new Error('missing part source');
      const id = randomUUID();
      const component = components.find((c) => c.id === group.componentId);
      const title = component?.name ?? (group.cardId ? 'Căn cước công dân' : `${baseTitle} (${index + 1})`);
      const pageIds = insertDocument(ctx, {
        id,
        dossierId: batch.dossier_id,
        citizenId: group.cardId ?? dossierCitizen,
        title,
        sourceName: `${baseTitle} (${index + 1}).pdf`,
        source,
        pages: group.stored,
        now,
        actor,
      });
      if (group.cardId) {
        ctx.db.prepare('UPDATE documents SET doc_type = ? WHERE id = ?').run(ID_CARD_DOC_TYPE, id);
        const first = pageIds[0];
        if (first !== undefined) {
          ctx.db
            .prepare(
              `INSERT INTO tags (page_id, kind, value, status) VALUES (?, 'citizenId', ?, 'proposed') ON CONFLICT DO NOTHING`,
            )
            .run(first, group.cardId);
          refreshSearchText(ctx.db, first);
        }
      }
      if (component) assignDocument(ctx.db, { componentId: component.id, documentId: id }, actor);
      ids.push(id);
    });
    ctx.db
      .prepare(
        `UPDATE staged_batches SET status = 'confirmed', document_ids = ?, decided_at = ?, decided_by = ? WHERE id = ?`,
      )
      .run(JSON.stringify(ids), now, actor, batchId);
    return ids;
  })();
  return { dossierId: batch.dossier_id, documentIds };
}

/** The clerk rejects the split: every page of the stack, in order, becomes one document as today. */
export function rejectBatch(ctx: ImportContext, batchId: string, actor: string): DecidedBatch {
  return ctx.db.transaction(() => {
    const batch = pendingRow(ctx.db, batchId);
    const pages = pageRows(ctx.db, batchId).map((row) => ({
      ...(JSON.parse(row.stored) as StoredPage),
      pageNo: row.position,
    }));
    const blob = ctx.db.prepare('SELECT size, mime FROM blobs WHERE sha256 = ?').get(batch.source_sha256) as {
      size: number;
      mime: string;
    };
    const now = nowIso();
    const id = randomUUID();
    const citizenId = batch.dossier_id
      ? (ctx.db.prepare('SELECT citizen_id FROM dossiers WHERE id = ?').get(batch.dossier_id) as { citizen_id: string })
          .citizen_id
      : batch.citizen_id;
    insertDocument(ctx, {
      id,
      dossierId: batch.dossier_id,
      citizenId,
      title: titleOf(batch.source_name),
      sourceName: batch.source_name,
      source: { sha256: batch.source_sha256, ...blob },
      pages,
      now,
      actor,
    });
    ctx.db
      .prepare(
        `UPDATE staged_batches SET status = 'rejected', document_ids = ?, decided_at = ?, decided_by = ? WHERE id = ?`,
      )
      .run(JSON.stringify([id]), now, actor, batchId);
    return { dossierId: batch.dossier_id, documentIds: [id] };
  })();
}
