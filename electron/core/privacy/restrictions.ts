import type { ReuseCandidate } from '../../../shared/api/contract';
import type { Db } from '../db/database';
import type { ReuseSource } from '../reuse/reuse-lookup';

/** A citizen whose request to restrict processing is in force. */
export function isRestricted(db: Db, citizenId: string): boolean {
  return db.prepare('SELECT 1 FROM citizen_restrictions WHERE citizen_id = ?').get(citizenId) !== undefined;
}

/**
 * SQL condition (on an expression giving the owner's ID number) true when the owner is not
 * restricted: for queries that must not show a restricted citizen's data.
 */
export function notRestrictedSql(ownerExpression: string): string {
  return `NOT EXISTS (SELECT 1 FROM citizen_restrictions cr WHERE cr.citizen_id = ${ownerExpression})`;
}

/**
 * While a citizen's data is restricted, nothing of theirs is offered for reuse: neither this
 * counter's documents nor the central store's (not even asked for).
 */
export class RestrictedReuseSource implements ReuseSource {
  constructor(
    private readonly db: Db,
    private readonly inner: ReuseSource,
  ) {}

  documentsFor(citizenId: string, today: string): ReuseCandidate[] {
    return isRestricted(this.db, citizenId) ? [] : this.inner.documentsFor(citizenId, today);
  }

  async refresh(citizenId: string): Promise<void> {
    if (!isRestricted(this.db, citizenId)) await this.inner.refresh?.(citizenId);
  }

  async prepare(documentId: string): Promise<void> {
    await this.inner.prepare?.(documentId);
  }
}
