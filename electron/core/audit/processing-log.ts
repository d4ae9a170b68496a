import { createHash } from 'node:crypto';
import type { Db } from '../db/database';
import { nowIso } from '../db/database';

export type ProcessingAction = 'view' | 'export' | 'print' | 'reuse' | 'delete' | 'create' | 'update';

/** State agencies process these data under their legal duties; the basis is recorded per entry. */
export const DEFAULT_LEGAL_BASIS = 'Tiếp nhận, giải quyết thủ tục hành chính (nghĩa vụ pháp lý của cơ quan nhà nước)';

export interface ProcessingEntry {
  userId: string | null;
  username: string;
  action: ProcessingAction;
  subject: string;
  citizenId: string | null;
  legalBasis?: string;
}

const GENESIS = '0'.repeat(64);

interface LogRow {
  seq: number;
  at: string;
  user_id: string | null;
  username: string;
  action: string;
  subject: string;
  citizen_id: string | null;
  legal_basis: string;
  prev_hash: string;
  hash: string;
}

/** The hash covers every field and the previous entry's hash, so any edit breaks the chain from there. */
function entryHash(row: Omit<LogRow, 'hash'>): string {
  const canonical = JSON.stringify([
    row.seq,
    row.at,
    row.user_id,
    row.username,
    row.action,
    row.subject,
    row.citizen_id,
    row.legal_basis,
    row.prev_hash,
  ]);
  return createHash('sha256').update(canonical).digest('hex');
}

/** Appends one entry; call inside the transaction of the processing it records. */
export function recordProcessing(db: Db, entry: ProcessingEntry): void {
  const last = db.prepare('SELECT seq, hash FROM processing_log ORDER BY seq DESC LIMIT 1').get() as
    { seq: number; hash: string } | undefined;
  const row = {
    seq: (last?.seq ?? 0) + 1,
    at: nowIso(),
    user_id: entry.userId,
    username: entry.username,
    action: entry.action,
    subject: entry.subject,
    citizen_id: entry.citizenId,
    legal_basis: entry.legalBasis ?? DEFAULT_LEGAL_BASIS,
    prev_hash: last?.hash ?? GENESIS,
  };
  db.prepare(
    `INSERT INTO processing_log (seq, at, user_id, username, action, subject, citizen_id, legal_basis, prev_hash, hash)
     VALUES (@seq, @at, @user_id, @username, @action, @subject, @citizen_id, @legal_basis, @prev_hash, @hash)`,
  ).run({ ...row, hash: entryHash(row) });
}

export type ChainCheck =
  { ok: true; entries: number } | { ok: false; entries: number; firstBroken: number; reason: string };

/** Walks the chain from the start; names the first entry that was edited, removed or inserted. */
export function verifyProcessingLog(db: Db): ChainCheck {
  let prev = GENESIS;
  let expectedSeq = 1;
  let entries = 0;
  for (const row of db.prepare('SELECT * FROM processing_log ORDER BY seq').iterate() as IterableIterator<LogRow>) {
    entries++;
    if (row.seq !== expectedSeq)
      return { ok: false, entries, firstBroken: expectedSeq, reason: 'missing entry (sequence gap)' };
    if (row.prev_hash !== prev)
      return { ok: false, entries, firstBroken: row.seq, reason: 'previous hash does not match' };
    const { hash, ...rest } = row;
    if (entryHash(rest) !== hash)
      return { ok: false, entries, firstBroken: row.seq, reason: 'entry content was changed' };
    prev = hash;
    expectedSeq++;
  }
  return { ok: true, entries };
}
