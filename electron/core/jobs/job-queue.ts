import { randomBytes } from 'node:crypto';
import os from 'node:os';
import type { Db } from '../db/database';
import { nowIso } from '../db/database';

export type JobKind = 'ocr';

export interface ClaimedJob {
  id: number;
  kind: JobKind;
  subject: string;
  attempts: number;
}

/** Identifies this process, so jobs it held can be reclaimed once it is gone. */
const OWNER = `${os.hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`;

/** Taking a job: this process holds it, one attempt more. */
const CLAIM = `UPDATE jobs SET status = 'running', owner = @owner, attempts = attempts + 1, updated_at = @now`;

/**
 * The persistent job table. Jobs are claimed atomically by one process; a job whose owner died
 * (a crash, a kill) is put back in the queue, so a restart resumes unfinished work.
 */
export class JobQueue {
  constructor(private readonly db: Db) {}

  /** Adds a job inside the caller's transaction; an existing job for the same subject is kept. */
  enqueue(kind: JobKind, subject: string): void {
    const now = nowIso();
    this.db
      .prepare(
        `INSERT INTO jobs (kind, subject, status, created_at, updated_at) VALUES (?, ?, 'queued', ?, ?)
         ON CONFLICT (kind, subject) DO NOTHING`,
      )
      .run(kind, subject, now, now);
  }

  /** Claims the oldest queued job of a kind. */
  claim(kind: JobKind): ClaimedJob | null {
    const row = this.db
      .prepare(
        `${CLAIM} WHERE id = (SELECT id FROM jobs WHERE kind = @kind AND status = 'queued' ORDER BY id LIMIT 1)
         RETURNING id, kind, subject, attempts`,
      )
      .get({ owner: OWNER, now: nowIso(), kind }) as ClaimedJob | undefined;
    return row ?? null;
  }

  /** Claims one given job, if it is still queued (another worker or process may have taken it). */
  claimJob(id: number): ClaimedJob | null {
    const row = this.db
      .prepare(`${CLAIM} WHERE id = @id AND status = 'queued' RETURNING id, kind, subject, attempts`)
      .get({ owner: OWNER, now: nowIso(), id }) as ClaimedJob | undefined;
    return row ?? null;
  }

  complete(id: number): void {
    this.db
      .prepare(`UPDATE jobs SET status = 'done', owner = NULL, error = NULL, updated_at = ? WHERE id = ?`)
      .run(nowIso(), id);
  }

  /** Gives the job back to the queue, or fails it for good after `maxAttempts`. */
  fail(id: number, error: string, maxAttempts: number): 'queued' | 'failed' {
    const row = this.db.prepare(`SELECT attempts FROM jobs WHERE id = ?`).get(id) as { attempts: number } | undefined;
    const status = row && row.attempts < maxAttempts ? 'queued' : 'failed';
    this.db
      .prepare(`UPDATE jobs SET status = ?, owner = NULL, error = ?, updated_at = ? WHERE id = ?`)
      .run(status, error, nowIso(), id);
    return status;
  }

  /** Puts back jobs held by processes on this machine that no longer run. Returns the subjects. */
  reclaimOrphans(kind: JobKind): string[] {
    const running = this.db
      .prepare(`SELECT id, subject, owner FROM jobs WHERE kind = ? AND status = 'running'`)
      .all(kind) as { id: number; subject: string; owner: string | null }[];
    const reclaimed: string[] = [];
    const requeue = this.db.prepare(
      `UPDATE jobs SET status = 'queued', owner = NULL, updated_at = ? WHERE id = ? AND status = 'running'`,
    );
    for (const job of running) {
      if (job.owner !== null && ownerIsAlive(job.owner)) continue;
      requeue.run(nowIso(), job.id);
      reclaimed.push(job.subject);
    }
    return reclaimed;
  }

  /** On a clean shutdown, gives back what this process holds. */
  releaseOwn(): void {
    this.db
      .prepare(`UPDATE jobs SET status = 'queued', owner = NULL, updated_at = ? WHERE owner = ? AND status = 'running'`)
      .run(nowIso(), OWNER);
  }

  counts(kind: JobKind): Record<'queued' | 'running' | 'done' | 'failed', number> {
    const counts = { queued: 0, running: 0, done: 0, failed: 0 };
    const rows = this.db.prepare(`SELECT status, count(*) AS n FROM jobs WHERE kind = ? GROUP BY status`).all(kind) as {
      status: keyof typeof counts;
      n: number;
    }[];
    for (const row of rows) counts[row.status] = row.n;
    return counts;
  }

  hasPending(kind: JobKind): boolean {
    return (
      this.db.prepare(`SELECT 1 FROM jobs WHERE kind = ? AND status IN ('queued', 'running') LIMIT 1`).get(kind) !==
      undefined
    );
  }
}

function ownerIsAlive(owner: string): boolean {
  if (owner === OWNER) return true;
  const [host, pidText] = owner.split(':');
  // A job held on another machine (a shared folder) is left to that machine.
  if (host !== os.hostname()) return true;
  const pid = Number(pidText);
  if (!Number.isInteger(pid) || pid <= 0) return false;
  if (pid === process.pid) return false; // our pid, another token: a previous life of this pid
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
