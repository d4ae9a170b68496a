import { mkdir, open, readFile, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';

/**
 * The device credential the sync server issued at enrolment. It lives in the data folder in a
 * file only this OS user can read (0600, in a 0700 folder). The desktop app should move it into
 * Electron's safeStorage (OS keychain / DPAPI) once accounts land (issue 8); the backend never
 * imports electron, so that wrapping belongs to the shell.
 */
export const SyncCredential = z.object({
  server: z.url(),
  deviceId: z.string(),
  secret: z.string(),
  unit: z.string(),
  province: z.string(),
  scope: z.enum(['unit', 'province']),
  enrolledAt: z.string(),
  /** PEM of a private certificate authority the server's TLS certificate chains to. */
  ca: z.string().nullable().default(null),
});
export type SyncCredential = z.infer<typeof SyncCredential>;

export function credentialFile(dataDir: string): string {
  return path.join(dataDir, 'sync', 'credential.json');
}

export async function readCredential(dataDir: string): Promise<SyncCredential | null> {
  const text = await readFile(credentialFile(dataDir), 'utf8').catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return null;
    throw error;
  });
  if (text === null) return null;
  const parsed = SyncCredential.safeParse(JSON.parse(text));
  return parsed.success ? parsed.data : null;
}

/** Writes the credential atomically (temp file, fsync, rename), readable by this user only. */
export async function writeCredential(dataDir: string, credential: SyncCredential): Promise<void> {
  const file = credentialFile(dataDir);
  await mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
  const tmp = `${file}.${process.pid}.tmp`;
  const handle = await open(tmp, 'w', 0o600);
  try {
    // The mode given to open is masked by the umask; set it outright.
    await handle.chmod(0o600);
    await handle.writeFile(JSON.stringify(credential, null, 2));
    await handle.sync();
  } finally {
    await handle.close();
  }
  await rename(tmp, file);
}

export async function removeCredential(dataDir: string): Promise<void> {
  await rm(credentialFile(dataDir), { force: true });
}

/** The file's permission bits (for checks and tests). */
export async function credentialMode(dataDir: string): Promise<number | null> {
  const info = await stat(credentialFile(dataDir)).catch(() => null);
  return info ? info.mode & 0o777 : null;
}
