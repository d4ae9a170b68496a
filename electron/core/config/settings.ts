import type { Db } from '../db/database';

export type SettingKey =
  | 'unit.agencyCode'
  | 'unit.name'
  | 'unit.workstationNo'
  | 'ocr.reviewThreshold'
  | 'ocr.workers'
  | 'ocr.model'
  | 'ocr.languages'
  | 'processor.mode'
  | 'processor.contractRef';

export function getSetting(db: Db, key: SettingKey): string | null {
  const row = db.prepare('SELECT value FROM settings WHERE key = ?').get(key) as { value: string } | undefined;
  return row?.value ?? null;
}

export function setSetting(db: Db, key: SettingKey, value: string): void {
  db.prepare(
    'INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
  ).run(key, value);
}
