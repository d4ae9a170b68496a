import { createHash, randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, open, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import { renamePatiently } from './rename-patiently';
import { AppFailure } from '../../../shared/api/errors';
import { fsyncDir } from './fsync-dir';
import type { KeyVault } from './key-vault';
import {
  DATA_TAG_OFFSET,
  HEADER_SIZE,
  MAGIC,
  damagedObject,
  decryptObject,
  decryptRange,
  encryptObject,
  isEncryptedHead,
  startDecryption,
  startEncryption,
  unwrapFileKey,
} from './object-crypto';

const SHA256 = /^[a-f0-9]{64}$/;
const CHUNK = 1024 * 1024;
/** Written once every file of the store is encrypted (a restore replaces the store, marker and all). */
const ALL_ENCRYPTED_MARKER = 'all-encrypted';

/** Plaintext of one stored file read in ranges (resumable uploads); its tag was checked on opening. */
export interface RangeReader {
  readonly size: number;
  read(position: number, length: number): Promise<Buffer>;
  close(): Promise<void>;
}

/**
 * Content-addressed file store: `objects/ab/<sha256>`, addressed by the sha256 of the plaintext
 * (so dedup and idempotent re-imports keep working). Each file is encrypted at rest with its own
 * AES-256-GCM key wrapped by the data folder's master key (object-crypto.ts, key-vault.ts); files
 * of a store made before encryption are still read as they are until `encryptLegacy` turns them.
 * Writes go to `tmp/`, are fsynced and then renamed into place, so a crash leaves either the
 * whole file or nothing. Read only through `read`/`openRead`/`openRanges`: `pathOf` names the
 * encrypted file.
 */
export class BlobStore {
  readonly objectsDir: string;
  readonly tmpDir: string;

  constructor(
    readonly root: string,
    readonly vault: KeyVault,
  ) {
    this.objectsDir = path.join(root, 'objects');
    this.tmpDir = path.join(root, 'tmp');
  }

  async init(): Promise<void> {
    await mkdir(this.objectsDir, { recursive: true });
    await mkdir(this.tmpDir, { recursive: true });
  }

  /** Where the (encrypted) file lies: for copying or removing it as it is, never for reading its content. */
  pathOf(sha256: string): string {
    // The hash comes from our own database, but a path is built from it: check it anyway.
    if (!SHA256.test(sha256)) throw new Error('invalid blob hash');
    return path.join(this.objectsDir, sha256.slice(0, 2), sha256);
  }

  async put(bytes: Buffer): Promise<{ sha256: string; size: number }> {
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    const target = this.pathOf(sha256);
    if (await exists(target)) return { sha256, size: bytes.length };
    const sealed = encryptObject(this.vault.masterKey(), sha256, bytes);
    const tmp = this.tempName(sha256);
    const handle = await open(tmp, 'wx');
    try {
      // From the file's position on: the header, then the body after it.
      for (const part of sealed) await handle.writeFile(part);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await this.moveIntoPlace(tmp, target);
    return { sha256, size: bytes.length };
  }

  /**
   * Stores a file by streaming it through the cipher (a 300-page PDF is never read into memory).
   * `sha256` is what the caller hashed before; the bytes are hashed again on the way, and a file
   * that changed meanwhile (a scanner still writing) is refused.
   */
  async putFile(file: string, sha256: string): Promise<{ sha256: string; size: number }> {
    const target = this.pathOf(sha256);
    if (await exists(target)) return { sha256, size: (await stat(file)).size };
    const tmp = this.tempName(sha256);
    const written = await this.encryptFileTo(file, tmp, sha256).catch(async (error: unknown) => {
      await rm(tmp, { force: true });
      throw error;
    });
    if (written.sha256 !== sha256) {
      await rm(tmp, { force: true });
      throw new AppFailure(
        'UNSUPPORTED_FILE',
        'Tệp thay đổi trong khi đang nhập; hãy nhập lại khi máy quét đã ghi xong.',
        'The file changed while it was imported; import it again once the scanner has finished.',
      );
    }
    await this.moveIntoPlace(tmp, target);
    return { sha256, size: written.size };
  }

  /** The whole plaintext, returned only after the GCM tag checked out. */
  async read(sha256: string): Promise<Buffer> {
    const stored = await readFile(this.pathOf(sha256));
    if (!isEncryptedHead(stored)) return stored;
    return decryptObject(this.vault.masterKey(), sha256, stored);
  }

  /**
   * The plaintext as a stream, for large files (exports, uploads). A stream hands out data before
   * the tag at the end is checked: an altered file ends the stream with an error, so a consumer
   * must treat an errored stream as no data (HTTP responses and zip writers abort).
   */
  openRead(sha256: string): Readable {
    return Readable.from(this.plainChunks(sha256), { objectMode: false });
  }

  /** The plaintext size (content-length, upload ranges). */
  async plainSize(sha256: string): Promise<number> {
    const file = this.pathOf(sha256);
    const info = await stat(file);
    return (await isEncryptedFile(file)) ? info.size - HEADER_SIZE : info.size;
  }

  /** sha256 of the plaintext, streamed; also proves an encrypted file's tag (backups verify with it). */
  async plainHash(sha256: string): Promise<string> {
    const hash = createHash('sha256');
    for await (const chunk of this.plainChunks(sha256)) hash.update(chunk);
    return hash.digest('hex');
  }

  /**
   * Range reads of the plaintext (sync uploads resume mid-file). The whole file's tag is checked
   * first, so no range of an altered file is ever handed out.
   */
  async openRanges(sha256: string): Promise<RangeReader> {
    const file = this.pathOf(sha256);
    const handle = await open(file, 'r');
    try {
      const info = await handle.stat();
      const header = Buffer.alloc(HEADER_SIZE);
      const { bytesRead } = await handle.read(header, 0, HEADER_SIZE, 0);
      if (bytesRead < MAGIC.length || !isEncryptedHead(header)) {
        return {
          size: info.size,
          read: async (position, length) => {
            const bytes = Buffer.alloc(length);
            const got = await handle.read(bytes, 0, length, position);
            return bytes.subarray(0, got.bytesRead);
          },
          close: () => handle.close(),
        };
      }
      for await (const chunk of this.plainChunks(sha256)) void chunk;
      const fileKey = unwrapFileKey(this.vault.masterKey(), sha256, header);
      return {
        size: info.size - HEADER_SIZE,
        read: async (position, length) => {
          const block = Math.floor(position / 16);
          const skip = position - block * 16;
          const cipherText = Buffer.alloc(skip + length);
          const got = await handle.read(cipherText, 0, cipherText.length, HEADER_SIZE + block * 16);
          return decryptRange(fileKey, header, cipherText.subarray(0, got.bytesRead), skip, block);
        },
        close: async () => {
          fileKey.fill(0);
          await handle.close();
        },
      };
    } catch (error) {
      await handle.close();
      throw error;
    }
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

  /** Whether the file on disk is in the encrypted format (tests, migration). */
  isEncrypted(sha256: string): Promise<boolean> {
    return isEncryptedFile(this.pathOf(sha256));
  }

  /**
   * Encrypts, in place, the files a store written before encryption holds. One file at a time:
   * encrypted into tmp/, fsynced, then renamed over the plaintext, so a crash at any moment leaves
   * each file whole in one format or the other (both are readable) and the next run goes on.
   * A plaintext file whose bytes no longer match its address is left as it is and counted.
   * A finished pass leaves a marker, so later starts do not open every file again.
   */
  async encryptLegacy(): Promise<{ encrypted: number; damaged: number }> {
    let encrypted = 0;
    let damaged = 0;
    const marker = path.join(this.root, ALL_ENCRYPTED_MARKER);
    if (await exists(marker)) return { encrypted, damaged };
    for (const sha256 of await this.list()) {
      const target = this.pathOf(sha256);
      if (await isEncryptedFile(target).catch(() => true)) continue;
      const tmp = this.tempName(sha256);
      try {
        const written = await this.encryptFileTo(target, tmp, sha256);
        if (written.sha256 !== sha256) {
          damaged++;
          await rm(tmp, { force: true });
          continue;
        }
        await renamePatiently(tmp, target);
        encrypted++;
      } catch (error) {
        await rm(tmp, { force: true });
        // Removed meanwhile (a purge): nothing to encrypt.
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      }
    }
    if (encrypted > 0)
      for (const dir of await readdir(this.objectsDir)) await fsyncDir(path.join(this.objectsDir, dir));
    if (damaged === 0) await writeFile(marker, `${new Date().toISOString()}\n`);
    return { encrypted, damaged };
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

  private tempName(sha256: string): string {
    return path.join(this.tmpDir, `${sha256}.${randomBytes(6).toString('hex')}`);
  }

  private async moveIntoPlace(tmp: string, target: string): Promise<void> {
    await mkdir(path.dirname(target), { recursive: true });
    await renamePatiently(tmp, target);
    await fsyncDir(path.dirname(target));
  }

  /** Streams `source` through the cipher into `tmp` (fsynced); returns the plaintext's hash and size. */
  private async encryptFileTo(source: string, tmp: string, sha256: string): Promise<{ sha256: string; size: number }> {
    const { header, cipher } = startEncryption(this.vault.masterKey(), sha256);
    const hash = createHash('sha256');
    let size = 0;
    let position = HEADER_SIZE;
    const handle = await open(tmp, 'wx');
    try {
      await handle.write(header, 0, HEADER_SIZE, 0);
      for await (const chunk of createReadStream(source, { highWaterMark: CHUNK })) {
        const plain = chunk as Buffer;
        hash.update(plain);
        size += plain.length;
        const sealed = cipher.update(plain);
        await handle.write(sealed, 0, sealed.length, position);
        position += sealed.length;
      }
      const last = cipher.final();
      if (last.length > 0) await handle.write(last, 0, last.length, position);
      const tag = cipher.getAuthTag();
      await handle.write(tag, 0, tag.length, DATA_TAG_OFFSET);
      await handle.sync();
    } finally {
      await handle.close();
    }
    return { sha256: hash.digest('hex'), size };
  }

  private async *plainChunks(sha256: string): AsyncGenerator<Buffer> {
    const handle = await open(this.pathOf(sha256), 'r');
    try {
      const header = Buffer.alloc(HEADER_SIZE);
      const { bytesRead } = await handle.read(header, 0, HEADER_SIZE, 0);
      const encrypted = isEncryptedHead(header.subarray(0, bytesRead));
      const decipher = encrypted ? startDecryption(this.vault.masterKey(), sha256, header) : null;
      let position = encrypted ? HEADER_SIZE : 0;
      const buffer = Buffer.alloc(CHUNK);
      for (;;) {
        const got = await handle.read(buffer, 0, CHUNK, position);
        if (got.bytesRead === 0) break;
        position += got.bytesRead;
        const bytes = buffer.subarray(0, got.bytesRead);
        yield decipher ? decipher.update(bytes) : Buffer.from(bytes);
      }
      if (decipher) {
        let last: Buffer;
        try {
          last = decipher.final();
        } catch {
          throw damagedObject();
        }
        if (last.length > 0) yield last;
      }
    } finally {
      await handle.close();
    }
  }
}

async function isEncryptedFile(file: string): Promise<boolean> {
  const handle = await open(file, 'r');
  try {
    const head = Buffer.alloc(MAGIC.length);
    const { bytesRead } = await handle.read(head, 0, head.length, 0);
    return isEncryptedHead(head.subarray(0, bytesRead));
  } finally {
    await handle.close();
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
