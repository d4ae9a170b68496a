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
