/**
 * Scanner hot folders: every scanner brand's software can save into a folder, so a folder is the
 * one input that works at every counter. A new file is taken once it is completely written (same
 * size and time across two checks, and quiet for a while), imported into the open dossier or the
 * inbox, and moved into `archive/` beside it: never deleted.
 *
 * Exactly once, across crashes: the claim is journaled in SQLite before the file is moved, and every
 * later step is resumed from that row. The file's sha256 is in the row, and the document import is
 * idempotent by sha256, so a crash after the import committed but before the row said so imports
 * nothing twice; a crash before the move finds the file where it was.
 *
 * fs.watch reacts at once where it works; a periodic scan catches what it misses (network shares,
 * some Windows setups, events lost while busy).
 */
import { watch, type FSWatcher } from 'node:fs';
import { copyFile, lstat, mkdir, readdir, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import type { HotFolder, HotFolderClaim, HotFolderStatus, ImportOutcome } from '../../../shared/api/contract';
import { AppFailure } from '../../../shared/api/errors';
import type { Db } from '../db/database';
import { nowIso } from '../db/database';
import { hashFile } from '../files/blob-store';
import { log } from '../log';
import type { ImportTarget } from '../pages/page-import';

export const ARCHIVE_DIR = 'archive';

/**
 * Steps of one claim, named for tests that stop the process between them: journaled, moved to the
 * archive, document committed (the claim not yet told), settled.
 */
export type ClaimStep = 'claimed' | 'moved' | 'committed' | 'settled';

export interface HotFolderOptions {
  db: Db;
  importFiles(files: { file: string; name: string }[], target: ImportTarget): Promise<ImportOutcome[]>;
  /** Folders to watch in this process only, instead of the saved ones (`sohoa watch <folder>`). */
  folders?: string[];
  /** How often every folder is scanned (default 2 s). */
  scanIntervalMs?: number;
  /** A file must not have changed for this long before it is taken (default 3 s). */
  quietMs?: number;
  /** The clock; tests move it instead of waiting. */
  now?: () => number;
  /** Called after each step of a claim is journaled (tests kill the process here). */
  afterStep?: (step: ClaimStep, claimId: number) => void;
  /** Told about every file taken, once its claim is settled. */
  onSettled?: (claim: HotFolderClaim) => void;
}

interface Seen {
  size: number;
  mtimeMs: number;
}

interface ClaimRow {
  id: number;
  folder: string;
  name: string;
  source_path: string;
  archive_path: string;
  size: number;
  sha256: string;
  dossier_id: string | null;
  status: HotFolderClaim['status'];
  document_id: string | null;
  page_count: number | null;
  error: string | null;
  error_en: string | null;
  updated_at: string;
}

/** Names scanners and copy tools give files still being written, and desktop clutter. */
const IN_PROGRESS = /^(\.|~\$)|\.(tmp|temp|part|partial|crdownload|download|lock)$|^(thumbs\.db|desktop\.ini)$/i;
const MAX_RETRIES = 3;
/** An empty file may be a scanner's placeholder: it must stay empty much longer before it is refused. */
const EMPTY_QUIET_FACTOR = 10;

export class HotFolderService {
  private readonly seen = new Map<string, Seen>();
  /** Imports that failed for reasons not the file's own (a full disk), by claim: retried a few times. */
  private readonly retries = new Map<number, number>();
  private readonly watchers = new Map<string, FSWatcher>();
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> = Promise.resolve();
  private pendingScan = false;
  private target: string | null = null;
  private watching = false;

  constructor(private readonly options: HotFolderOptions) {}

  private get now(): number {
    return (this.options.now ?? Date.now)();
  }

  /** Resumes claims a crash left unfinished, then watches and scans every folder. */
  start(): void {
    if (this.watching) return;
    this.watching = true;
    this.rewatch();
    this.timer = setInterval(() => void this.scanSoon(), this.options.scanIntervalMs ?? 2000);
    this.timer.unref();
    void this.scanSoon();
  }

  async stop(): Promise<void> {
    this.watching = false;
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    for (const watcher of this.watchers.values()) watcher.close();
    this.watchers.clear();
    await this.running;
  }

  /** One full pass: unfinished claims first, then every folder. Passes never overlap. */
  scanOnce(): Promise<void> {
    const pass = this.running.then(() => this.pass());
    this.running = pass.catch((error: unknown) => log.error('hot-folder', 'scan failed', error));
    return pass;
  }

  setTarget(dossierId: string | null): string | null {
    if (dossierId !== null && !this.options.db.prepare('SELECT 1 FROM dossiers WHERE id = ?').get(dossierId))
      throw new AppFailure('NOT_FOUND', 'Không tìm thấy hồ sơ.', 'Dossier not found.', 'dossierId');
    this.target = dossierId;
    return this.target;
  }

  async setFolders(paths: string[]): Promise<HotFolderStatus> {
    const clean: string[] = [];
    for (const raw of paths) {
      const folder = raw.trim();
      if (!path.isAbsolute(folder))
        throw new AppFailure(
          'VALIDATION',
          'Đường dẫn thư mục phải là đường dẫn đầy đủ (ví dụ D:\\Scan hoặc /home/canbo/scan).',
          'The folder must be a full path (for example D:\\Scan or /home/clerk/scan).',
          'paths',
        );
      const resolved = path.resolve(folder);
      const info = await stat(resolved).catch(() => null);
      if (!info?.isDirectory())
        throw new AppFailure(
          'VALIDATION',
          'Không tìm thấy thư mục này, hoặc đây không phải là thư mục.',
          'This folder does not exist, or is not a folder.',
          'paths',
        );
      if (!clean.includes(resolved)) clean.push(resolved);
    }
    const { db } = this.options;
    db.transaction(() => {
      db.prepare(`DELETE FROM hot_folders WHERE path NOT IN (SELECT value FROM json_each(?))`).run(
        JSON.stringify(clean),
      );
      const insert = db.prepare(
        `INSERT INTO hot_folders (path, enabled, created_at) VALUES (?, 1, ?) ON CONFLICT (path) DO NOTHING`,
      );
      for (const folder of clean) insert.run(folder, nowIso());
    })();
    if (this.watching) this.rewatch();
    return this.status();
  }

  async status(): Promise<HotFolderStatus> {
    const folders: HotFolder[] = [];
    for (const row of this.folderRows()) {
      const info = await stat(row.path).catch(() => null);
      folders.push({ id: row.id, path: row.path, enabled: row.enabled === 1, reachable: Boolean(info?.isDirectory()) });
    }
    const recent = (
      this.options.db.prepare(`SELECT * FROM hot_folder_claims ORDER BY id DESC LIMIT 20`).all() as ClaimRow[]
    ).map(toClaim);
    return { folders, targetDossierId: this.target, watching: this.watching, recent };
  }

  private folderRows(): { id: number; path: string; enabled: number }[] {
    if (this.options.folders)
      return this.options.folders.map((folder, i) => ({ id: -(i + 1), path: path.resolve(folder), enabled: 1 }));
    return this.options.db.prepare('SELECT id, path, enabled FROM hot_folders ORDER BY id').all() as {
      id: number;
      path: string;
      enabled: number;
    }[];
  }

  private activeFolders(): string[] {
    return this.folderRows()
      .filter((row) => row.enabled === 1)
      .map((row) => row.path);
  }

  private rewatch(): void {
    const wanted = new Set(this.activeFolders());
    for (const [folder, watcher] of this.watchers) {
      if (!wanted.has(folder)) {
        watcher.close();
        this.watchers.delete(folder);
      }
    }
    for (const folder of wanted) {
      if (this.watchers.has(folder)) continue;
      try {
        const watcher = watch(folder, { persistent: false }, () => void this.scanSoon());
        // A share that goes away errors here; the periodic scan carries on without it.
        watcher.on('error', () => {
          watcher.close();
          this.watchers.delete(folder);
        });
        this.watchers.set(folder, watcher);
      } catch {
        // Unreachable now (an unplugged share): the periodic scan will retry.
      }
    }
  }

  /** Coalesces bursts of watch events into one pass after the current one. */
  private scanSoon(): Promise<void> {
    if (this.pendingScan) return this.running;
    this.pendingScan = true;
    return this.scanOnce().finally(() => {
      this.pendingScan = false;
    });
  }

  private async pass(): Promise<void> {
    await this.resumeUnfinished();
    for (const folder of this.activeFolders()) await this.scanFolder(folder);
  }

  private async scanFolder(folder: string): Promise<void> {
    const names = await readdir(folder).catch(() => null);
    if (!names) return;
    const present = new Set<string>();
    for (const name of names.sort((a, b) => a.localeCompare(b))) {
      if (IN_PROGRESS.test(name) || name === ARCHIVE_DIR) continue;
      const file = path.join(folder, name);
      present.add(file);
      // lstat: a symbolic link could point anywhere on the machine; only real files are taken.
      const info = await lstat(file).catch(() => null);
      if (!info?.isFile()) continue;
      const before = this.seen.get(file);
      this.seen.set(file, { size: info.size, mtimeMs: info.mtimeMs });
      const unchanged = before !== undefined && before.size === info.size && before.mtimeMs === info.mtimeMs;
      const quiet = (this.options.quietMs ?? 3000) * (info.size === 0 ? EMPTY_QUIET_FACTOR : 1);
      if (!unchanged || this.now - info.mtimeMs < quiet) continue;
      if (this.isClaimed(file)) continue;
      await this.take(folder, name, info.size);
      this.seen.delete(file);
    }
    for (const file of this.seen.keys())
      if (path.dirname(file) === folder && !present.has(file)) this.seen.delete(file);
  }

  private isClaimed(file: string): boolean {
    return (
      this.options.db
        .prepare(`SELECT 1 FROM hot_folder_claims WHERE source_path = ? AND status IN ('claimed', 'moved')`)
        .get(file) !== undefined
    );
  }

  private async take(folder: string, name: string, size: number): Promise<void> {
    const file = path.join(folder, name);
    const sha256 = await hashFile(file).catch(() => null);
    // Gone, or changed while being read (still being written after all): next pass.
    const after = await stat(file).catch(() => null);
    if (sha256 === null || !after || after.size !== size) return;
    const { db } = this.options;
    const archive = await this.archivePathFor(folder, name);
    const claimId = db.transaction(() => {
      // A copy of a file already stored is a duplicate: archived, flagged, not imported again.
      const existing = db.prepare('SELECT id FROM documents WHERE source_sha256 = ?').get(sha256) as
        { id: string } | undefined;
      const now = nowIso();
      return Number(
        db
          .prepare(
            `INSERT INTO hot_folder_claims (folder, name, source_path, archive_path, size, sha256, dossier_id, status,
               document_id, created_at, updated_at)
             VALUES (?, ?, ?, ?, ?, ?, ?, 'claimed', ?, ?, ?)`,
          )
          .run(folder, name, file, archive, size, sha256, this.target, existing?.id ?? null, now, now).lastInsertRowid,
      );
    })();
    this.options.afterStep?.('claimed', claimId);
    await this.advance(this.claim(claimId));
  }

  /** Claims a crash (or a locked file) left half-way, oldest first. */
  private async resumeUnfinished(): Promise<void> {
    const rows = this.options.db
      .prepare(`SELECT * FROM hot_folder_claims WHERE status IN ('claimed', 'moved') ORDER BY id`)
      .all() as ClaimRow[];
    for (const row of rows) await this.advance(row);
  }

  private claim(id: number): ClaimRow {
    return this.options.db.prepare('SELECT * FROM hot_folder_claims WHERE id = ?').get(id) as ClaimRow;
  }

  private setStatus(id: number, status: ClaimRow['status'], extra: Partial<ClaimRow> = {}): void {
    this.options.db
      .prepare(
        `UPDATE hot_folder_claims SET status = ?, document_id = coalesce(?, document_id), page_count = coalesce(?, page_count),
           error = ?, error_en = ?, updated_at = ? WHERE id = ?`,
      )
      .run(
        status,
        extra.document_id ?? null,
        extra.page_count ?? null,
        extra.error ?? null,
        extra.error_en ?? null,
        nowIso(),
        id,
      );
  }

  private async advance(row: ClaimRow): Promise<void> {
    if (row.status === 'claimed') {
      const moved = await this.moveToArchive(row);
      if (!moved) return;
      this.setStatus(row.id, 'moved');
      this.options.afterStep?.('moved', row.id);
      row = this.claim(row.id);
    }
    if (row.status !== 'moved') return;
    if (row.document_id) {
      // Known at claim time: the same bytes were stored before this file arrived.
      this.setStatus(row.id, 'duplicate');
    } else {
      const [outcome] = await this.options.importFiles([{ file: row.archive_path, name: row.name }], {
        dossierId: row.dossier_id,
        citizenId: null,
      });
      if (!outcome) return;
      this.options.afterStep?.('committed', row.id);
      if (outcome.ok) {
        this.setStatus(row.id, 'imported', { document_id: outcome.documentId, page_count: outcome.pageIds.length });
      } else if (outcome.error.code === 'STAGED') {
        // A stack with separator sheets: taken, and waiting for the clerk to confirm its split
        // (capture/batch-split); the documents are created then.
        this.setStatus(row.id, 'imported');
      } else if (
        (outcome.error.code === 'INTERNAL' || outcome.error.code === 'NOT_FOUND') &&
        (this.retries.get(row.id) ?? 0) < MAX_RETRIES
      ) {
        // Not the file's fault (a dossier deleted meanwhile, a full disk): again on a later pass,
        // into the inbox if the dossier is gone. The file waits in the archive meanwhile.
        this.retries.set(row.id, (this.retries.get(row.id) ?? 0) + 1);
        if (outcome.error.code === 'NOT_FOUND' && row.dossier_id) {
          this.options.db.prepare('UPDATE hot_folder_claims SET dossier_id = NULL WHERE id = ?').run(row.id);
        }
        return;
      } else {
        this.setStatus(row.id, 'refused', { error: outcome.error.message, error_en: outcome.error.messageEn ?? null });
      }
    }
    this.options.afterStep?.('settled', row.id);
    this.options.onSettled?.(toClaim(this.claim(row.id)));
  }

  /**
   * Moves the claimed file into the archive. The claim row already names both paths, so wherever a
   * crash stopped, the file is found at one of them. False when it cannot be moved yet.
   */
  private async moveToArchive(row: ClaimRow): Promise<boolean> {
    const atSource = await lstat(row.source_path).catch(() => null);
    const atArchive = await lstat(row.archive_path).catch(() => null);
    if (atArchive && !atSource) return true;
    if (!atSource) {
      // Taken away by hand before the move: nothing to import, nothing lost by us.
      this.setStatus(row.id, 'refused', {
        error: 'Tệp đã bị chuyển đi khỏi thư mục quét trước khi nhập.',
        error_en: 'The file was taken out of the scan folder before it could be imported.',
      });
      return false;
    }
    await mkdir(path.dirname(row.archive_path), { recursive: true });
    try {
      await rename(row.source_path, row.archive_path);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'EXDEV') {
        await copyFile(row.source_path, row.archive_path);
        await rm(row.source_path);
        return true;
      }
      // Still open in the scanner's software (Windows locks it): forget the claim, retry later.
      log.warn('hot-folder', `claim ${row.id}: file not movable yet (${code ?? 'error'})`);
      this.options.db.prepare('DELETE FROM hot_folder_claims WHERE id = ?').run(row.id);
      return false;
    }
    return true;
  }

  /** archive/YYYY-MM-DD/<name>, with " (2)", " (3)" ... when a scanner reuses a name. */
  private async archivePathFor(folder: string, name: string): Promise<string> {
    const day = nowIso().slice(0, 10);
    const dir = path.join(folder, ARCHIVE_DIR, day);
    const ext = path.extname(name);
    const base = ext ? name.slice(0, -ext.length) : name;
    const taken = this.options.db.prepare('SELECT 1 FROM hot_folder_claims WHERE archive_path = ?');
    for (let n = 1; ; n++) {
      const candidate = path.join(dir, n === 1 ? name : `${base} (${n})${ext}`);
      if (!taken.get(candidate) && !(await lstat(candidate).catch(() => null))) return candidate;
    }
  }
}

function toClaim(row: ClaimRow): HotFolderClaim {
  return {
    id: row.id,
    name: row.name,
    status: row.status,
    dossierId: row.dossier_id,
    documentId: row.document_id,
    pageCount: row.page_count,
    error: row.error ? { message: row.error, ...(row.error_en ? { messageEn: row.error_en } : {}) } : null,
    at: row.updated_at,
  };
}
