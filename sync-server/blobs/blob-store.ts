import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, open, readdir, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { SHA256_PATTERN } from '../../shared/sync/protocol';

/**
 * Where the central store keeps files: content-addressed, so a file is stored once however many
 * counters send it, and an upload is resumable because its bytes are fixed by its hash. Only
 * validated hashes and server-made keys ever become paths.
 */
export interface ServerBlobStore {
  init(): Promise<void>;
  /** The size of a complete file, or null when it is not (yet) stored. */
  size(sha256: string): Promise<number | null>;
  /** Bytes held of an interrupted upload by `uploader` (0 when none). */
  partialSize(sha256: string, uploader: string): Promise<number>;
  /**
   * Appends `body` (at most `maxBytes`) to the uploader's partial copy, which must hold exactly
   * `offset` bytes (null: wherever it stands, to finish a copy that already holds every byte).
   * Bytes written before an interruption stay: they are where the next attempt resumes. Once the
   * copy holds `total` bytes its hash is checked: a match moves it in, durably; a mismatch
   * discards it.
   */
  receive(
    sha256: string,
    uploader: string,
    offset: number | null,
    body: Readable | null,
    maxBytes: number,
    total: number,
  ): Promise<{ held: number; state: 'partial' | 'complete' | 'mismatch' }>;
  read(sha256: string, start?: number): Readable;
  /** Removes interrupted uploads nobody resumed within `olderThanMs`. */
  sweepPartials(olderThanMs: number): Promise<number>;
}

export class OffsetMismatch extends Error {
  constructor(readonly held: number) {
    super(`upload offset mismatch (held ${held})`);
  }
}

const UPLOADER = /^[A-Za-z0-9-]{1,64}$/;

/** The default blob store: a folder, local or a shared volume mounted by every server instance. */
export class FolderBlobStore implements ServerBlobStore {
  private readonly objects: string;
  private readonly partials: string;
  /** Shard folders known to exist (at most 256). */
  private readonly folders = new Set<string>();

  constructor(readonly root: string) {
    this.objects = path.join(root, 'objects');
    this.partials = path.join(root, 'partial');
  }

  async init(): Promise<void> {
    await mkdir(this.objects, { recursive: true });
    await mkdir(this.partials, { recursive: true });
  }

  private objectPath(sha256: string): string {
    if (!SHA256_PATTERN.test(sha256)) throw new Error('invalid blob hash');
    return path.join(this.objects, sha256.slice(0, 2), sha256);
  }

  private partialPath(sha256: string, uploader: string): string {
    if (!SHA256_PATTERN.test(sha256) || !UPLOADER.test(uploader)) throw new Error('invalid upload key');
    return path.join(this.partials, `${sha256}.${uploader}`);
  }

  async size(sha256: string): Promise<number | null> {
    const info = await stat(this.objectPath(sha256)).catch(() => null);
    return info ? info.size : null;
  }

  async partialSize(sha256: string, uploader: string): Promise<number> {
    const info = await stat(this.partialPath(sha256, uploader)).catch(() => null);
    return info ? info.size : 0;
  }

  async receive(
    sha256: string,
    uploader: string,
    offset: number | null,
    body: Readable | null,
    maxBytes: number,
    total: number,
  ): Promise<{ held: number; state: 'partial' | 'complete' | 'mismatch' }> {
    const file = this.partialPath(sha256, uploader);
    // 'a' creates the copy without truncating one another request is resuming; writes go to its end.
    const handle = await open(file, 'a');
    let held: number;
    let wholeHash: string | null = null;
    try {
      const start = (await handle.stat()).size;
      if (offset !== null && start !== offset) throw new OffsetMismatch(start);
      if (body) {
        const hash = start === 0 ? createHash('sha256') : null;
        let written = 0;
        // Each chunk is on disk before the next is read: what an interruption leaves is a prefix.
        for await (const chunk of body as AsyncIterable<Buffer>) {
          written += chunk.length;
          if (written > maxBytes) throw new Error('body larger than its range');
          hash?.update(chunk);
          await handle.write(chunk);
        }
        if (hash) wholeHash = hash.digest('hex');
      }
      held = (await handle.stat()).size;
      if (held < total) return { held, state: 'partial' };
      const actual = held === total ? (wholeHash ?? (await hashFile(file))) : null;
      if (actual !== sha256) {
        await rm(file, { force: true });
        return { held: 0, state: 'mismatch' };
      }
      await handle.sync();
    } finally {
      await handle.close();
    }
    const target = this.objectPath(sha256);
    const folder = path.dirname(target);
    if (!this.folders.has(folder)) {
      await mkdir(folder, { recursive: true });
      this.folders.add(folder);
    }
    try {
      await rename(file, target);
    } catch (error) {
      // Another request completed the same upload first: the file is in place either way.
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT' || (await this.size(sha256)) === null) throw error;
    }
    await fsyncDir(folder);
    return { held, state: 'complete' };
  }

  read(sha256: string, start = 0): Readable {
    return createReadStream(this.objectPath(sha256), { start });
  }

  async sweepPartials(olderThanMs: number): Promise<number> {
    const cutoff = Date.now() - olderThanMs;
    let removed = 0;
    for (const name of await readdir(this.partials).catch(() => [])) {
      const file = path.join(this.partials, name);
      const info = await stat(file).catch(() => null);
      if (info && info.mtimeMs < cutoff) {
        await rm(file, { force: true });
        removed++;
      }
    }
    return removed;
  }
}

function hashFile(file: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const hash = createHash('sha256');
    createReadStream(file)
      .on('data', (chunk) => hash.update(chunk))
      .on('error', reject)
      .on('end', () => resolve(hash.digest('hex')));
  });
}

async function fsyncDir(dir: string): Promise<void> {
  if (process.platform === 'win32') return;
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
