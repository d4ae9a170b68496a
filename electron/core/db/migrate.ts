import type Database from 'better-sqlite3';
import { AppFailure } from '../../../shared/api/errors';
import { initial } from './migrations/001-initial';

export interface Migration {
  version: number;
  name: string;
  up: string;
}

/** Every migration in order; `PRAGMA user_version` records the last one applied. */
export const MIGRATIONS: readonly Migration[] = [initial];
export const SCHEMA_VERSION = MIGRATIONS.length;

/**
 * Brings the database up to `target` (default: the newest), one transaction per migration, and
 * refuses a database written by a newer app (opening it would corrupt what that app wrote).
 */
export function migrate(db: Database.Database, target = SCHEMA_VERSION): number {
  const current = db.pragma('user_version', { simple: true }) as number;
  if (current > SCHEMA_VERSION) {
    throw new AppFailure(
      'CONFLICT',
      `Dữ liệu được tạo bởi phiên bản SoHoa mới hơn (lược đồ ${current} > ${SCHEMA_VERSION}). Hãy cập nhật ứng dụng.`,
      `The data folder was written by a newer SoHoa (schema ${current} > ${SCHEMA_VERSION}). Update the app.`,
    );
  }
  for (const migration of MIGRATIONS) {
    if (migration.version <= current || migration.version > target) continue;
    db.transaction(() => {
      db.exec(migration.up);
      db.pragma(`user_version = ${migration.version}`);
    })();
  }
  return db.pragma('user_version', { simple: true }) as number;
}
