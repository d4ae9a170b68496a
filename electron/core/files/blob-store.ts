import { createHash, randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, open, readdir, readFile, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';

const SHA256 = /^[a-f0-9]{64}$/;

/**
 * Content-addressed file store: `objects/ab/<sha256>`. Writes go to `tmp/`, are fsynced and then
 * renamed into place, so a crash leaves either the whole file or nothing. The same bytes always
 * land at the same path, which makes re-running an interrupted import idempotent.
 */
export class BlobStore {
  readonly objectsDir: string;
  readonly tmpDir: string;

  constructor(readonly root: string) {
    this.objectsDir = path.join(root, 'objects');
    this.tmpDir = path.join(root, 'tmp');
  }

  async init(): Promise<void> {
    await mkdir(this.objectsDir, { recursive: true });
    await mkdir(this.tmpDir, { recursive: true });
  }

  pathOf(sha256: string): string {
    // The hash comes from our own database, but a path is built from it: check it anyway.
    if (!SHA256.test(sha256)) throw new Error('invalid blob hash');
    return path.join(this.objectsDir, sha256.slice(0, 2), sha256);
  }

  async put(bytes: Buffer): Promise<{ sha256: string; size: number }> {
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    const target = this.pathOf(sha256);
    if (await exists(target)) return { sha256, size: bytes.length };
    const tmp = path.join(this.tmpDir, `${sha256}.${randomBytes(6).toString('hex')}`);
    const handle = await open(tmp, 'wx');
    try {
      await handle.writeFile(bytes);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await mkdir(path.dirname(target), { recursive: true });
    await rename(tmp, target);
    await fsyncDir(path.dirname(target));
    return { sha256, size: bytes.length };
  }

  read(sha256: string): Promise<Buffer> {
    return readFile(this.pathOf(sha256));
  }

  has(sha256: string): Promise<boolean> {
    return exists(this.pathOf(sha256));
  }

  /** Every stored hash (for integrity checks and garbage collection). */
  async list(): Promise<string[]> {
    const out: string[] = [];
    for (const dir of await readdir(this.objectsDir).catch(() => [])) {
      for (const name of await readdir(path.join(this.objectsDir, dir)).catch(() => [])) {
        if (SHA256.test(name)) out.push(name);
      }
    }
    return out;
  }

  /** Removes temp files left by a crash mid-write (older than `olderThanMs`, so live writers keep theirs). */
  async sweepTemp(olderThanMs: number): Promise<number> {
    let removed = 0;
    const cutoff = Date.now() - olderThanMs;
    for (const name of await readdir(this.tmpDir).catch(() => [])) {
      const file = path.join(this.tmpDir, name);
      const info = await stat(file).catch(() => null);
      if (info && info.mtimeMs < cutoff) {
        await rm(file, { force: true });
        removed++;
      }
    }
    return removed;
  }

  async remove(sha256: string): Promise<void> {
    await rm(this.pathOf(sha256), { force: true });
  }
}

/** sha256 of a file, streamed (a batch file may be large). */
export function hashFile(file: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const hash = createHash('sha256');
    createReadStream(file)
      .on('data', (chunk) => hash.update(chunk))
      .on('error', reject)
      .on('end', () => resolve(hash.digest('hex')));
  });
}

async function exists(file: string): Promise<boolean> {
  try {
    await stat(file);
    return true;
  } catch {
    return false;
  }
}

async function fsyncDir(dir: string): Promise<void> {
  // Makes the rename itself durable. Windows cannot open a directory for fsync; skip there.
  if (process.platform === 'win32') return;
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
