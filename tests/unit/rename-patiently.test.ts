import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { renamePatiently } from '../../electron/core/files/rename-patiently';

function failure(code: string): NodeJS.ErrnoException {
  return Object.assign(new Error(`${code}: rename refused`), { code });
}

/** A rename that is refused with each listed code in turn, then goes through; counts its calls. */
function refusedThen(...codes: string[]): { rename: (from: string, to: string) => Promise<void>; calls: () => number } {
  let calls = 0;
  return {
    rename: (): Promise<void> => {
      const code = codes[calls++];
      return code ? Promise.reject(failure(code)) : Promise.resolve();
    },
    calls: () => calls,
  };
}

describe('renamePatiently', () => {
  it('renames a file on this system', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'sohoa-rename-'));
    try {
      await writeFile(path.join(dir, 'tmp'), 'trang 1');
      await renamePatiently(path.join(dir, 'tmp'), path.join(dir, 'page'));
      expect(await readFile(path.join(dir, 'page'), 'utf8')).toBe('trang 1');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('on Windows asks again while another program holds the file, until it lets go', async () => {
    const held = refusedThen('EBUSY', 'EPERM', 'EACCES');
    await renamePatiently('a', 'b', { platform: 'win32', rename: held.rename });
    expect(held.calls()).toBe(4);
  });

  it('on Windows gives up once the holder keeps the file, with the system error', async () => {
    const held = refusedThen(...Array<string>(1000).fill('EPERM'));
    await expect(renamePatiently('a', 'b', { platform: 'win32', rename: held.rename, giveUpMs: 60 })).rejects.toThrow(
      'EPERM',
    );
    // Asked again at least once (the first wait, 10 ms, is well within 60), and not for long.
    expect(held.calls()).toBeGreaterThan(1);
    expect(held.calls()).toBeLessThan(10);
  });

  it.each([
    ['win32', 'ENOENT'],
    ['linux', 'EPERM'],
    ['darwin', 'EBUSY'],
  ] as const)('on %s a refusal with %s stands at once', async (platform, code) => {
    const refused = refusedThen(code);
    await expect(renamePatiently('a', 'b', { platform, rename: refused.rename })).rejects.toThrow(code);
    expect(refused.calls()).toBe(1);
  });
});
