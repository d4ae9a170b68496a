import type { Migration } from '../migrate';

/**
 * Reports and search at the size of a province-year (issue 7: 200,000 dossiers, 1,000,000 pages).
 *
 * 1. What the 766 indicators count, kept on each dossier row so a province-year (200,000 dossiers)
 * is one scan of `dossiers` with GROUP BY instead of a join to every component (issue 7).
 *
 * The columns are derived, never written by the app: SQLite triggers recompute them from the
 * tables they come from whenever one of those changes (components, the status history, the
 * catalog's result_on_paper, the dossier's own procedure). Recomputing from the source rows, not
 * adding deltas, keeps them equal to the definitional query even after an edit out of order.
 *
 * - fact_counted: components that count (required, or optional with no "not submitted" reason)
 * - fact_without_file: counted components not digitized
 * - fact_reused / fact_national: components flagged reused / taken from the national store
 * - fact_result_on_paper: the procedure's result is paper (1 when the catalog row is missing)
 * - received_by: who received it (the first `received` row of the status history)
 * - fact_flags: what the dossier counts for, from the above and `result_document_id`: 1 digitized
 *   (4.2), 2 reused (4.3), 4 result digitized (4.1), 8 linked to the citizen's store (4.4)
 *
 * One covering index (reception time, flags, the grouping columns) holds everything a report
 * reads, so a year is a scan of that index, not of the dossiers' full rows.
 */
const RECOUNT_COMPONENTS = (dossierId: string) => `
  UPDATE dossiers SET (fact_counted, fact_without_file, fact_reused, fact_national) = (
    SELECT count(*) FILTER (WHERE c.required = 1 OR c.missing_reason IS NULL),
           count(*) FILTER (WHERE (c.required = 1 OR c.missing_reason IS NULL) AND c.digitized = 0),
           count(*) FILTER (WHERE c.reused = 1),
           count(*) FILTER (WHERE c.from_national_store = 1)
    FROM dossier_components c WHERE c.dossier_id = ${dossierId})
  WHERE id = ${dossierId};`;

const RECEIVED_BY = (dossierId: string) => `
  UPDATE dossiers SET received_by = (
    SELECT h.actor FROM dossier_status_history h
    WHERE h.dossier_id = ${dossierId} AND h.to_status = 'received' ORDER BY h.id LIMIT 1)
  WHERE id = ${dossierId};`;

const RESULT_ON_PAPER = `coalesce((SELECT p.result_on_paper FROM catalog_procedures p
    WHERE p.version_id = dossiers.catalog_version_id AND p.code = dossiers.procedure_code), 1)`;

/** The indicator flags of a dossier row, as indicators.ts reads them (factsOf's rules). */
// Each bit parenthesized: SQLite gives | and << the same precedence.
const FLAGS = (row: string) => `(
    (${row}.fact_counted > 0 AND ${row}.fact_without_file = 0
     AND (${row}.fact_result_on_paper = 0 OR ${row}.result_document_id IS NOT NULL))
    | ((${row}.fact_reused > 0) << 1)
    | ((${row}.fact_result_on_paper = 1 AND ${row}.result_document_id IS NOT NULL) << 2)
    | ((${row}.fact_national > 0) << 3))`;

export const reportsSearch: Migration = {
  version: 8,
  name: 'reports-search',
  up: `
    ALTER TABLE dossiers ADD COLUMN fact_counted INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE dossiers ADD COLUMN fact_without_file INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE dossiers ADD COLUMN fact_reused INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE dossiers ADD COLUMN fact_national INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE dossiers ADD COLUMN fact_result_on_paper INTEGER NOT NULL DEFAULT 1;
    ALTER TABLE dossiers ADD COLUMN received_by TEXT;
    ALTER TABLE dossiers ADD COLUMN fact_flags INTEGER NOT NULL DEFAULT 0;

    -- Reports select by reception time and read only these columns; a catalog change finds its
    -- procedure's dossiers.
    CREATE INDEX dossiers_by_created ON dossiers(created_at, fact_flags, channel, procedure_code, received_by, code);
    CREATE INDEX dossiers_by_procedure ON dossiers(catalog_version_id, procedure_code);

    CREATE TRIGGER dossier_facts_component_insert AFTER INSERT ON dossier_components BEGIN
      ${RECOUNT_COMPONENTS('new.dossier_id')}
    END;
    CREATE TRIGGER dossier_facts_component_delete AFTER DELETE ON dossier_components BEGIN
      ${RECOUNT_COMPONENTS('old.dossier_id')}
    END;
    CREATE TRIGGER dossier_facts_component_update
    AFTER UPDATE OF dossier_id, required, missing_reason, digitized, reused, from_national_store ON dossier_components
    BEGIN
      ${RECOUNT_COMPONENTS('old.dossier_id')}
      ${RECOUNT_COMPONENTS('new.dossier_id')}
    END;

    CREATE TRIGGER dossier_facts_history_insert AFTER INSERT ON dossier_status_history
    WHEN new.to_status = 'received' BEGIN
      ${RECEIVED_BY('new.dossier_id')}
    END;
    CREATE TRIGGER dossier_facts_history_delete AFTER DELETE ON dossier_status_history
    WHEN old.to_status = 'received' BEGIN
      ${RECEIVED_BY('old.dossier_id')}
    END;
    CREATE TRIGGER dossier_facts_history_update
    AFTER UPDATE OF dossier_id, to_status, actor ON dossier_status_history BEGIN
      ${RECEIVED_BY('old.dossier_id')}
      ${RECEIVED_BY('new.dossier_id')}
    END;

    CREATE TRIGGER dossier_facts_dossier_insert AFTER INSERT ON dossiers BEGIN
      UPDATE dossiers SET fact_result_on_paper = ${RESULT_ON_PAPER} WHERE id = new.id;
    END;
    CREATE TRIGGER dossier_facts_dossier_procedure
    AFTER UPDATE OF catalog_version_id, procedure_code ON dossiers BEGIN
      UPDATE dossiers SET fact_result_on_paper = ${RESULT_ON_PAPER} WHERE id = new.id;
    END;

    CREATE TRIGGER dossier_facts_flags
    AFTER UPDATE OF fact_counted, fact_without_file, fact_reused, fact_national, fact_result_on_paper,
                    result_document_id ON dossiers BEGIN
      UPDATE dossiers SET fact_flags = ${FLAGS('new')} WHERE id = new.id;
    END;

    CREATE TRIGGER dossier_facts_catalog_insert AFTER INSERT ON catalog_procedures BEGIN
      UPDATE dossiers SET fact_result_on_paper = new.result_on_paper
      WHERE catalog_version_id = new.version_id AND procedure_code = new.code;
    END;
    CREATE TRIGGER dossier_facts_catalog_update
    AFTER UPDATE OF version_id, code, result_on_paper ON catalog_procedures BEGIN
      UPDATE dossiers SET fact_result_on_paper = ${RESULT_ON_PAPER}
      WHERE (catalog_version_id = old.version_id AND procedure_code = old.code)
         OR (catalog_version_id = new.version_id AND procedure_code = new.code);
    END;
    CREATE TRIGGER dossier_facts_catalog_delete AFTER DELETE ON catalog_procedures BEGIN
      UPDATE dossiers SET fact_result_on_paper = 1
      WHERE catalog_version_id = old.version_id AND procedure_code = old.code;
    END;

    -- Existing dossiers.
    UPDATE dossiers SET
      (fact_counted, fact_without_file, fact_reused, fact_national) = (
        SELECT count(*) FILTER (WHERE c.required = 1 OR c.missing_reason IS NULL),
               count(*) FILTER (WHERE (c.required = 1 OR c.missing_reason IS NULL) AND c.digitized = 0),
               count(*) FILTER (WHERE c.reused = 1),
               count(*) FILTER (WHERE c.from_national_store = 1)
        FROM dossier_components c WHERE c.dossier_id = dossiers.id),
      fact_result_on_paper = ${RESULT_ON_PAPER},
      received_by = (SELECT h.actor FROM dossier_status_history h
                     WHERE h.dossier_id = dossiers.id AND h.to_status = 'received' ORDER BY h.id LIMIT 1);
    -- (fact_flags follows through the dossier_facts_flags trigger.)

    -- 2. Prefix indexes for full-text search. The last word of a search is a prefix (results
    -- while typing); without these FTS5 merges the page list of every word starting with it,
    -- the whole index for "k" or "dang ky": tens of milliseconds on a province-year. Folded
    -- Vietnamese syllables have at most 7 letters, so prefixes of 1 to 6 cover them. Same
    -- content table, tokenizer and triggers (001); the index is rebuilt from pages.search_text.
    DROP TABLE pages_fts;
    CREATE VIRTUAL TABLE pages_fts USING fts5(
      search_text,
      content = 'pages',
      content_rowid = 'id',
      tokenize = 'unicode61 remove_diacritics 2',
      prefix = '1 2 3 4 5 6'
    );
    INSERT INTO pages_fts(pages_fts) VALUES ('rebuild');
  `,
};
