import type { Tag, TagKind } from '../../../shared/api/contract';
import { AppFailure } from '../../../shared/api/errors';
import { parseCitizenId } from '../../../shared/domain/citizen-id';
import { isProcedureCode, parseDossierCode } from '../../../shared/domain/codes';
import { extractTags } from '../../../shared/domain/tags';
import type { Db } from '../db/database';
import { refreshSearchText } from '../pages/search-text';

/** Proposes tags found in a page's OCR text; the clerk confirms or corrects them. */
export function proposeTags(db: Db, pageId: number, text: string): void {
  const found = extractTags(text);
  const insert = db.prepare(
    `INSERT INTO tags (page_id, kind, value, status) VALUES (?, ?, ?, 'proposed') ON CONFLICT DO NOTHING`,
  );
  const byKind: [TagKind, string[]][] = [
    ['citizenId', found.citizenIds],
    ['procedureCode', found.procedureCodes],
    ['dossierCode', found.dossierCodes],
  ];
  for (const [kind, values] of byKind) for (const value of values) insert.run(pageId, kind, value);
}

interface TagRow {
  id: number;
  page_id: number;
  kind: TagKind;
  value: string;
  status: Tag['status'];
}

function toTag(row: TagRow): Tag {
  return { id: row.id, pageId: row.page_id, kind: row.kind, value: row.value, status: row.status };
}

export function listTags(db: Db, pageId: number): Tag[] {
  return (db.prepare('SELECT * FROM tags WHERE page_id = ? ORDER BY kind, id').all(pageId) as TagRow[]).map(toTag);
}

/** Checks a corrected tag value the same way the OCR proposal was checked. */
function normalizeTagValue(kind: TagKind, value: string): string {
  if (kind === 'citizenId') {
    const id = parseCitizenId(value);
    if (!id.ok) throw new AppFailure('VALIDATION', id.message, id.messageEn, 'value');
    return id.id;
  }
  const trimmed = value.trim();
  if (kind === 'procedureCode' && !isProcedureCode(trimmed))
    throw new AppFailure(
      'VALIDATION',
      'Mã thủ tục phải có dạng d.dddddd, ví dụ 1.001193.',
      'A procedure code looks like 1.001193.',
      'value',
    );
  if (kind === 'dossierCode' && !parseDossierCode(trimmed))
    throw new AppFailure(
      'VALIDATION',
      'Mã hồ sơ không đúng mẫu (ví dụ 000.00.01.H26-231201-0001).',
      'The dossier code does not match the pattern (e.g. 000.00.01.H26-231201-0001).',
      'value',
    );
  return trimmed;
}

export function updateTag(db: Db, input: { id: number; status: 'confirmed' | 'rejected'; value?: string }): Tag {
  return db.transaction(() => {
    const row = db.prepare('SELECT * FROM tags WHERE id = ?').get(input.id) as TagRow | undefined;
    if (!row) throw new AppFailure('NOT_FOUND', 'Không tìm thấy thẻ gắn.', 'Tag not found.');
    const value = input.value === undefined ? row.value : normalizeTagValue(row.kind, input.value);
    const clash = db
      .prepare('SELECT id FROM tags WHERE page_id = ? AND kind = ? AND value = ? AND id != ?')
      .get(row.page_id, row.kind, value, row.id) as { id: number } | undefined;
    // A correction to a value already proposed on the page merges into that tag.
    if (clash) db.prepare('DELETE FROM tags WHERE id = ?').run(clash.id);
    db.prepare('UPDATE tags SET value = ?, status = ? WHERE id = ?').run(value, input.status, row.id);
    refreshSearchText(db, row.page_id);
    return toTag(db.prepare('SELECT * FROM tags WHERE id = ?').get(row.id) as TagRow);
  })();
}
