import Database from 'better-sqlite3';
import { migrate } from './migrate';

export type Db = Database.Database;

/** Opens (creating if needed) the SoHoa database with the pragmas every connection needs. */
export function openDatabase(file: string): Db {
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  // NORMAL is durable across application crashes in WAL mode; only an OS crash may lose the last
  // transactions, never corrupt the file.
  db.pragma('synchronous = NORMAL');
  db.pragma('foreign_keys = ON');
  // Deleted rows (a citizen's data purged or erased on request) are overwritten, not left readable
  // in free pages of the file (README, "Encryption at rest").
  db.pragma('secure_delete = ON');
  // Several processes (the app, a CLI batch) may share the folder: wait instead of failing.
  db.pragma('busy_timeout = 10000');
  try {
    migrate(db);
  } catch (error) {
    db.close();
    throw error;
  }
  return db;
}

export function nowIso(): string {
  return new Date().toISOString();
}
