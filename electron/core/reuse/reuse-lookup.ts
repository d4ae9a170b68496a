import type { ReusableDocument } from '../../../shared/api/contract';
import { AppFailure } from '../../../shared/api/errors';
import { parseCitizenId } from '../../../shared/domain/citizen-id';
import type { Db } from '../db/database';

/**
 * Where reusable documents come from. Today only this counter's database; the central store
 * plugs in behind the same interface once sync lands.
 */
export interface ReuseSource {
  documentsFor(citizenId: string): ReusableDocument[];
}

export class LocalReuseSource implements ReuseSource {
  constructor(private readonly db: Db) {}

  documentsFor(citizenId: string): ReusableDocument[] {
    const rows = this.db
      .prepare(
        `SELECT doc.id, doc.title, doc.dossier_id, d.code, d.procedure_code, doc.page_count, doc.created_at,
                (SELECT id FROM pages WHERE document_id = doc.id ORDER BY page_no LIMIT 1) AS first_page_id
         FROM documents doc LEFT JOIN dossiers d ON d.id = doc.dossier_id
         WHERE coalesce(d.citizen_id, doc.citizen_id) = ?
         ORDER BY doc.created_at DESC LIMIT 200`,
      )
      .all(citizenId) as {
      id: string;
      title: string;
      dossier_id: string | null;
      code: string | null;
      procedure_code: string | null;
      page_count: number;
      created_at: string;
      first_page_id: number | null;
    }[];
    return rows.map((row) => ({
      documentId: row.id,
      title: row.title,
      dossierId: row.dossier_id,
      dossierCode: row.code,
      procedureCode: row.procedure_code,
      pageCount: row.page_count,
      firstPageId: row.first_page_id,
      createdAt: row.created_at,
    }));
  }
}

export function lookupReusable(source: ReuseSource, rawCitizenId: string): ReusableDocument[] {
  const id = parseCitizenId(rawCitizenId);
  if (!id.ok) throw new AppFailure('VALIDATION', id.message, id.messageEn, 'citizenId');
  return source.documentsFor(id.id);
}
