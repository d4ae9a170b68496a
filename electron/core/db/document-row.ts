/**
 * A row of the `documents` table as better-sqlite3 returns it (migrations 001, 002 and 010). Modules
 * that read documents pick the columns they select: `Pick<DocumentsTableRow, 'id' | 'title'>`.
 */
export interface DocumentsTableRow {
  id: string;
  dossier_id: string | null;
  citizen_id: string | null;
  title: string;
  source_name: string;
  source_sha256: string;
  page_count: number;
  created_at: string;
  doc_type: string | null;
  /** Last valid day, YYYY-MM-DD; null: no expiry. */
  valid_until: string | null;
  /** When the scans were purged (processor mode); null while kept. */
  purged_at: string | null;
}
