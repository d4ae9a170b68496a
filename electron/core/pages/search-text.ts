import { foldText } from '../../../shared/domain/fold';
import type { Db } from '../db/database';

/**
 * What a page is found by: its OCR text, then a metadata line (citizen's ID number and name,
 * dossier and procedure codes, confirmed or proposed tag values). The index holds the folded copy;
 * snippets are cut from this original text.
 */
export function searchableText(db: Db, pageId: number): string {
  const row = db
    .prepare(
      `SELECT pg.ocr_text, doc.citizen_id AS doc_citizen, d.citizen_id, d.citizen_name, d.code, d.procedure_code
       FROM pages pg JOIN documents doc ON doc.id = pg.document_id LEFT JOIN dossiers d ON d.id = doc.dossier_id
       WHERE pg.id = ?`,
    )
    .get(pageId) as
    | {
        ocr_text: string;
        doc_citizen: string | null;
        citizen_id: string | null;
        citizen_name: string | null;
        code: string | null;
        procedure_code: string | null;
      }
    | undefined;
  if (!row) return '';
  const tags = (
    db.prepare(`SELECT value FROM tags WHERE page_id = ? AND status != 'rejected' ORDER BY id`).all(pageId) as {
      value: string;
    }[]
  ).map((tag) => tag.value);
  const meta = [row.code, row.citizen_id ?? row.doc_citizen, row.citizen_name, row.procedure_code, ...tags].filter(
    (part): part is string => Boolean(part),
  );
  return meta.length > 0 ? `${row.ocr_text}\n${[...new Set(meta)].join(' · ')}` : row.ocr_text;
}

/** Recomputes the folded search text of a page; the FTS triggers update the index. */
export function refreshSearchText(db: Db, pageId: number): void {
  db.prepare('UPDATE pages SET search_text = ? WHERE id = ?').run(foldText(searchableText(db, pageId)), pageId);
}
