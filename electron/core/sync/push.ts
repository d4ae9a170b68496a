import {
  BlobPutResponse,
  HEADERS,
  LIMITS,
  MissingBlobsResponse,
  PushResponse,
  ROUTES,
  SyncChange as SyncChangeSchema,
  type ChangeResult,
  type SyncChange,
} from '../../../shared/sync/protocol';
import type { Db } from '../db/database';
import { nowIso } from '../db/database';
import type { BlobStore } from '../files/blob-store';
import { acknowledgeOutbox, noteOutboxFailure, readOutbox } from './outbox';
import { toWireChange } from './record-mapping';
import { withRetry, type RetryOptions } from './retry';
import { answerError, SyncRequestError, type HttpAnswer, type SyncHttp } from './sync-http';

export interface PushOptions {
  db: Db;
  store: BlobStore;
  http: SyncHttp;
  retry: Omit<RetryOptions, 'isRetryable' | 'retryAfterMs'>;
  /** Outbox rows per push. */
  batchSize?: number;
  /** Bytes per PUT of a file. */
  chunkBytes?: number;
  /** Files uploaded at once. */
  concurrency?: number;
}

export interface Problem {
  code: string;
  message: string;
  messageEn?: string;
}

export interface PushOutcome {
  pushed: number;
  problems: Problem[];
}

const MAX_BATCH_BYTES = 2 * 1024 * 1024;
/** Files uploaded at once: the server flushes each to disk, and those flushes overlap. */
export const UPLOAD_CONCURRENCY = 4;

export const isRetryable = (error: unknown): boolean => error instanceof SyncRequestError && error.retryable;
const retryAfterMs = (error: unknown): number | null => (error instanceof SyncRequestError ? error.retryAfterMs : null);

class LocalFileMissing extends Error {
  constructor(readonly sha256: string) {
    super('a file the change refers to is missing from the local store');
  }
}

/**
 * Sends the outbox: batch by batch, oldest first, files before the changes that refer to them.
 * A row is removed only once the server acknowledged it; a crash anywhere leaves it to be sent
 * again, and the server answers a repeat with its first answer. A failure that retries cannot
 * fix (the server unreachable, a refusal of the whole request) ends the run: what is left stays
 * in the outbox for the next one.
 */
export async function pushOutbox(options: PushOptions): Promise<PushOutcome> {
  const { db } = options;
  const batchSize = Math.min(options.batchSize ?? 100, LIMITS.changesPerPush);
  const retry: RetryOptions = { ...options.retry, isRetryable, retryAfterMs };
  const tried = new Set<string>();
  const missingRounds = new Map<string, number>();
  const problems: Problem[] = [];
  let pushed = 0;

  for (;;) {
    const rows = readOutbox(db, batchSize, tried);
    if (rows.length === 0) break;
    const changes: SyncChange[] = [];
    let bytes = 0;
    for (const row of rows) {
      const change = toWireChange(db, row);
      const size = JSON.stringify(change).length;
      // A row the protocol cannot carry is refused here: sent, it would fail its whole batch.
      if (!SyncChangeSchema.safeParse(change).success || size > LIMITS.recordBytes) {
        tried.add(row.id);
        const problem = {
          code: 'VALIDATION',
          message: 'Một thay đổi không gửi được vì không đúng giao thức đồng bộ; đã giữ lại để kiểm tra.',
          messageEn: 'A change cannot be sent: it does not fit the sync protocol; it is kept for review.',
        };
        noteOutboxFailure(db, row.id, problem, true);
        problems.push(problem);
        continue;
      }
      // Batches stay well under the server's body limit, however big the records.
      if (changes.length > 0 && bytes + size > MAX_BATCH_BYTES) break;
      changes.push(change);
      bytes += size;
    }
    if (changes.length === 0) continue;
    const unsendable = await uploadFiles(options, changes, retry);
    const sendable = changes.filter((change) => !unsendable.has(change.id));
    for (const id of unsendable.keys()) {
      tried.add(id);
      const problem = {
        code: 'NOT_FOUND',
        message: 'Thiếu tệp trong kho của máy này; bản ghi chưa gửi được.',
        messageEn: 'A file is missing from this computer’s store; the record cannot be sent yet.',
      };
      noteOutboxFailure(db, id, problem, false);
      problems.push(problem);
    }
    if (sendable.length === 0) continue;

    const { results } = await withRetry(
      () => options.http.json('POST', ROUTES.changes, PushResponse, { changes: sendable }),
      retry,
    );
    const byId = new Map<string, ChangeResult>(results.map((result) => [result.id, result]));
    const acknowledged: string[] = [];
    for (const change of sendable) {
      const result = byId.get(change.id);
      if (result?.status === 'applied') {
        acknowledged.push(change.id);
      } else if (result?.status === 'missing-files') {
        // The server lost or never had a file we thought it held: forget that, send again (twice at most).
        forgetSent(db, result.missing ?? []);
        const rounds = (missingRounds.get(change.id) ?? 0) + 1;
        missingRounds.set(change.id, rounds);
        if (rounds >= 2) tried.add(change.id);
      } else if (result?.status === 'rejected') {
        tried.add(change.id);
        const problem = result.error ?? {
          code: 'VALIDATION',
          message: 'Máy chủ từ chối bản ghi.',
          messageEn: 'The server refused the record.',
        };
        noteOutboxFailure(db, change.id, problem, true);
        problems.push(problem);
      } else {
        tried.add(change.id);
      }
    }
    acknowledgeOutbox(db, acknowledged);
    pushed += acknowledged.length;
    for (const id of acknowledged) tried.add(id);
  }
  return { pushed, problems };
}

function markSent(db: Db, hashes: readonly string[]): void {
  const insert = db.prepare('INSERT INTO sync_sent_blobs (sha256, sent_at) VALUES (?, ?) ON CONFLICT DO NOTHING');
  const at = nowIso();
  db.transaction(() => {
    for (const sha256 of hashes) insert.run(sha256, at);
  })();
}

function forgetSent(db: Db, hashes: readonly string[]): void {
  const remove = db.prepare('DELETE FROM sync_sent_blobs WHERE sha256 = ?');
  for (const sha256 of hashes) remove.run(sha256);
}

/**
 * Puts on the server every file the changes refer to that it is not known to hold. Resolves to
 * the changes that cannot be sent because a file of theirs is missing here (id → hash).
 */
async function uploadFiles(
  options: PushOptions,
  changes: readonly SyncChange[],
  retry: RetryOptions,
): Promise<Map<string, string>> {
  const { db, http } = options;
  const known = db.prepare('SELECT 1 FROM sync_sent_blobs WHERE sha256 = ?');
  const wanted = [...new Set(changes.flatMap((change) => change.files ?? []))].filter((sha) => !known.get(sha));
  const unsendable = new Map<string, string>();
  for (let i = 0; i < wanted.length; i += LIMITS.blobsPerQuery) {
    const slice = wanted.slice(i, i + LIMITS.blobsPerQuery);
    const { missing } = await withRetry(
      () => http.json('POST', ROUTES.blobsMissing, MissingBlobsResponse, { sha256: slice }),
      retry,
    );
    const lacking = new Set(missing.map((m) => m.sha256));
    markSent(
      db,
      slice.filter((sha) => !lacking.has(sha)),
    );
    const queue = [...missing];
    const uploaded: string[] = [];
    const worker = async (): Promise<void> => {
      for (let next = queue.shift(); next; next = queue.shift()) {
        try {
          await uploadFile(options, next.sha256, next.offset, retry);
          uploaded.push(next.sha256);
        } catch (error) {
          if (!(error instanceof LocalFileMissing)) throw error;
          for (const change of changes)
            if (change.files?.includes(error.sha256)) unsendable.set(change.id, error.sha256);
        }
      }
    };
    const workers = Array.from({ length: Math.max(1, options.concurrency ?? UPLOAD_CONCURRENCY) }, worker);
    const settled = await Promise.allSettled(workers);
    // Remembered even when a worker failed: those files need not be offered again.
    markSent(db, uploaded);
    const failed = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected');
    if (failed) throw failed.reason;
  }
  return unsendable;
}

/**
 * One file, from `offset` (what the server already holds from an interrupted upload) to the end,
 * in ranges. After a dropped connection the next try asks the server where it stands and goes on
 * from there; the server checks the hash when the last byte arrives.
 */
async function uploadFile(options: PushOptions, sha256: string, offset: number, retry: RetryOptions): Promise<void> {
  // Plaintext goes over the wire as before (TLS protects it there), decrypted range by range; the
  // whole file's tag is checked before the first byte is sent.
  const reader = await options.store.openRanges(sha256).catch((error: unknown) => {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new LocalFileMissing(sha256);
    throw error;
  });
  const size = reader.size;
  const chunk = Math.min(options.chunkBytes ?? 4 * 1024 * 1024, LIMITS.blobChunkBytes);
  let mismatches = 0;
  await withRetry(async (attempt) => {
    let position = attempt === 0 ? offset : await serverOffset(options.http, sha256);
    for (;;) {
      let answer: HttpAnswer;
      if (position >= size) {
        // The server holds every byte but never checked them (it stopped right there): finish.
        answer = await options.http.request('PUT', `${ROUTES.blobs}${sha256}`, {
          headers: { 'content-range': `bytes */${size}` },
        });
      } else {
        const length = Math.min(chunk, size - position);
        const bytes = await reader.read(position, length);
        answer = await options.http.request('PUT', `${ROUTES.blobs}${sha256}`, {
          body: bytes,
          headers: {
            'content-type': 'application/octet-stream',
            'content-range': `bytes ${position}-${position + length - 1}/${size}`,
          },
        });
      }
      if (answer.status === 200 || answer.status === 201) {
        const body = BlobPutResponse.parse(JSON.parse(answer.body.toString('utf8')));
        if (body.complete) return;
        position = body.offset;
      } else if (answer.status === 409) {
        position = Number(answer.headers[HEADERS.uploadOffset]) || 0;
      } else if (answer.status === 422 && ++mismatches < 2) {
        // The server's copy did not hash right (a torn write): it discarded it; start over once.
        position = 0;
      } else {
        throw answerError(answer);
      }
    }
  }, retry).finally(() => reader.close());
}

async function serverOffset(http: SyncHttp, sha256: string): Promise<number> {
  const answer = await http.request('HEAD', `${ROUTES.blobs}${sha256}`);
  if (answer.status !== 200 && answer.status !== 404) throw answerError(answer);
  return Number(answer.headers[HEADERS.uploadOffset]) || 0;
}
