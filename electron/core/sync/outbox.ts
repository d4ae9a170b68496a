import { randomUUID } from 'node:crypto';
import type { Db } from '../db/database';
import { nowIso } from '../db/database';

/**
 * Records a change that must reach the central store. Call it inside the transaction that makes
 * the change, so the change and its outbox row commit or vanish together. The id is the
 * idempotency key the sync server deduplicates on.
 */
export function writeOutbox(db: Db, entity: string, entityId: string, op: string, payload: unknown): void {
  db.prepare('INSERT INTO outbox (id, entity, entity_id, op, payload, created_at) VALUES (?, ?, ?, ?, ?, ?)').run(
    randomUUID(),
    entity,
    entityId,
    op,
    JSON.stringify(payload),
    nowIso(),
  );
}

export interface OutboxRow {
  id: string;
  entity: string;
  entityId: string;
  op: string;
  payload: unknown;
  createdAt: string;
  attempts: number;
}

/**
 * The oldest rows not refused for good, in the order they were written (rowid grows with every
 * insert), skipping `exclude` (rows already tried in this run).
 */
export function readOutbox(db: Db, limit: number, exclude: ReadonlySet<string> = new Set()): OutboxRow[] {
  const rows = db
    .prepare(
      `SELECT id, entity, entity_id, op, payload, created_at, attempts FROM outbox
       WHERE rejected_at IS NULL ORDER BY rowid LIMIT ?`,
    )
    .all(limit + exclude.size) as {
    id: string;
    entity: string;
    entity_id: string;
    op: string;
    payload: string;
    created_at: string;
    attempts: number;
  }[];
  return rows
    .filter((row) => !exclude.has(row.id))
    .slice(0, limit)
    .map((row) => ({
      id: row.id,
      entity: row.entity,
      entityId: row.entity_id,
      op: row.op,
      payload: JSON.parse(row.payload) as unknown,
      createdAt: row.created_at,
      attempts: row.attempts,
    }));
}

/** Removes rows the server acknowledged; only an acknowledgement ever removes a row. */
export function acknowledgeOutbox(db: Db, ids: readonly string[]): void {
  if (ids.length === 0) return;
  const remove = db.prepare('DELETE FROM outbox WHERE id = ?');
  db.transaction(() => {
    for (const id of ids) remove.run(id);
  })();
}

/** Records a failed delivery; a refused row is kept (and shown) but no longer sent by itself. */
export function noteOutboxFailure(
  db: Db,
  id: string,
  error: { code: string; message: string; messageEn?: string },
  refused: boolean,
): void {
  db.prepare(
    `UPDATE outbox SET attempts = attempts + 1, last_error = ?, rejected_at = CASE WHEN ? THEN ? ELSE rejected_at END
     WHERE id = ?`,
  ).run(JSON.stringify(error), refused ? 1 : 0, nowIso(), id);
}

/** Gives refused rows another chance (after an update of the app or the server). */
export function retryRefusedOutbox(db: Db): number {
  return db.prepare('UPDATE outbox SET rejected_at = NULL WHERE rejected_at IS NOT NULL').run().changes;
}

export function outboxCounts(db: Db): { pending: number; refused: number } {
  const row = db
    .prepare(`SELECT count(*) AS total, coalesce(sum(rejected_at IS NOT NULL), 0) AS refused FROM outbox`)
    .get() as { total: number; refused: number };
  return { pending: row.total - row.refused, refused: row.refused };
}
