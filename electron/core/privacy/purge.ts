import type { PurgeReport, PurgeRow } from '../../../shared/api/calls/privacy';
import { AppFailure } from '../../../shared/api/errors';
import { vietnamPeriod } from '../../../shared/domain/scorecard';
import { recordProcessing } from '../audit/processing-log';
import { readProcessorSettings } from '../config/unit-settings';
import type { Db } from '../db/database';
import { nowIso } from '../db/database';
import { unlearnExample } from '../doc-types/learned-model';
import type { BlobStore } from '../files/blob-store';
import { log } from '../log';
import { documentFiles, drainFileQueue, dropRenditions, queueFiles } from './file-queue';

/**
 * Postal processor mode: once the central store has acknowledged everything about a dossier, its
 * local copies are purged for good. What stays is what the 766 report and the postal workload
 * invoice count (dossier code, dates, components and their flags, documents and pages with their
 * sizes, who scanned when); what goes is the scans, the OCR text and its index, tags, ID card
 * data, and the citizen's ID number and name.
 */

/** Statuses a dossier reaches only when every page is recognized and the checklist is accounted for. */
const FINISHED = "('digitized', 'result_recorded', 'returned')";

/**
 * Dossiers the central store confirmed: finished here, and no outbox row about the dossier, its
 * documents, pages or checklist items is left (only the server's acknowledgement removes one).
 */
export function confirmedDossiers(db: Db): { id: string; code: string }[] {
  return db
    .prepare(
      `SELECT d.id, d.code FROM dossiers d
       WHERE d.status IN ${FINISHED}
         AND NOT EXISTS (SELECT 1 FROM privacy_purges p WHERE p.dossier_id = d.id)
         AND NOT EXISTS (
           SELECT 1 FROM outbox o WHERE
                (o.entity = 'dossier' AND o.entity_id = d.id)
             OR (o.entity = 'citizen' AND o.entity_id = d.citizen_id)
             OR (o.entity = 'document' AND o.entity_id IN (SELECT id FROM documents WHERE dossier_id = d.id))
             OR (o.entity = 'page' AND o.entity_id IN (
                   SELECT CAST(pg.id AS TEXT) FROM pages pg JOIN documents doc ON doc.id = pg.document_id
                   WHERE doc.dossier_id = d.id))
             OR (o.entity = 'component_item' AND o.entity_id IN (
                   SELECT i.id FROM component_items i JOIN dossier_components c ON c.id = i.component_id
                   WHERE c.dossier_id = d.id)))
       ORDER BY d.created_at`,
    )
    .all() as { id: string; code: string }[];
}

export interface PurgeActor {
  userId: string | null;
  username: string;
}

/**
 * The records step of one purge, in one transaction: personal fields, text and index rows go,
 * the dossier's files are queued for removal, the purge is entered in the report and the
 * processing log. Returns false when the dossier is no longer eligible (checked again inside).
 */
export function purgeDossierRecords(db: Db, dossierId: string, actor: PurgeActor): boolean {
  return db
    .transaction(() => {
      const settings = readProcessorSettings(db);
      if (!settings.processorMode || !confirmedDossiers(db).some((d) => d.id === dossierId)) return false;
      const dossier = db.prepare('SELECT code, citizen_id FROM dossiers WHERE id = ?').get(dossierId) as {
        code: string;
        citizen_id: string;
      };
      const documents = (
        db.prepare('SELECT id FROM documents WHERE dossier_id = ? AND purged_at IS NULL').all(dossierId) as {
          id: string;
        }[]
      ).map((d) => d.id);
      const files = new Set<string>();
      let pages = 0;
      const now = nowIso();
      for (const documentId of documents) {
        for (const sha of documentFiles(db, documentId)) files.add(sha);
        const pageIds = (
          db.prepare('SELECT id FROM pages WHERE document_id = ?').all(documentId) as { id: number }[]
        ).map((p) => p.id);
        pages += pageIds.length;
        for (const pageId of pageIds) {
          db.prepare('DELETE FROM tags WHERE page_id = ?').run(pageId);
          db.prepare('DELETE FROM page_id_cards WHERE page_id = ?').run(pageId);
          db.prepare('UPDATE citizen_cards SET source_page_id = NULL WHERE source_page_id = ?').run(pageId);
        }
        // The update trigger replaces the page's index entry with an empty one: nothing left to find.
        db.prepare(
          `UPDATE pages SET ocr_text = '', ocr_words = NULL, ocr_lines = NULL, ocr_error = NULL, search_text = ''
           WHERE document_id = ?`,
        ).run(documentId);
        unlearnExample(db, documentId);
        db.prepare('DELETE FROM doc_type_relearn WHERE document_id = ?').run(documentId);
        db.prepare(
          `UPDATE documents SET citizen_id = NULL, title = '', source_name = '', purged_at = ? WHERE id = ?`,
        ).run(now, documentId);
        db.prepare('DELETE FROM remote_documents WHERE id = ?').run(documentId);
      }
      for (const sha of dropRenditions(db, [`dossier:${dossierId}`, ...documents.map((id) => `document:${id}`)]))
        files.add(sha);
      db.prepare(`UPDATE dossiers SET citizen_id = '', citizen_name = '' WHERE id = ?`).run(dossierId);
      // The card read from the chip goes with the citizen's last dossier here.
      const citizen = dossier.citizen_id;
      const elsewhere = db
        .prepare(
          `SELECT 1 FROM dossiers WHERE citizen_id = ? UNION ALL
           SELECT 1 FROM documents WHERE citizen_id = ? AND purged_at IS NULL LIMIT 1`,
        )
        .get(citizen, citizen);
      if (!elsewhere) db.prepare('DELETE FROM citizen_cards WHERE citizen_id = ?').run(citizen);

      db.prepare(
        `INSERT INTO privacy_purges (dossier_id, dossier_code, contract_ref, state, documents, pages, actor, started_at)
         VALUES (?, ?, ?, 'files', ?, ?, ?, ?)`,
      ).run(dossierId, dossier.code, settings.contractRef, documents.length, pages, actor.username, now);
      queueFiles(db, files, dossierId);
      recordProcessing(db, {
        userId: actor.userId,
        username: actor.username,
        action: 'delete',
        subject: `dossier:${dossierId}`,
        citizenId: citizen || null,
        legalBasis: `Hợp đồng xử lý dữ liệu ${settings.contractRef}: xoá bản sao tại bên xử lý sau khi kho trung tâm xác nhận`,
      });
      return true;
    })
    .immediate();
}

/**
 * Runs purges one at a time: after each sync run, at start (finishing what a crash interrupted),
 * and on request. Runs never overlap; `idle()` waits for the current one.
 */
export class Purger {
  private chain: Promise<unknown> = Promise.resolve();

  constructor(private readonly deps: { db: Db; store: BlobStore }) {}

  /** One pass: purge every confirmed dossier (in processor mode), then remove queued files. */
  run(actor: PurgeActor = { userId: null, username: 'system' }): Promise<{ purged: number; filesRemoved: number }> {
    const next = this.chain.then(async () => {
      const { db, store } = this.deps;
      let purged = 0;
      if (readProcessorSettings(db).processorMode) {
        for (const dossier of confirmedDossiers(db)) if (purgeDossierRecords(db, dossier.id, actor)) purged++;
      }
      const drained = await drainFileQueue(db, store);
      if (purged > 0 || drained.removed > 0)
        log.info('privacy', `purged ${purged} dossiers, removed ${drained.removed} files`);
      return { purged, filesRemoved: drained.removed };
    });
    this.chain = next.catch((error: unknown) => log.error('privacy', 'purge failed', error));
    return next;
  }

  /** A run in the background (sync finished, app started): failures are logged and retried next time. */
  kick(): void {
    void this.run().catch(() => undefined);
  }

  idle(): Promise<void> {
    return this.chain.then(() => undefined);
  }
}

interface PurgeDbRow {
  dossier_id: string;
  dossier_code: string;
  contract_ref: string;
  state: 'files' | 'done';
  documents: number;
  pages: number;
  files_removed: number;
  files_shared: number;
  actor: string;
  started_at: string;
  done_at: string | null;
}

/** What was purged and when, in Vietnam days `from`..`to` (inclusive), under the contract reference. */
export function purgeReport(db: Db, input: { from?: string | undefined; to?: string | undefined }): PurgeReport {
  let start = '0000';
  let end = '9999';
  if (input.from || input.to) {
    const period = vietnamPeriod(input.from ?? '2000-01-01', input.to ?? '2999-12-31');
    if (!period)
      throw new AppFailure(
        'VALIDATION',
        'Khoảng thời gian không hợp lệ: ngày phải có dạng YYYY-MM-DD và “từ ngày” không sau “đến ngày”.',
        'Invalid period: dates must be YYYY-MM-DD and "from" must not be after "to".',
        'from',
      );
    start = period.start;
    end = period.end;
  }
  const rows = (
    db
      .prepare(
        'SELECT * FROM privacy_purges WHERE started_at >= ? AND started_at < ? ORDER BY started_at, dossier_code',
      )
      .all(start, end) as PurgeDbRow[]
  ).map((r): PurgeRow => ({
    dossierId: r.dossier_id,
    dossierCode: r.dossier_code,
    contractRef: r.contract_ref,
    state: r.state,
    documents: r.documents,
    pages: r.pages,
    filesRemoved: r.files_removed,
    filesShared: r.files_shared,
    actor: r.actor,
    startedAt: r.started_at,
    doneAt: r.done_at,
  }));
  const settings = readProcessorSettings(db);
  return {
    contractRef: settings.contractRef,
    processorMode: settings.processorMode,
    from: input.from ?? null,
    to: input.to ?? null,
    rows,
    totals: {
      dossiers: rows.length,
      documents: rows.reduce((n, r) => n + r.documents, 0),
      pages: rows.reduce((n, r) => n + r.pages, 0),
    },
  };
}
