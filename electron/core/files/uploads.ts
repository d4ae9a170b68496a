import { randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { AppFailure } from '../../../shared/api/errors';

/** One scanned file; large enough for a 300-page scan at 300 dpi. */
export const MAX_UPLOAD_BYTES = 2 * 1024 ** 3;
const TOKEN = /^[a-f0-9]{32}$/;

/**
 * Files handed to the backend by a window (browser upload, desktop drop or dialog) wait here under
 * an opaque token until `pages.import` takes them. The renderer never names a path on disk.
 */
export class UploadArea {
  constructor(readonly dir: string) {}

  async init(): Promise<void> {
    await mkdir(this.dir, { recursive: true });
  }

  async receive(fileName: string, body: Readable | Buffer): Promise<string> {
    const token = randomBytes(16).toString('hex');
    const file = path.join(this.dir, token);
    await writeFile(`${file}.name`, safeDisplayName(fileName), 'utf8');
    if (Buffer.isBuffer(body)) {
      if (body.length > MAX_UPLOAD_BYTES) throw tooLarge();
      await writeFile(file, body);
    } else {
      let size = 0;
      const limit = async function* (source: Readable) {
        for await (const chunk of source) {
          size += (chunk as Buffer).length;
          if (size > MAX_UPLOAD_BYTES) throw tooLarge();
          yield chunk as Buffer;
        }
      };
      try {
        await pipeline(body, limit, createWriteStream(file));
      } catch (error) {
        await this.discard(token);
        throw error;
      }
    }
    return token;
  }

  async resolve(token: string): Promise<{ file: string; name: string }> {
    if (!TOKEN.test(token)) throw unknownToken();
    const file = path.join(this.dir, token);
    const name = await readFile(`${file}.name`, 'utf8').catch(() => null);
    if (name === null || !(await stat(file).catch(() => null))) throw unknownToken();
    return { file, name };
  }

  async discard(token: string): Promise<void> {
    if (!TOKEN.test(token)) return;
    const file = path.join(this.dir, token);
    await Promise.all([rm(file, { force: true }), rm(`${file}.name`, { force: true })]);
  }

  /** Drops uploads nobody imported (a window closed mid-way). */
  async sweep(olderThanMs: number): Promise<void> {
    const cutoff = Date.now() - olderThanMs;
    for (const name of await readdir(this.dir).catch(() => [])) {
      const info = await stat(path.join(this.dir, name)).catch(() => null);
      if (info && info.mtimeMs < cutoff) await rm(path.join(this.dir, name), { force: true });
    }
  }
}

/** Keeps only the last path segment and printable characters: names are shown, never opened. */
export function safeDisplayName(name: string): string {
  const base = name.split(/[\\/]/).pop() ?? '';
  const clean = [...base.normalize('NFC')]
    .filter((char) => char.charCodeAt(0) > 0x1f && char !== '\u007f')
    .join('')
    .trim();
  return clean.slice(0, 255) || 'tep-khong-ten';
}

function tooLarge(): AppFailure {
  return new AppFailure('VALIDATION', 'Tệp quá lớn (tối đa 2 GB).', 'The file is too large (2 GB at most).');
}

function unknownToken(): AppFailure {
  return new AppFailure(
    'NOT_FOUND',
    'Tệp tải lên không còn (đã nhập hoặc đã hết hạn); hãy chọn lại tệp.',
    'The uploaded file is gone (already imported or expired); pick it again.',
  );
}
