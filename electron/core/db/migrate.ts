import type Database from 'better-sqlite3';
import { AppFailure } from '../../../shared/api/errors';
import { initial } from './migrations/001-initial';
import { workflow } from './migrations/002-workflow';
import { capture } from './migrations/003-capture';
import { sync } from './migrations/004-sync';
import { pdfOutput } from './migrations/005-pdf-output';
import { pageAnalysis } from './migrations/006-page-analysis';
import { accounts } from './migrations/007-accounts';
import { reportsSearch } from './migrations/008-reports-search';
import { pageColour } from './migrations/009-page-colour';
import { privacy } from './migrations/010-privacy';
import { pageEditing } from './migrations/011-page-editing';
import { batchSplit } from './migrations/012-batch-split';
import { ocrStatus } from './migrations/013-ocr-status';

export interface Migration {
  version: number;
  name: string;
  up: string;
  /**
   * Rebuilds tables other tables refer to: runs with foreign keys off (only possible outside a
   * transaction) and checks every foreign key before committing.
   */
  foreignKeysOff?: boolean;
}

/** Every migration in order; `PRAGMA user_version` records the last one applied. */
export const MIGRATIONS: readonly Migration[] = [
  initial,
  workflow,
  capture,
  sync,
  pdfOutput,
  pageAnalysis,
  accounts,
  reportsSearch,
  pageColour,
  privacy,
  pageEditing,
  batchSplit,
  ocrStatus,
];
// The last version, not the count: migrations land from several branches, numbers reserved ahead.
export const SCHEMA_VERSION = MIGRATIONS.at(-1)?.version ?? 0;

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
    const keysWereOn = migration.foreignKeysOff === true && db.pragma('foreign_keys', { simple: true }) === 1;
    if (keysWereOn) db.pragma('foreign_keys = OFF');
    try {
      db.transaction(() => {
        db.exec(migration.up);
        if (migration.foreignKeysOff && (db.pragma('foreign_key_check') as unknown[]).length > 0) {
          throw new Error(`migration ${migration.version} would break foreign keys`);
        }
        db.pragma(`user_version = ${migration.version}`);
      })();
    } finally {
      if (keysWereOn) db.pragma('foreign_keys = ON');
    }
  }
  return db.pragma('user_version', { simple: true }) as number;
}
