import path from 'node:path';
import { writeFileSync } from 'node:fs';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openBackend, type Backend } from '../../electron/core/backend';
import { migrate } from '../../electron/core/db/migrate';
import { toWireChange } from '../../electron/core/sync/record-mapping';
import { readOutbox } from '../../electron/core/sync/outbox';
import type { CallInput, CallName } from '../../shared/api/contract';
import type { AppError } from '../../shared/api/errors';
import { renderMultiPageTiff, renderTextPage } from '../fixtures/scans';
import { call, tempDir } from '../support/temp-backend';

const CITIZEN = '001085012345';

/** Small pages keep the test fast; what is tested is where pages go, not how well they read. */
async function page(label: string): Promise<Buffer> {
  return renderTextPage({
    lines: [`Trang thử ${label}`, 'Nội dung tờ khai để kiểm tra.'],
    widthPx: 827,
    heightPx: 1170,
    dpi: 100,
  });
}

async function expectRefusal<N extends CallName>(backend: Backend, name: N, input: CallInput<N>): Promise<AppError> {
  const result = await backend.call(name, input);
  if (result.ok) throw new Error(`${name} should have been refused`);
  expect(result.error.message).toMatch(/[ăâđêôơưạảãáàặẳẵắằậẩẫấầệểễếềịỉĩíìọỏõóòộổỗốồợởỡớờụủũúùựửữứừỵỷỹýỳ]/iu);
  expect(result.error.messageEn).toBeTruthy();
  return result.error;
}

describe('page editing (real SQLite, real images through sharp)', () => {
  const { dir, cleanup } = tempDir('sohoa-page-edit-');
  let backend: Backend;
  let dossierId: string;
  let fileNo = 0;

  /** OCR is not what is tested: its runner is stopped so nothing recognizes pages behind the test's back. */
  async function openWithoutOcr(): Promise<Backend> {
    const opened = await openBackend({ dataDir: path.join(dir, 'data'), host: 'cli', ocrWorkers: 1, runOcr: false });
    await opened.ocr.stop();
    return opened;
  }

  async function importInto(target: string, pages: Buffer[]): Promise<{ documentId: string; pageIds: number[] }> {
    const file = path.join(dir, `scan-${++fileNo}.${pages.length > 1 ? 'tif' : 'png'}`);
    writeFileSync(file, pages.length > 1 ? await renderMultiPageTiff(pages) : pages[0]!);
    const [outcome] = await backend.importFiles([{ file, name: path.basename(file) }], {
      dossierId: target,
      citizenId: null,
    });
    if (!outcome?.ok) throw new Error('import failed');
    return { documentId: outcome.documentId, pageIds: outcome.pageIds };
  }

  /** The dossier's pages as the grid shows them: [documentId, pageNo, pageId] in order. */
  function layout(id = dossierId): { documentId: string; pageNo: number; pageId: number }[] {
    return backend.db
      .prepare(
        `SELECT pg.document_id AS documentId, pg.page_no AS pageNo, pg.id AS pageId FROM pages pg
         JOIN documents doc ON doc.id = pg.document_id WHERE doc.dossier_id = ?
         ORDER BY doc.created_at, doc.id, pg.page_no`,
      )
      .all(id) as { documentId: string; pageNo: number; pageId: number }[];
  }

  function expectDense(id = dossierId): void {
    const byDoc = new Map<string, number[]>();
    for (const row of layout(id)) byDoc.set(row.documentId, [...(byDoc.get(row.documentId) ?? []), row.pageNo]);
    for (const [documentId, numbers] of byDoc) {
      expect(numbers).toEqual(numbers.map((_, i) => i + 1));
      const count = backend.db.prepare('SELECT page_count FROM documents WHERE id = ?').get(documentId) as {
        page_count: number;
      };
      expect(count.page_count).toBe(numbers.length);
    }
  }

  const order = (id = dossierId) => layout(id).map((row) => row.pageId);

  /** As if every page had been recognized, so a re-queue is visible. */
  function markAllRecognized(): void {
    backend.db.prepare(`UPDATE pages SET ocr_status = 'done', ocr_text = 'đã nhận dạng'`).run();
    backend.db.prepare(`UPDATE jobs SET status = 'done' WHERE kind = 'ocr'`).run();
  }

  beforeAll(async () => {
    backend = await openWithoutOcr();
    const dossier = await call(backend, 'dossiers.create', { citizenId: CITIZEN, procedureCode: '1.001193' });
    dossierId = dossier.id;
  }, 60_000);

  afterAll(async () => {
    await backend?.close();
    cleanup();
  });

  it('reorders within a document and across documents, keeping page numbers dense and unique', async () => {
    const a = await importInto(dossierId, [await page('A1'), await page('A2'), await page('A3')]);
    const b = await importInto(dossierId, [await page('B1'), await page('B2')]);
    expect(order()).toEqual([...a.pageIds, ...b.pageIds]);

    await call(backend, 'pages.move', { pageId: a.pageIds[2]!, documentId: a.documentId, position: 1 });
    expect(order()).toEqual([a.pageIds[2], a.pageIds[0], a.pageIds[1], ...b.pageIds]);
    expectDense();

    // Across documents: B's first page becomes A's second.
    await call(backend, 'pages.move', { pageId: b.pageIds[0]!, documentId: a.documentId, position: 2 });
    expect(order()).toEqual([a.pageIds[2], b.pageIds[0], a.pageIds[0], a.pageIds[1], b.pageIds[1]]);
    expectDense();

    // A position past the end means "last".
    await call(backend, 'pages.move', { pageId: b.pageIds[0]!, documentId: a.documentId, position: 99 });
    expect(
      layout()
        .filter((r) => r.documentId === a.documentId)
        .map((r) => r.pageId),
    ).toEqual([a.pageIds[2], a.pageIds[0], a.pageIds[1], b.pageIds[0]]);
    expectDense();

    // The last page of a document is merged, not dragged away.
    const error = await expectRefusal(backend, 'pages.move', {
      pageId: b.pageIds[1]!,
      documentId: a.documentId,
      position: 1,
    });
    expect(error.code).toBe('CONFLICT');
  });

  it('rotates by re-making the working copy from the kept original, with a new thumbnail, and re-queues OCR for that page only', async () => {
    markAllRecognized();
    const [first, second] = order();
    const before = backend.db.prepare('SELECT * FROM pages WHERE id = ?').get(first) as Record<string, unknown>;
    const original = (before.original_sha256 as string | null) ?? (before.image_sha256 as string);

    await call(backend, 'pages.rotate', { pageId: first!, turn: 90 });
    const turned = backend.db.prepare('SELECT * FROM pages WHERE id = ?').get(first) as Record<string, unknown>;
    expect(turned.rotation).toBe(((before.rotation as number) + 90) % 360);
    expect(turned.original_sha256).toBe(original);
    expect(turned.image_sha256).not.toBe(before.image_sha256);
    expect(turned.thumb_sha256).not.toBe(before.thumb_sha256);
    expect([turned.width, turned.height]).toEqual([before.height, before.width]);
    expect(turned.ocr_status).toBe('queued');
    const job = backend.db.prepare(`SELECT status FROM jobs WHERE kind = 'ocr' AND subject = ?`).get(String(first)) as {
      status: string;
    };
    expect(job.status).toBe('queued');
    const others = backend.db
      .prepare(`SELECT count(*) AS n FROM pages WHERE id != ? AND ocr_status != 'done'`)
      .get(first) as { n: number };
    expect(others.n).toBe(0);
    expect(second).toBeDefined();

    // The stored image really is turned: sharp reads it sideways.
    const image = await backend.pageImage(first!, 'full');
    const sharp = (await import('sharp')).default;
    const meta = await sharp(image.bytes).metadata();
    expect([meta.width, meta.height]).toEqual([before.height, before.width]);

    // Three more quarter turns: back where it was, the same working copy made again.
    await call(backend, 'pages.rotate', { pageId: first!, turn: 270 });
    const back = backend.db.prepare('SELECT * FROM pages WHERE id = ?').get(first) as Record<string, unknown>;
    expect(back.rotation).toBe(before.rotation);
    expect(back.image_sha256).toBe(before.image_sha256);
    expect([back.width, back.height]).toEqual([before.width, before.height]);
  });

  it('two rotations of the same page at once: one is applied, the other refused, nothing half-done', async () => {
    markAllRecognized();
    const target = order()[0]!;
    const before = backend.db.prepare('SELECT rotation, image_sha256 FROM pages WHERE id = ?').get(target) as {
      rotation: number;
      image_sha256: string;
    };
    const results = await Promise.all([
      backend.call('pages.rotate', { pageId: target, turn: 90 }),
      backend.call('pages.rotate', { pageId: target, turn: 90 }),
    ]);
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    const refused = results.find((r) => !r.ok);
    expect(refused && !refused.ok ? refused.error.code : null).toBe('CONFLICT');
    const after = backend.db.prepare('SELECT rotation, image_sha256 FROM pages WHERE id = ?').get(target) as {
      rotation: number;
      image_sha256: string;
    };
    expect(after.rotation).toBe((before.rotation + 90) % 360);
    // Back upright for the tests that follow.
    await call(backend, 'pages.rotate', { pageId: target, turn: 270 });
    expect(
      (backend.db.prepare('SELECT image_sha256 FROM pages WHERE id = ?').get(target) as { image_sha256: string })
        .image_sha256,
    ).toBe(before.image_sha256);
  });

  it('deletes a page softly and undo puts back exactly what was there', async () => {
    markAllRecognized();
    const ids = order();
    const victim = ids[1]!;
    const db = backend.db;
    db.prepare(`INSERT INTO tags (page_id, kind, value, status) VALUES (?, 'citizenId', ?, 'confirmed')`).run(
      victim,
      CITIZEN,
    );
    const row = db.prepare('SELECT * FROM pages WHERE id = ?').get(victim);
    const tags = db.prepare('SELECT * FROM tags WHERE page_id = ?').all(victim);
    const deleted = await call(backend, 'pages.delete', { pageId: victim });
    expect(Date.parse(deleted.undoUntil)).toBeGreaterThan(Date.now());
    expect(db.prepare('SELECT 1 FROM pages WHERE id = ?').get(victim)).toBeUndefined();
    expect(order()).toEqual(ids.filter((id) => id !== victim));
    expectDense();
    // Gone from search too (the FTS row follows the page row).
    const hits = db.prepare(`SELECT rowid FROM pages_fts WHERE rowid = ?`).all(victim);
    expect(hits).toHaveLength(0);

    await call(backend, 'pages.undoDelete', { pageId: victim });
    expect(db.prepare('SELECT * FROM pages WHERE id = ?').get(victim)).toEqual(row);
    expect(db.prepare('SELECT * FROM tags WHERE page_id = ?').all(victim)).toEqual(tags);
    expect(order()).toEqual(ids);
    expectDense();
    expect(db.prepare('SELECT count(*) AS n FROM page_trash').get()).toEqual({ n: 0 });

    // Undo works once; a second one is refused clearly.
    await expectRefusal(backend, 'pages.undoDelete', { pageId: victim });
  });

  it('deleting the last page of an assigned document takes the document off its component, and undo puts it back', async () => {
    const single = await importInto(dossierId, [await page('GCS')]);
    const checklist = await call(backend, 'checklist.get', { dossierId });
    const component = checklist.components.find((c) => c.items.length === 0)!;
    await call(backend, 'checklist.assign', { componentId: component.id, documentId: single.documentId });
    const assigned = await call(backend, 'checklist.get', { dossierId });
    expect(assigned.components.find((c) => c.id === component.id)?.state).toBe('digitized');

    await call(backend, 'pages.delete', { pageId: single.pageIds[0]! });
    expect(backend.db.prepare('SELECT 1 FROM documents WHERE id = ?').get(single.documentId)).toBeUndefined();
    const emptied = await call(backend, 'checklist.get', { dossierId });
    expect(emptied.components.find((c) => c.id === component.id)?.state).toBe('not_digitized');

    await call(backend, 'pages.undoDelete', { pageId: single.pageIds[0]! });
    const restored = await call(backend, 'checklist.get', { dossierId });
    const again = restored.components.find((c) => c.id === component.id)!;
    expect(again.state).toBe('digitized');
    expect(again.items.map((i) => i.documentId)).toEqual([single.documentId]);
    expectDense();
  });

  it('splits a document and merges it back with every page exactly once, in the same order', async () => {
    const before = order();
    const [firstDoc] = layout();
    const docPages = layout().filter((r) => r.documentId === firstDoc!.documentId);
    expect(docPages.length).toBeGreaterThanOrEqual(3);
    const at = docPages[2]!.pageId;

    const split = await call(backend, 'documents.split', { pageId: at });
    expect(split.documentId).not.toBe(firstDoc!.documentId);
    expect(order()).toEqual(before);
    expectDense();
    const after = layout();
    expect(after.filter((r) => r.documentId === firstDoc!.documentId).map((r) => r.pageId)).toEqual(
      docPages.slice(0, 2).map((r) => r.pageId),
    );
    expect(after.filter((r) => r.documentId === split.documentId).map((r) => r.pageId)).toEqual(
      docPages.slice(2).map((r) => r.pageId),
    );
    // Splitting at the first page has nothing to split off.
    await expectRefusal(backend, 'documents.split', { pageId: docPages[0]!.pageId });

    // A second split before the first one's cut still keeps the order.
    const split2 = await call(backend, 'documents.split', { pageId: docPages[1]!.pageId });
    expect(order()).toEqual(before);
    const docsInOrder = [...new Set(layout().map((r) => r.documentId))];
    expect(docsInOrder.indexOf(split2.documentId)).toBe(docsInOrder.indexOf(firstDoc!.documentId) + 1);
    expect(docsInOrder.indexOf(split.documentId)).toBe(docsInOrder.indexOf(firstDoc!.documentId) + 2);

    await call(backend, 'documents.merge', { documentId: split2.documentId, intoDocumentId: firstDoc!.documentId });
    await call(backend, 'documents.merge', { documentId: split.documentId, intoDocumentId: firstDoc!.documentId });
    expect(order()).toEqual(before);
    expect(new Set(order()).size).toBe(before.length);
    expectDense();
    for (const gone of [split.documentId, split2.documentId]) {
      expect(backend.db.prepare('SELECT 1 FROM documents WHERE id = ?').get(gone)).toBeUndefined();
    }
  });

  it('assigns a selection of pages to a component: they become a document and the checklist shows it digitized', async () => {
    const before = order();
    const checklist = await call(backend, 'checklist.get', { dossierId });
    const component = checklist.components.find((c) => c.state === 'not_digitized')!;
    const chosen = [before[0]!, before[1]!];
    const result = await call(backend, 'pages.assign', { pageIds: chosen, componentId: component.id });
    expect(
      layout()
        .filter((r) => r.documentId === result.documentId)
        .map((r) => r.pageId),
    ).toEqual(chosen);
    // The dossier reads in the same order: the rest of the document follows as a document of its own.
    expect(order()).toEqual(before);
    expectDense();
    const now = await call(backend, 'checklist.get', { dossierId });
    const filled = now.components.find((c) => c.id === component.id)!;
    expect(filled.state).toBe('digitized');
    expect(filled.items.map((i) => i.documentId)).toEqual([result.documentId]);
    const title = backend.db.prepare('SELECT title FROM documents WHERE id = ?').get(result.documentId) as {
      title: string;
    };
    expect(title.title).toBe(component.name);

    // A page from the middle of a document keeps its place too: head, the page, tail.
    const three = await importInto(dossierId, [await page('M1'), await page('M2'), await page('M3')]);
    const all = order();
    const other = now.components.find((c) => c.id !== component.id)!;
    const middle = await call(backend, 'pages.assign', { pageIds: [three.pageIds[1]!], componentId: other.id });
    expect(order()).toEqual(all);
    expectDense();
    const pagesOf = (documentId: string) =>
      layout()
        .filter((r) => r.documentId === documentId)
        .map((r) => r.pageId);
    expect(pagesOf(middle.documentId)).toEqual([three.pageIds[1]]);
    expect(pagesOf(three.documentId)).toEqual([three.pageIds[0]]);
    // The third page went to a document of its own, right after the assigned one.
    const docsInOrder = [...new Set(layout().map((r) => r.documentId))];
    const rest = docsInOrder[docsInOrder.indexOf(middle.documentId) + 1]!;
    expect(pagesOf(rest)).toEqual([three.pageIds[2]]);
  });

  it('tells the central store about a document it already holds, and not about one still waiting to be sent', async () => {
    const db = backend.db;
    const [first] = layout();
    const documentId = first!.documentId;
    // Pretend every row was acknowledged by the server.
    db.prepare('DELETE FROM outbox').run();
    await call(backend, 'pages.move', { pageId: first!.pageId, documentId, position: 2 });
    const rows = readOutbox(db, 50).filter((r) => r.entity === 'document');
    expect(rows.map((r) => `${r.op}:${r.entityId}`)).toEqual([`pages:${documentId}`]);
    const wire = toWireChange(db, rows[0]!);
    expect(wire.op).toBe('update');
    const record = wire.record as { pages: { image: { sha256: string } }[] };
    const images = (
      db.prepare('SELECT image_sha256 FROM pages WHERE document_id = ? ORDER BY page_no').all(documentId) as {
        image_sha256: string;
      }[]
    ).map((r) => r.image_sha256);
    expect(record.pages.map((p) => p.image.sha256)).toEqual(images);

    // A document whose create row is still queued goes out as it is then: no extra row.
    const fresh = await importInto(dossierId, [await page('F1'), await page('F2')]);
    const count = () => (db.prepare('SELECT count(*) AS n FROM outbox').get() as { n: number }).n;
    const n = count();
    await call(backend, 'pages.move', { pageId: fresh.pageIds[1]!, documentId: fresh.documentId, position: 1 });
    expect(readOutbox(db, 100).filter((r) => r.entityId === fresh.documentId && r.op === 'pages')).toHaveLength(0);
    expect(count()).toBeGreaterThanOrEqual(n);
  });

  it('replaces a page by a rescan at the same place, and keeps the old one until the new one is in', async () => {
    const before = order();
    const old = before[1]!;
    const token = await backend.uploads.receive('quet-lai.png', await page('quét lại'));
    const replaced = await call(backend, 'pages.replace', { pageId: old, upload: token });
    expect(replaced.pageIds).toHaveLength(1);
    const expected = [...before];
    expected.splice(1, 1, replaced.pageIds[0]!);
    expect(order()).toEqual(expected);
    expectDense();
    // The import's own document is gone: the new page lives in the old page's document.
    const docs = backend.db.prepare('SELECT count(*) AS n FROM documents WHERE dossier_id = ?').get(dossierId) as {
      n: number;
    };
    expect(new Set(layout().map((r) => r.documentId)).size).toBe(docs.n);
    // The old page is in the trash, undoable like a deletion.
    await call(backend, 'pages.undoDelete', { pageId: old });
    expect(order()).toEqual([before[0], old, replaced.pageIds[0], ...before.slice(2)]);
  });

  it('reports cleanup flags for the grid: blank pages and low resolution', async () => {
    const blank = await importInto(dossierId, [
      await renderTextPage({ lines: [], widthPx: 827, heightPx: 1170, dpi: 100 }),
    ]);
    const state = await call(backend, 'pages.editState', { dossierId });
    const flags = state.pages.find((p) => p.id === blank.pageIds[0])!;
    expect(flags.blank).toBe(true);
    expect(flags.blankConfirmed).toBe(false);
    expect(flags.qualityWarnings.some((w) => w.kind === 'lowResolution')).toBe(true);
    expect(state.locked).toBeNull();
    expect(state.components.length).toBeGreaterThan(0);
  });

  it('refuses every edit on a dossier whose result is recorded, and on an approved document, in Vietnamese', async () => {
    const [first, second] = layout();
    const snapshot = JSON.stringify(layout());
    backend.db.prepare(`UPDATE dossiers SET status = 'result_recorded' WHERE id = ?`).run(dossierId);
    try {
      await expectRefusal(backend, 'pages.move', { pageId: first!.pageId, documentId: first!.documentId, position: 2 });
      await expectRefusal(backend, 'pages.rotate', { pageId: first!.pageId, turn: 90 });
      await expectRefusal(backend, 'pages.delete', { pageId: first!.pageId });
      await expectRefusal(backend, 'documents.split', { pageId: second!.pageId });
      const state = await call(backend, 'pages.editState', { dossierId });
      expect(state.locked?.message).toMatch(/kết quả/u);
      expect(JSON.stringify(layout())).toBe(snapshot);
    } finally {
      backend.db.prepare(`UPDATE dossiers SET status = 'digitizing' WHERE id = ?`).run(dossierId);
    }
    // An approved scan is closed too.
    const item = backend.db
      .prepare(`SELECT id, document_id FROM component_items WHERE removed_at IS NULL AND kind = 'scanned' LIMIT 1`)
      .get() as { id: string; document_id: string };
    backend.db.prepare(`UPDATE component_items SET approval = 'approved' WHERE id = ?`).run(item.id);
    const approvedPage = layout().find((r) => r.documentId === item.document_id)!;
    const error = await expectRefusal(backend, 'pages.rotate', { pageId: approvedPage.pageId, turn: 180 });
    expect(error.message).toMatch(/duyệt/u);
    const state = await call(backend, 'pages.editState', { dossierId });
    expect(state.pages.find((p) => p.id === approvedPage.pageId)?.locked).toBe(true);
    backend.db.prepare(`UPDATE component_items SET approval = 'pending' WHERE id = ?`).run(item.id);
  });

  it('keeps a deleted page undoable across a restart (the app closed mid-edit)', async () => {
    const ids = order();
    const victim = ids[0]!;
    await call(backend, 'pages.delete', { pageId: victim });
    await backend.close();
    backend = await openWithoutOcr();
    expect(order()).toEqual(ids.slice(1));
    await call(backend, 'pages.undoDelete', { pageId: victim });
    expect(order()).toEqual(ids);
  });
});

describe('migration 11 (page trash)', () => {
  it('creates page_trash on a database of the previous version', () => {
    const db = new Database(':memory:');
    migrate(db, 10);
    expect(db.prepare(`SELECT name FROM sqlite_master WHERE name = 'page_trash'`).get()).toBeUndefined();
    migrate(db, 11);
    const columns = (db.prepare(`SELECT name FROM pragma_table_info('page_trash')`).all() as { name: string }[]).map(
      (c) => c.name,
    );
    expect(columns).toEqual([
      'page_id',
      'document_id',
      'dossier_id',
      'position',
      'snapshot',
      'deleted_by',
      'deleted_at',
      'undo_until',
    ]);
    db.close();
  });
});
