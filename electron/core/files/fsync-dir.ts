import { open } from 'node:fs/promises';

/**
 * fsync of a folder, so a rename or a new file in it survives a power cut. Windows cannot open a
 * folder for fsync: skipped there.
 */
export async function fsyncDir(dir: string): Promise<void> {
  if (process.platform === 'win32') return;
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
