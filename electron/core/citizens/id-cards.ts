/**
 * Chip ID card (CCCD) QR codes found on pages, and filling a dossier's citizen from one.
 *
 * The QR text is stored as decoded and parsed again when read, so the clerk's warnings (birth
 * year against the ID's century digit, dates in the future ...) follow today's date and the
 * parser's current rules. Its content is personal data: it never reaches a log or an error message.
 */
import type { CitizenCard, IdCardQr } from '../../../shared/api/contract';
import { AppFailure } from '../../../shared/api/errors';
import { parseCccdQr, type CccdQrData } from '../../../shared/domain/cccd-qr';
import { foldText } from '../../../shared/domain/fold';
import type { Db } from '../db/database';
import { nowIso } from '../db/database';
import { dossierSyncRecord } from '../dossiers/sync-record';
import type { FoundQr } from '../imaging/qr-reader';
import { refreshSearchText } from '../pages/search-text';
import { writeOutbox } from '../sync/outbox';

/** The QR codes of a page that are CCCD cards, in page order; other QR codes are ignored. */
export function idCardCodes(found: readonly FoundQr[]): FoundQr[] {
  return found.filter((code) => parseCccdQr(code.text).ok);
}

/** Replaces what is stored for a page with the cards found on it this time. */
export function storePageIdCards(db: Db, pageId: number, cards: readonly FoundQr[]): void {
  db.prepare('DELETE FROM page_id_cards WHERE page_id = ?').run(pageId);
  const insert = db.prepare(
    'INSERT INTO page_id_cards (page_id, ordinal, payload, decoder, found_at) VALUES (?, ?, ?, ?, ?)',
  );
  const now = nowIso();
  cards.forEach((card, ordinal) => insert.run(pageId, ordinal, card.text, card.decoder, now));
}

export function pageHasIdCard(db: Db, pageId: number): boolean {
  return db.prepare('SELECT 1 FROM page_id_cards WHERE page_id = ? LIMIT 1').get(pageId) !== undefined;
}

/** The ID cards read from a page, parsed, top to bottom. */
export function listPageIdCards(db: Db, pageId: number, now = new Date()): IdCardQr[] {
  return pageCards(db, pageId, now).map(({ id, oldId, name, dob, sex, address, issued, warnings, warningsEn }) => ({
    id,
    oldId,
    name,
    dob,
    sex,
    address,
    issued,
    warnings,
    warningsEn,
  }));
}

function pageCards(db: Db, pageId: number, now: Date): CccdQrData[] {
  const rows = db.prepare('SELECT payload FROM page_id_cards WHERE page_id = ? ORDER BY ordinal').all(pageId) as {
    payload: string;
  }[];
  return rows.flatMap((row) => {
    const parsed = parseCccdQr(row.payload, { now });
    return parsed.ok ? [parsed] : [];
  });
}

interface DossierCitizenRow {
  citizen_id: string;
  citizen_name: string;
}

/**
 * Fills the dossier's citizen from the `index`th ID card read on one of its pages: the dossier's
 * name (and ID number, if the clerk says so when they differ), and the card's data (old ID, date
 * of birth, sex, raw address, issue date) for that citizen. One transaction, with outbox rows.
 */
export function applyIdCardToDossier(
  db: Db,
  input: { dossierId: string; pageId: number; index: number; replaceCitizenId: boolean },
  now = new Date(),
): {
  dossierId: string;
  citizenId: string;
  citizenName: string;
  card: CitizenCard;
  warnings: string[];
  warningsEn: string[];
} {
  return db.transaction(() => {
    const dossier = db.prepare('SELECT citizen_id, citizen_name FROM dossiers WHERE id = ?').get(input.dossierId) as
      DossierCitizenRow | undefined;
    if (!dossier) throw new AppFailure('NOT_FOUND', 'Không tìm thấy hồ sơ.', 'Dossier not found.');
    const onPage = db
      .prepare(`SELECT doc.dossier_id FROM pages pg JOIN documents doc ON doc.id = pg.document_id WHERE pg.id = ?`)
      .get(input.pageId) as { dossier_id: string | null } | undefined;
    if (!onPage) throw new AppFailure('NOT_FOUND', 'Không tìm thấy trang.', 'Page not found.');
    if (onPage.dossier_id !== input.dossierId) {
      throw new AppFailure(
        'VALIDATION',
        'Trang này không thuộc hồ sơ đã chọn.',
        'This page does not belong to the chosen dossier.',
        'pageId',
      );
    }
    const card = pageCards(db, input.pageId, now)[input.index];
    if (!card) {
      throw new AppFailure(
        'NOT_FOUND',
        'Không có mã QR thẻ căn cước nào đọc được trên trang này.',
        'No ID card QR code was read on this page.',
        'index',
      );
    }
    const warnings = [...card.warnings];
    const warningsEn = [...card.warningsEn];
    const idChanges = card.id !== dossier.citizen_id;
    if (idChanges && !input.replaceCitizenId) {
      throw new AppFailure(
        'CONFLICT',
        'Số định danh trên thẻ khác với số định danh của hồ sơ. Hãy đối chiếu thẻ; nếu hồ sơ ghi sai, chọn thay số định danh của hồ sơ.',
        'The ID number on the card differs from the dossier’s. Check the card; if the dossier’s is wrong, choose to replace it.',
        'replaceCitizenId',
      );
    }
    if (dossier.citizen_name.trim() !== '' && foldText(dossier.citizen_name.trim()) !== foldText(card.name)) {
      warnings.push('Họ tên trong hồ sơ đã được thay bằng họ tên trên thẻ.');
      warningsEn.push('The name in the dossier was replaced by the name on the card.');
    }
    const at = nowIso();
    db.prepare('UPDATE dossiers SET citizen_id = ?, citizen_name = ?, updated_at = ? WHERE id = ?').run(
      card.id,
      card.name,
      at,
      input.dossierId,
    );
    if (idChanges) {
      db.prepare('UPDATE documents SET citizen_id = ? WHERE dossier_id = ?').run(card.id, input.dossierId);
    }
    // The name (and ID) are part of what search finds the dossier's pages by.
    const pages = db
      .prepare('SELECT pg.id FROM pages pg JOIN documents doc ON doc.id = pg.document_id WHERE doc.dossier_id = ?')
      .all(input.dossierId) as { id: number }[];
    for (const page of pages) refreshSearchText(db, page.id);

    const stored: CitizenCard = {
      citizenId: card.id,
      oldId: card.oldId,
      name: card.name,
      dob: card.dob,
      sex: card.sex,
      address: card.address,
      issued: card.issued,
    };
    db.prepare(
      `INSERT INTO citizen_cards (citizen_id, old_id, name, dob, sex, address, issued, source_page_id, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (citizen_id) DO UPDATE SET old_id = excluded.old_id, name = excluded.name, dob = excluded.dob,
         sex = excluded.sex, address = excluded.address, issued = excluded.issued,
         source_page_id = excluded.source_page_id, updated_at = excluded.updated_at`,
    ).run(
      stored.citizenId,
      stored.oldId,
      stored.name,
      stored.dob,
      stored.sex,
      stored.address,
      stored.issued,
      input.pageId,
      at,
    );
    writeOutbox(db, 'citizen', stored.citizenId, 'card', stored);
    writeOutbox(db, 'dossier', input.dossierId, 'update', dossierSyncRecord(db, input.dossierId));
    return {
      dossierId: input.dossierId,
      citizenId: card.id,
      citizenName: card.name,
      card: stored,
      warnings,
      warningsEn,
    };
  })();
}

/** What an ID card said about a citizen, if a clerk applied one. */
export function getCitizenCard(db: Db, citizenId: string): CitizenCard | null {
  const row = db.prepare('SELECT * FROM citizen_cards WHERE citizen_id = ?').get(citizenId) as
    | {
        citizen_id: string;
        old_id: string | null;
        name: string;
        dob: string;
        sex: CitizenCard['sex'];
        address: string;
        issued: string;
      }
    | undefined;
  if (!row) return null;
  return {
    citizenId: row.citizen_id,
    oldId: row.old_id,
    name: row.name,
    dob: row.dob,
    sex: row.sex,
    address: row.address,
    issued: row.issued,
  };
}
