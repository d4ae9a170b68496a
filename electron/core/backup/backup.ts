import { copyFile, mkdir, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import Database from 'better-sqlite3';
import { renamePatiently } from '../files/rename-patiently';
import { AppFailure } from '../../../shared/api/errors';
import { BlobStore, hashFile } from '../files/blob-store';
import { KEYS_FILE, KeyVault, lockedFailure, restrictFile, type VaultUnlock } from '../files/key-vault';
import type { Db } from '../db/database';
import { SCHEMA_VERSION } from '../db/migrate';

const MANIFEST = 'sohoa-backup.json';
const DB_FILE = 'sohoa.db';

export interface BackupManifest {
  format: 1;
  createdAt: string;
  schemaVersion: number;
  database: { file: string; sha256: string; size: number };
  blobs: { sha256: string; size: number }[];
}

export interface BackupSummary {
  folder: string;
  blobs: number;
  bytes: number;
}

/**
 * Backs up a live data folder: SQLite's online backup (a consistent snapshot while the app keeps
 * working), then every stored file the snapshot refers to, each checked against its hash on the
 * way. The manifest is written last, so a folder without one is an unfinished backup.
 * Stored files stay encrypted in the backup: each is decrypted only to check its plaintext hash
 * (and so its GCM tag), then copied as it is, with the key file; restoring needs the same
 * passphrase (or, for a keychain-only folder, the same OS account).
 */
export async function backupTo(db: Db, store: BlobStore, folder: string): Promise<BackupSummary> {
  await mkdir(folder, { recursive: true });
  if ((await readdir(folder)).length > 0)
    throw new AppFailure(
      'CONFLICT',
      'Thư mục sao lưu phải trống để không ghi đè bản sao lưu khác.',
      'The backup folder must be empty, so no other backup is overwritten.',
    );
  const dbCopy = path.join(folder, DB_FILE);
  await db.backup(dbCopy);
  const snapshot = new Database(dbCopy, { readonly: true });
  let hashes: { sha256: string; size: number }[];
  try {
    hashes = snapshot
      // Files purged in processor mode are gone on purpose; their rows stay for the reports.
      .prepare('SELECT sha256, size FROM blobs WHERE purged_at IS NULL ORDER BY sha256')
      .all() as typeof hashes;
  } finally {
    snapshot.close();
  }
  await copyFile(store.vault.keysFile, path.join(folder, KEYS_FILE));
  await restrictFile(path.join(folder, KEYS_FILE), 0o600);
  const target = new BlobStore(path.join(folder, 'store'), store.vault);
  await target.init();
  let bytes = 0;
  for (const blob of hashes) {
    const source = store.pathOf(blob.sha256);
    if ((await store.plainHash(blob.sha256).catch(() => null)) !== blob.sha256)
      throw new AppFailure(
        'INTERNAL',
        'Một tệp trong kho lưu trữ bị hỏng (sai mã băm); sao lưu đã dừng.',
        'A stored file is damaged (hash mismatch); the backup stopped.',
      );
    const destination = target.pathOf(blob.sha256);
    await mkdir(path.dirname(destination), { recursive: true });
    await copyFile(source, destination);
    bytes += blob.size;
  }
  const manifest: BackupManifest = {
    format: 1,
    createdAt: new Date().toISOString(),
    schemaVersion: db.pragma('user_version', { simple: true }) as number,
    database: { file: DB_FILE, sha256: await hashFile(dbCopy), size: (await stat(dbCopy)).size },
    blobs: hashes,
  };
  await writeFile(path.join(folder, MANIFEST), JSON.stringify(manifest, null, 2));
  return { folder, blobs: hashes.length, bytes };
}

/**
 * Restores a backup into a data folder that holds no SoHoa data yet. Every file is verified by
 * hash before anything is put in place; the database goes in last, by rename. The backup's key
 * file opens with `unlock` (the data passphrase of the folder it came from); a wrong one is
 * refused before anything is written.
 */
export async function restoreFrom(folder: string, dataDir: string, unlock: VaultUnlock = {}): Promise<BackupSummary> {
  const manifestText = await readFile(path.join(folder, MANIFEST), 'utf8').catch(() => null);
  if (manifestText === null)
    throw new AppFailure(
      'VALIDATION',
      'Không phải thư mục sao lưu SoHoa hoàn chỉnh (thiếu tệp mô tả).',
      'Not a complete SoHoa backup (the manifest is missing).',
    );
  const manifest = JSON.parse(manifestText) as BackupManifest;
  if (manifest.format !== 1 || manifest.schemaVersion > SCHEMA_VERSION)
    throw new AppFailure(
      'CONFLICT',
      'Bản sao lưu do phiên bản SoHoa mới hơn tạo ra; hãy cập nhật ứng dụng trước khi khôi phục.',
      'The backup was made by a newer SoHoa; update the app before restoring.',
    );
  if (await stat(path.join(dataDir, DB_FILE)).catch(() => null))
    throw new AppFailure(
      'CONFLICT',
      'Thư mục dữ liệu đích đã có dữ liệu SoHoa; hãy khôi phục vào một thư mục mới.',
      'The target data folder already holds SoHoa data; restore into a new folder.',
    );
  if ((await readdir(path.join(dataDir, 'store', 'objects')).catch(() => [])).length > 0)
    throw new AppFailure(
      'CONFLICT',
      'Thư mục dữ liệu đích đã có tệp lưu trữ; hãy khôi phục vào một thư mục mới.',
      'The target data folder already holds stored files; restore into a new folder.',
    );
  const dbSource = path.join(folder, manifest.database.file);
  if ((await hashFile(dbSource).catch(() => null)) !== manifest.database.sha256) throw damaged();
  // A backup made before encryption has no key file: its files are plaintext and still restore.
  const hasKeys = (await stat(path.join(folder, KEYS_FILE)).catch(() => null)) !== null;
  const vault = await KeyVault.open(folder, { ...unlock, create: false });
  if (hasKeys && vault.state !== 'open') throw lockedFailure();
  await mkdir(dataDir, { recursive: true });
  await restrictFile(dataDir, 0o700);
  // Files are checked and copied into a staging store that becomes the real one only when all
  // passed: a damaged backup leaves the target folder as it was.
  const source = new BlobStore(path.join(folder, 'store'), vault);
  const staging = new BlobStore(path.join(dataDir, 'store.restoring'), vault);
  await rm(staging.root, { recursive: true, force: true });
  await staging.init();
  let bytes = 0;
  try {
    for (const blob of manifest.blobs) {
      const from = source.pathOf(blob.sha256);
      if ((await source.plainHash(blob.sha256).catch(() => null)) !== blob.sha256) throw damaged();
      const to = staging.pathOf(blob.sha256);
      await mkdir(path.dirname(to), { recursive: true });
      await copyFile(from, to);
      bytes += blob.size;
    }
  } catch (error) {
    await rm(staging.root, { recursive: true, force: true });
    throw error;
  }
  if (hasKeys) {
    const keysTmp = path.join(dataDir, `${KEYS_FILE}.restoring`);
    await copyFile(path.join(folder, KEYS_FILE), keysTmp);
    await restrictFile(keysTmp, 0o600);
    await renamePatiently(keysTmp, path.join(dataDir, KEYS_FILE));
  }
  await rm(path.join(dataDir, 'store'), { recursive: true, force: true });
  await renamePatiently(staging.root, path.join(dataDir, 'store'));
  const tmp = path.join(dataDir, `${DB_FILE}.restoring`);
  await copyFile(dbSource, tmp);
  await rm(path.join(dataDir, `${DB_FILE}-wal`), { force: true });
  await rm(path.join(dataDir, `${DB_FILE}-shm`), { force: true });
  await renamePatiently(tmp, path.join(dataDir, DB_FILE));
  await restrictFile(path.join(dataDir, DB_FILE), 0o600);
  return { folder: dataDir, blobs: manifest.blobs.length, bytes };
}

function damaged(): AppFailure {
  return new AppFailure(
    'VALIDATION',
    'Bản sao lưu bị hỏng (một tệp sai mã băm); không khôi phục gì cả.',
    'The backup is damaged (a file fails its hash check); nothing was restored.',
  );
}
