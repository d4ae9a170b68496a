import type { ReuseCandidate } from '../../../shared/api/contract';
import { ReuseLookupResponse, ROUTES } from '../../../shared/sync/protocol';
import { DocumentRecord } from '../../../shared/sync/records';
import type { Db } from '../db/database';
import type { ReuseSource } from '../reuse/reuse-lookup';
import { upsertRemoteDocument } from './remote-documents';
import type { SyncHttp } from './sync-http';

export interface CentralReuseDeps {
  /** A client for the server, or null when not enrolled. */
  http: () => Promise<SyncHttp | null>;
  /** Fetches a remote document's files and makes it local. */
  materialize: (documentId: string) => Promise<unknown>;
}

/** A direct look-up waits this long at most: the clerk is waiting, the local answer is ready. */
const LOOKUP_TIMEOUT_MS = 4000;
/** Typing and re-rendering ask again and again: one look-up per citizen per this many ms. */
const LOOKUP_FRESH_MS = 15_000;

/**
 * Reuse candidates from this counter and from the central store, merged. The central part comes
 * from documents pulled earlier and, when online, from a direct look-up that `refresh` makes (its
 * answers are kept like pulled ones, so they stay offered offline). Offline, or when the server
 * fails, the answer is the local one, without an error.
 */
export class CentralReuseSource implements ReuseSource {
  private readonly lookedUp = new Map<string, number>();

  constructor(
    private readonly local: ReuseSource,
    private readonly db: Db,
    private readonly deps: CentralReuseDeps,
  ) {}

  documentsFor(citizenId: string, today: string): ReuseCandidate[] {
    const local = this.local.documentsFor(citizenId, today);
    // Documents fetched from the central store are local rows now, but still came from there, as
    // a component or a result of a dossier at another counter.
    const fetched = new Map(
      (
        this.db
          .prepare('SELECT id, record FROM remote_documents WHERE citizen_id = ? AND materialized_at IS NOT NULL')
          .all(citizenId) as { id: string; record: string }[]
      ).map((row) => [row.id, row.record] as const),
    );
    const merged: ReuseCandidate[] = local.map((c) => {
      const record = fetched.has(c.documentId)
        ? DocumentRecord.safeParse(JSON.parse(fetched.get(c.documentId)!))
        : null;
      return record?.success
        ? { ...candidateOf(record.data), firstPageId: c.firstPageId, docType: c.docType, validUntil: c.validUntil }
        : c;
    });
    const rows = this.db
      .prepare(
        `SELECT r.record FROM remote_documents r
         WHERE r.citizen_id = ? AND (r.valid_until IS NULL OR r.valid_until >= ?)
           AND NOT EXISTS (SELECT 1 FROM documents d WHERE d.id = r.id)
           AND NOT EXISTS (SELECT 1 FROM documents d WHERE d.source_sha256 = json_extract(r.record, '$.source.sha256'))
         ORDER BY r.digitized_at DESC LIMIT 200`,
      )
      .all(citizenId, today) as { record: string }[];
    for (const row of rows) {
      const parsed = DocumentRecord.safeParse(JSON.parse(row.record));
      if (!parsed.success || parsed.data.approval === 'rejected') continue;
      merged.push(candidateOf(parsed.data));
    }
    return merged.sort((a, b) => b.createdAt.localeCompare(a.createdAt));
  }

  async refresh(citizenId: string): Promise<void> {
    const last = this.lookedUp.get(citizenId) ?? 0;
    if (Date.now() - last < LOOKUP_FRESH_MS) return;
    const http = await this.deps.http().catch(() => null);
    if (!http) return;
    this.lookedUp.set(citizenId, Date.now());
    if (this.lookedUp.size > 1000) this.lookedUp.clear();
    try {
      const answer = await Promise.race([
        http.json('POST', ROUTES.reuseLookup, ReuseLookupResponse, { citizenId }),
        new Promise<null>((resolve) => setTimeout(() => resolve(null), LOOKUP_TIMEOUT_MS).unref()),
      ]);
      if (!answer) return;
      this.db.transaction(() => {
        for (const hit of answer.documents) {
          const record = DocumentRecord.safeParse(hit.record);
          if (record.success) upsertRemoteDocument(this.db, record.data, hit.unit, hit.seq);
        }
      })();
    } catch {
      // Offline or refused: the local answer stands (the sync status shows connection problems).
      this.lookedUp.delete(citizenId);
    }
  }

  async prepare(documentId: string): Promise<void> {
    const remote = this.db
      .prepare(
        'SELECT 1 FROM remote_documents r WHERE r.id = ? AND NOT EXISTS (SELECT 1 FROM documents d WHERE d.id = r.id)',
      )
      .get(documentId);
    if (remote) await this.deps.materialize(documentId);
  }
}

function candidateOf(record: DocumentRecord): ReuseCandidate {
  return {
    documentId: record.documentId,
    title: record.title,
    docType: record.docType,
    validUntil: record.validUntil,
    pageCount: record.pageCount,
    firstPageId: null,
    createdAt: record.digitizedAt,
    // Its dossier lives at another counter: known by code, not by a local id.
    dossierId: null,
    dossierCode: record.dossierCode,
    procedureCode: record.procedureCode,
    origin: record.kind === 'result' ? 'result' : record.kind === 'component' ? 'component' : 'document',
    originComponentId: null,
    originComponentName: record.componentName,
    resultCode: record.resultCode,
    approval: record.approval === 'rejected' ? null : record.approval,
    source: 'central',
  };
}
