import { mkdir, open, readFile, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { renamePatiently } from '../files/rename-patiently';

/**
 * The device credential the sync server issued at enrolment. It lives in the data folder in a
 * file only this OS user can read (0600, in a 0700 folder). In the desktop app the file holds it
 * sealed by Electron's safeStorage (OS keychain / DPAPI): the backend never imports electron, so
 * the shell hands it a `SecretSealer`; browser mode and the CLI use the plain 0600 file.
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

/** Seals secrets at rest with a key the OS keeps (Electron's safeStorage in the desktop app). */
export interface SecretSealer {
  readonly name: string;
  seal(plain: string): Promise<string>;
  open(sealed: string): Promise<string>;
}

const SealedFile = z.object({ sealedBy: z.string(), sealed: z.string() });

export function credentialFile(dataDir: string): string {
  return path.join(dataDir, 'sync', 'credential.json');
}

export async function readCredential(dataDir: string, sealer?: SecretSealer): Promise<SyncCredential | null> {
  const text = await readFile(credentialFile(dataDir), 'utf8').catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return null;
    throw error;
  });
  if (text === null) return null;
  let json: unknown = JSON.parse(text);
  const sealed = SealedFile.safeParse(json);
  if (sealed.success) {
    // A credential sealed by the desktop app cannot be opened without its keychain.
    if (!sealer || sealer.name !== sealed.data.sealedBy) return null;
    json = JSON.parse(await sealer.open(sealed.data.sealed));
  }
  const parsed = SyncCredential.safeParse(json);
  return parsed.success ? parsed.data : null;
}

/** Writes the credential atomically (temp file, fsync, rename), readable by this user only. */
export async function writeCredential(
  dataDir: string,
  credential: SyncCredential,
  sealer?: SecretSealer,
): Promise<void> {
  const body = sealer
    ? JSON.stringify({ sealedBy: sealer.name, sealed: await sealer.seal(JSON.stringify(credential)) })
    : JSON.stringify(credential, null, 2);
  const file = credentialFile(dataDir);
  await mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
  const tmp = `${file}.${process.pid}.tmp`;
  const handle = await open(tmp, 'w', 0o600);
  try {
    // The mode given to open is masked by the umask; set it outright.
    await handle.chmod(0o600);
    await handle.writeFile(body);
    await handle.sync();
  } finally {
    await handle.close();
  }
  await renamePatiently(tmp, file);
}

export async function removeCredential(dataDir: string): Promise<void> {
  await rm(credentialFile(dataDir), { force: true });
}

/** The file's permission bits (for checks and tests). */
export async function credentialMode(dataDir: string): Promise<number | null> {
  const info = await stat(credentialFile(dataDir)).catch(() => null);
  return info ? info.mode & 0o777 : null;
}
