import type { SyncStatus, SyncSummary } from '../../../shared/api/calls/sync';
import { AppFailure } from '../../../shared/api/errors';
import { DeviceInfo, EnrolResponse, ROUTES } from '../../../shared/sync/protocol';
import type { Db } from '../db/database';
import { nowIso } from '../db/database';
import type { BackendEvents } from '../events';
import type { BlobStore } from '../files/blob-store';
import type { JobQueue } from '../jobs/job-queue';
import { log } from '../log';
import type { ReuseSource } from '../reuse/reuse-lookup';
import { CentralReuseSource } from './central-reuse';
import { readCredential, writeCredential, type SecretSealer, type SyncCredential } from './credential';
import { outboxCounts, retryRefusedOutbox } from './outbox';
import { pushOutbox, isRetryable, type Problem } from './push';
import { getState, materializeRemoteDocument, pullChanges, setState } from './remote-documents';
import { backoffDelay, type RetryOptions } from './retry';
import { SyncHttp, SyncRequestError } from './sync-http';

export type SyncTuning = Pick<
  SyncServiceOptions,
  'attempts' | 'baseDelayMs' | 'maxDelayMs' | 'intervalMs' | 'requestTimeoutMs'
>;

export interface SyncServiceOptions {
  dataDir: string;
  db: Db;
  store: BlobStore;
  jobs: JobQueue;
  events: BackendEvents;
  /** Tries per request within one run (default 8). */
  attempts?: number;
  /** Backoff between those tries. */
  baseDelayMs?: number;
  maxDelayMs?: number;
  /** Pause between background runs while all goes well (default 60 s). */
  intervalMs?: number;
  requestTimeoutMs?: number;
  /** Seals the device credential at rest (the desktop shell's safeStorage). */
  sealer?: SecretSealer;
}

/**
 * Sync of this counter with the central store: one run pushes the outbox and pulls the change
 * log; in the app, runs repeat in the background (sooner after a change, later after failures,
 * with jittered backoff). Everything it needs is in the database and the credential file, so the
 * command line and the app can both run it on one data folder.
 */
export class SyncService {
  private current: Promise<SyncSummary> | null = null;
  private timer: NodeJS.Timeout | null = null;
  private failures = 0;
  private stopped = true;
  /** Set by stop(): runs in progress give up instead of retrying. */
  private closing = false;
  private readonly clients = new Set<SyncHttp>();
  private unsubscribe: (() => void) | null = null;
  private readonly retry: Omit<RetryOptions, 'isRetryable' | 'retryAfterMs'>;

  constructor(private readonly options: SyncServiceOptions) {
    this.retry = {
      attempts: options.attempts ?? 8,
      baseMs: options.baseDelayMs ?? 250,
      maxMs: options.maxDelayMs ?? 8000,
      cancelled: () => this.closing,
      onRetry: (error, attempt, delay) =>
        log.debug(
          'sync',
          `retry ${attempt + 1} in ${delay} ms (${error instanceof SyncRequestError ? error.code : 'error'})`,
        ),
    };
  }

  private fullRetry(): RetryOptions {
    return {
      ...this.retry,
      isRetryable,
      retryAfterMs: (error) => (error instanceof SyncRequestError ? error.retryAfterMs : null),
    };
  }

  private async client(credential?: SyncCredential | null): Promise<SyncHttp | null> {
    const cred =
      credential === undefined ? await readCredential(this.options.dataDir, this.options.sealer) : credential;
    if (!cred) return null;
    const http = new SyncHttp({
      server: cred.server,
      bearer: `${cred.deviceId}.${cred.secret}`,
      ca: cred.ca,
      timeoutMs: this.options.requestTimeoutMs ?? 30_000,
      onClose: () => this.clients.delete(http),
    });
    this.clients.add(http);
    return http;
  }

  async status(): Promise<SyncStatus> {
    const { db } = this.options;
    const credential = await readCredential(this.options.dataDir, this.options.sealer);
    const counts = outboxCounts(db);
    const lastError = getState(db, 'last.error');
    const remote = db.prepare('SELECT count(*) AS n FROM remote_documents').get() as { n: number };
    return {
      enrolled: credential !== null,
      server: credential?.server ?? null,
      unit: credential?.unit ?? null,
      deviceId: credential?.deviceId ?? null,
      pending: counts.pending,
      refused: counts.refused,
      lastSuccessAt: getState(db, 'last.success'),
      lastAttemptAt: getState(db, 'last.attempt'),
      lastError: lastError ? (JSON.parse(lastError) as Problem) : null,
      running: this.current !== null,
      remoteDocuments: remote.n,
    };
  }

  /** Exchanges a one-time code for this workstation's credential, then checks it works. */
  async enrol(input: { server: string; code: string; deviceName?: string; ca?: string | null }): Promise<SyncStatus> {
    const server = input.server.replace(/\/+$/, '');
    const anonymous = new SyncHttp({ server, ca: input.ca ?? null, timeoutMs: 15_000 });
    try {
      const answer = await anonymous.json('POST', ROUTES.enrol, EnrolResponse, {
        code: input.code,
        deviceName: input.deviceName ?? '',
      });
      const credential: SyncCredential = {
        server,
        deviceId: answer.deviceId,
        secret: answer.secret,
        unit: answer.unit,
        province: answer.province,
        scope: answer.scope,
        enrolledAt: nowIso(),
        ca: input.ca ?? null,
      };
      await writeCredential(this.options.dataDir, credential, this.options.sealer);
      const http = await this.client(credential);
      try {
        await http!.json('GET', ROUTES.device, DeviceInfo);
      } finally {
        http!.close();
      }
    } catch (error) {
      throw toFailure(error);
    } finally {
      anonymous.close();
    }
    this.kick(0);
    return this.status();
  }

  /** One full run (push, then pull); a second caller during a run shares it. */
  runOnce(): Promise<SyncSummary> {
    this.current ??= this.run().finally(() => {
      this.current = null;
      this.announce();
    });
    this.announce();
    return this.current;
  }

  private async run(): Promise<SyncSummary> {
    const { db } = this.options;
    const credential = await readCredential(this.options.dataDir, this.options.sealer);
    if (!credential) {
      const problem = {
        code: 'UNAUTHORIZED',
        message: 'Máy trạm chưa đăng ký với máy chủ đồng bộ. Hãy nhập địa chỉ máy chủ và mã đăng ký.',
        messageEn:
          'This workstation is not enrolled with a sync server. Enter the server address and an enrolment code.',
      };
      return { pushed: 0, pulled: 0, pending: outboxCounts(db).pending, errors: 1, problems: [problem] };
    }
    setState(db, 'last.attempt', nowIso());
    const http = (await this.client(credential))!;
    const problems: Problem[] = [];
    let pushed = 0;
    let pulled = 0;
    try {
      const push = await pushOutbox({ db, store: this.options.store, http, retry: this.retry });
      pushed = push.pushed;
      problems.push(...push.problems);
      pulled = await pullChanges(db, http, this.fullRetry());
    } catch (error) {
      const failure = toFailure(error).appError;
      problems.push({
        code: failure.code,
        message: failure.message,
        ...(failure.messageEn ? { messageEn: failure.messageEn } : {}),
      });
      log.warn('sync', `run stopped: ${failure.code}`);
    } finally {
      http.close();
    }
    if (problems.length === 0) {
      setState(db, 'last.success', nowIso());
      db.prepare(`DELETE FROM sync_state WHERE key = 'last.error'`).run();
    } else {
      setState(db, 'last.error', JSON.stringify(problems.at(-1)));
    }
    return { pushed, pulled, pending: outboxCounts(db).pending, errors: problems.length, problems };
  }

  /** "Đồng bộ ngay": also gives rows the server refused before another chance. */
  async syncNow(): Promise<SyncSummary> {
    retryRefusedOutbox(this.options.db);
    return this.runOnce();
  }

  /** The reuse source that merges this counter's documents with the central store's. */
  reuseSource(local: ReuseSource): ReuseSource {
    return new CentralReuseSource(local, this.options.db, {
      http: () => this.client(),
      materialize: (documentId) => this.fetchDocument(documentId),
    });
  }

  async fetchDocument(documentId: string): Promise<{ documentId: string; pageIds: number[] }> {
    const http = await this.client();
    try {
      return await materializeRemoteDocument(
        { db: this.options.db, store: this.options.store, jobs: this.options.jobs, http, retry: this.fullRetry() },
        documentId,
      );
    } catch (error) {
      throw toFailure(error);
    } finally {
      http?.close();
    }
  }

  /** Background runs for a host that stays up (the app, browser mode). */
  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.closing = false;
    // New work at the counter: send it soon rather than at the next interval.
    const soon = (): void => this.kick(5_000);
    const offs = [this.options.events.on('dossier.changed', soon), this.options.events.on('workflow.changed', soon)];
    this.unsubscribe = () => offs.forEach((off) => off());
    this.kick(2_000);
  }

  private kick(delayMs: number): void {
    if (this.stopped) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.tick(), delayMs);
    this.timer.unref();
  }

  private async tick(): Promise<void> {
    this.timer = null;
    if (this.stopped) return;
    let next = this.options.intervalMs ?? 60_000;
    try {
      if (await readCredential(this.options.dataDir, this.options.sealer)) {
        const summary = await this.runOnce();
        this.failures = summary.errors > 0 ? this.failures + 1 : 0;
        if (this.failures > 0) next = 5_000 + backoffDelay(this.failures, { baseMs: 5_000, maxMs: 5 * 60_000 });
      }
    } catch (error) {
      this.failures++;
      log.warn('sync', 'background run failed', error);
    }
    this.kick(next);
  }

  /** Stops background runs; a run in progress is cut short (its connections closed, no retries). */
  async stop(): Promise<void> {
    this.stopped = true;
    this.closing = true;
    for (const http of this.clients) http.close();
    this.unsubscribe?.();
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.current?.catch(() => undefined);
  }

  private announce(): void {
    try {
      this.options.events.emit('sync.changed', {
        pending: outboxCounts(this.options.db).pending,
        running: this.current !== null,
      });
    } catch {
      // The database may be closing; the next status call tells the truth.
    }
  }
}

/** Any sync error as the app's AppFailure, with the server's or a network message. */
export function toFailure(error: unknown): AppFailure {
  if (error instanceof AppFailure) return error;
  if (error instanceof SyncRequestError) {
    const code =
      error.code === 'OFFLINE' || error.code === 'TIMEOUT' || error.code === 'UNAVAILABLE'
        ? 'OFFLINE'
        : error.code === 'UNAUTHORIZED'
          ? 'UNAUTHORIZED'
          : error.code === 'FORBIDDEN'
            ? 'FORBIDDEN'
            : error.code === 'NOT_FOUND'
              ? 'NOT_FOUND'
              : error.code === 'VALIDATION' || error.code === 'PROTOCOL' || error.code === 'TOO_LARGE'
                ? 'VALIDATION'
                : error.code === 'CONFLICT'
                  ? 'CONFLICT'
                  : 'INTERNAL';
    return new AppFailure(code, error.messageVi, error.messageEn);
  }
  log.error('sync', 'unexpected failure', error);
  return new AppFailure(
    'INTERNAL',
    'Đồng bộ gặp lỗi nội bộ; dữ liệu vẫn ở máy này và sẽ được gửi lại.',
    'Sync failed internally; the data stays on this computer and will be sent again.',
  );
}
