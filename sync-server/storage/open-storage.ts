import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { PostgresDatabase } from '../sql/postgres-database';
import { SqliteDatabase } from '../sql/sqlite-database';
import { SqlSyncStorage, type SyncStorage } from './sync-storage';

export interface StorageOptions {
  /** The server's folder: the embedded SQLite database and, by default, the blob folder. */
  dataDir: string;
  /** `postgres://...` for PostgreSQL; absent for the embedded SQLite database in dataDir. */
  database?: string;
}

/** Opens (and creates or upgrades) the metadata store. */
export async function openSyncStorage(options: StorageOptions): Promise<SyncStorage> {
  let storage: SyncStorage;
  if (options.database) {
    if (!/^postgres(ql)?:\/\//.test(options.database)) {
      throw new Error('--database must be a postgres:// connection string');
    }
    const db = new PostgresDatabase(options.database);
    try {
      await db.ping();
    } catch (error) {
      await db.close();
      throw error;
    }
    storage = new SqlSyncStorage(db);
  } else {
    await mkdir(options.dataDir, { recursive: true });
    storage = new SqlSyncStorage(new SqliteDatabase(path.join(options.dataDir, 'sync-server.db')));
  }
  try {
    await storage.init();
  } catch (error) {
    await storage.close();
    throw error;
  }
  return storage;
}
