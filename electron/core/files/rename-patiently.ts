import { rename } from 'node:fs/promises';

/**
 * What Windows answers a rename while another program holds the file (or a file in the folder)
 * open without letting others move it: an antivirus scanning a file the moment it is written, a
 * search indexer, a backup or sync client. The hold lasts milliseconds to seconds.
 */
const HELD_OPEN = new Set(['EPERM', 'EACCES', 'EBUSY']);
/** First wait, doubled after each refusal up to MAX_WAIT_MS. */
const FIRST_WAIT_MS = 10;
const MAX_WAIT_MS = 500;
/**
 * How long to keep asking before the error stands. npm's graceful-fs asks for up to a minute; a
 * clerk's import waits on this, and a file still held after 10 s is held for good.
 */
const GIVE_UP_MS = 10_000;

export interface RenameOptions {
  /** Tests: the system whose rules apply, and the rename they run under them. */
  platform?: NodeJS.Platform;
  rename?: (from: string, to: string) => Promise<void>;
  giveUpMs?: number;
}

/**
 * Renames `from` to `to` (the last step of every write that must be whole: a stored scan, the key
 * file, a restored backup). On Windows a refusal because the file is held open is asked again
 * until the holder lets go: without this, a page whose scan Windows Defender was reading failed
 * to import. Other systems let a rename through whoever has the file open: their errors stand.
 */
export async function renamePatiently(from: string, to: string, options: RenameOptions = {}): Promise<void> {
  const move = options.rename ?? rename;
  if ((options.platform ?? process.platform) !== 'win32') return move(from, to);
  const giveUpAt = Date.now() + (options.giveUpMs ?? GIVE_UP_MS);
  for (let wait = FIRST_WAIT_MS; ; wait = Math.min(wait * 2, MAX_WAIT_MS)) {
    try {
      return await move(from, to);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? '';
      if (!HELD_OPEN.has(code) || Date.now() + wait > giveUpAt) throw error;
      await new Promise((resolve) => setTimeout(resolve, wait));
    }
  }
}
