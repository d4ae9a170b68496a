import { AppFailure } from '../../../shared/api/errors';
import { formatDossierCode } from '../../../shared/domain/codes';
import { vietnamIsoDate } from '../../../shared/domain/working-days';
import { readUnitSettings } from '../config/unit-settings';
import type { Db } from '../db/database';

/**
 * Dossier codes `AGENCY-YYMMDD-XXXX`, unique across the workstations of one unit without any
 * connection, by RESERVED BLOCKS: the day's sequence XXXX is split into ten blocks of a thousand
 * and the thousands digit is the workstation's number (0-9, set once by the administrator):
 * workstation 0 counts 0001-0999, workstation 1 counts 1000-1999, ... workstation 9 9000-9999.
 * Two workstations with different numbers can never hand out the same code, whatever the
 * network does, and a code is final the moment it is made.
 *
 * Why not provisional codes replaced at sync: the code is printed on the receipt (barcode and QR
 * for status lookup) and handed to the citizen at the counter; a code rewritten later would make
 * that receipt point nowhere, and a postal or offline counter may not sync for days.
 * The price: at most ten workstations per agency code, about a thousand dossiers per workstation
 * per day, and numbers that are not consecutive across the unit (0001, 1001, 0002 ...).
 */
export const BLOCK_SIZE = 1000;

export function sequenceBlock(workstationNo: number): { first: number; last: number } {
  return { first: Math.max(1, workstationNo * BLOCK_SIZE), last: workstationNo * BLOCK_SIZE + BLOCK_SIZE - 1 };
}

/**
 * The next code of this workstation for the day of `at` in Vietnam. Call it inside the
 * transaction that inserts the dossier, so a number is never used twice or lost.
 */
export function nextDossierCode(db: Db, at: Date): { code: string; workstationNo: number } {
  const unit = readUnitSettings(db);
  const day = vietnamIsoDate(at);
  const [year, month, date] = day.split('-').map(Number) as [number, number, number];
  // formatDossierCode reads the local calendar fields: build the Vietnam day in local time.
  const localDay = new Date(year, month - 1, date);
  const block = sequenceBlock(unit.workstationNo);
  const counter = db
    .prepare('SELECT last FROM dossier_sequences WHERE agency = ? AND day = ? AND workstation_no = ?')
    .get(unit.agencyCode, day, unit.workstationNo) as { last: number } | undefined;
  const taken = db.prepare('SELECT 1 FROM dossiers WHERE code = ?');
  let next = Math.max(block.first, (counter?.last ?? 0) + 1);
  // A number may already be used if the workstation's number was changed during the day.
  while (next <= block.last && taken.get(formatDossierCode(unit.agencyCode, localDay, next))) next++;
  if (next > block.last) {
    throw new AppFailure(
      'CONFLICT',
      `Máy trạm số ${unit.workstationNo} đã dùng hết dải số hồ sơ của ngày hôm nay. Hãy tiếp nhận trên máy trạm khác.`,
      `Workstation ${unit.workstationNo} has used up its block of dossier numbers for today. Receive on another workstation.`,
    );
  }
  db.prepare(
    `INSERT INTO dossier_sequences (agency, day, workstation_no, last) VALUES (?, ?, ?, ?)
     ON CONFLICT (agency, day, workstation_no) DO UPDATE SET last = excluded.last`,
  ).run(unit.agencyCode, day, unit.workstationNo, next);
  return { code: formatDossierCode(unit.agencyCode, localDay, next), workstationNo: unit.workstationNo };
}
