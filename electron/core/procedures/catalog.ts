import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { CatalogVersion, Procedure } from '../../../shared/api/contract';
import { AppFailure } from '../../../shared/api/errors';
import type { Db } from '../db/database';
import { nowIso } from '../db/database';
import { parseCatalogFile, type ParsedCatalog } from './catalog-file';

/**
 * The procedure catalog, kept as versions: an import adds a version and the newest one is active
 * (new dossiers are received under it); a dossier keeps the version it was received under, so
 * its checklist never changes under it.
 */

export const SAMPLE_CATALOG_FILE = path.join('reference', 'sample-procedures.json');

export interface CatalogImportMeta {
  label: string;
  sourceName: string;
  sha256: string | null;
  sample: boolean;
  actor: string;
}

/** Stores a parsed catalog as the new active version, in one transaction. */
export function importCatalog(db: Db, catalog: ParsedCatalog, meta: CatalogImportMeta): CatalogVersion {
  const versionId = db.transaction(() => {
    const id = Number(
      db
        .prepare(
          `INSERT INTO catalog_versions (label, sample, source_name, source_sha256, procedure_count, imported_at, imported_by)
           VALUES (?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(
          meta.label,
          meta.sample ? 1 : 0,
          meta.sourceName,
          meta.sha256,
          catalog.procedures.length,
          nowIso(),
          meta.actor,
        ).lastInsertRowid,
    );
    const insertProcedure = db.prepare(
      `INSERT INTO catalog_procedures (version_id, code, name, field, level, result_on_paper, result_doc_type, processing_days)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    const insertComponent = db.prepare(
      `INSERT INTO catalog_components (version_id, procedure_code, position, code, name, doc_type, required)
       VALUES (?, ?, ?, ?, ?, ?, ?)`,
    );
    for (const p of catalog.procedures) {
      insertProcedure.run(
        id,
        p.code,
        p.name,
        p.field,
        p.level,
        p.resultOnPaper ? 1 : 0,
        p.resultDocType,
        p.processingDays,
      );
      p.components.forEach((c, position) =>
        insertComponent.run(id, p.code, position, c.code, c.name, c.docType, c.required ? 1 : 0),
      );
    }
    return id;
  })();
  return getCatalogVersion(db, versionId);
}

/** Reads, checks and imports a catalog file's bytes; a refused file changes nothing. */
export function importCatalogFile(
  db: Db,
  bytes: Uint8Array,
  fileName: string,
  options: { label?: string; actor: string },
): CatalogVersion {
  const parsed = parseCatalogFile(bytes, fileName);
  return importCatalog(db, parsed, {
    label: options.label?.trim() || fileName,
    sourceName: fileName,
    sha256: createHash('sha256').update(bytes).digest('hex'),
    sample: parsed.sample,
    actor: options.actor,
  });
}

/**
 * Loads the starter sample so a clerk can try the app at once. It stays until an administrator
 * imports a catalog; until then a newer sample shipped with the app replaces an older one.
 */
export function seedSampleCatalog(db: Db, assetsDir: string): void {
  const imported = db.prepare('SELECT 1 FROM catalog_versions WHERE sample = 0 LIMIT 1').get();
  if (imported) return;
  const file = path.join(assetsDir, SAMPLE_CATALOG_FILE);
  const bytes = readFileSync(file);
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  const newest = db.prepare('SELECT source_sha256 FROM catalog_versions ORDER BY id DESC LIMIT 1').get() as
    { source_sha256: string | null } | undefined;
  if (newest?.source_sha256 === sha256) return;
  const parsed = parseCatalogFile(bytes, path.basename(file));
  importCatalog(db, parsed, {
    label: 'Danh mục mẫu',
    sourceName: path.basename(file),
    sha256,
    sample: true,
    actor: 'system:sample',
  });
}

export function activeCatalogVersionId(db: Db): number {
  const row = db.prepare('SELECT max(id) AS id FROM catalog_versions').get() as { id: number | null };
  if (row.id === null) {
    throw new AppFailure(
      'NOT_FOUND',
      'Chưa có danh mục thủ tục. Quản trị viên cần nhập danh mục.',
      'There is no procedure catalog yet. An administrator must import one.',
    );
  }
  return row.id;
}

interface VersionRow {
  id: number;
  label: string;
  sample: number;
  source_name: string;
  procedure_count: number;
  component_count: number;
  imported_at: string;
  imported_by: string;
  active: number;
}

const VERSION_SELECT = `
  SELECT v.*, (SELECT count(*) FROM catalog_components c WHERE c.version_id = v.id) AS component_count,
         v.id = (SELECT max(id) FROM catalog_versions) AS active
  FROM catalog_versions v`;

function toVersion(row: VersionRow): CatalogVersion {
  return {
    id: row.id,
    label: row.label,
    sample: row.sample === 1,
    sourceName: row.source_name,
    procedureCount: row.procedure_count,
    componentCount: row.component_count,
    importedAt: row.imported_at,
    importedBy: row.imported_by,
    active: row.active === 1,
  };
}

export function getCatalogVersion(db: Db, id: number): CatalogVersion {
  const row = db.prepare(`${VERSION_SELECT} WHERE v.id = ?`).get(id) as VersionRow | undefined;
  if (!row) throw new AppFailure('NOT_FOUND', 'Không tìm thấy phiên bản danh mục.', 'Catalog version not found.');
  return toVersion(row);
}

export function listCatalogVersions(db: Db): CatalogVersion[] {
  return (db.prepare(`${VERSION_SELECT} ORDER BY v.id DESC`).all() as VersionRow[]).map(toVersion);
}

interface ProcedureRow {
  version_id: number;
  code: string;
  name: string;
  field: string;
  level: string;
  result_on_paper: number;
  processing_days: number | null;
  sample: number;
}

interface ComponentRow {
  procedure_code: string;
  code: string;
  name: string;
  doc_type: string;
  required: number;
}

function loadProcedures(db: Db, versionId: number, code: string | null): Procedure[] {
  const rows = db
    .prepare(
      `SELECT p.*, v.sample FROM catalog_procedures p JOIN catalog_versions v ON v.id = p.version_id
       WHERE p.version_id = ? AND (? IS NULL OR p.code = ?) ORDER BY p.code`,
    )
    .all(versionId, code, code) as ProcedureRow[];
  const components = db
    .prepare(
      `SELECT procedure_code, code, name, doc_type, required FROM catalog_components
       WHERE version_id = ? AND (? IS NULL OR procedure_code = ?) ORDER BY procedure_code, position`,
    )
    .all(versionId, code, code) as ComponentRow[];
  const byProcedure = new Map<string, Procedure['components']>();
  for (const c of components) {
    const list = byProcedure.get(c.procedure_code) ?? [];
    list.push({ code: c.code, name: c.name, docType: c.doc_type, required: c.required === 1 });
    byProcedure.set(c.procedure_code, list);
  }
  return rows.map((row) => ({
    code: row.code,
    name: row.name,
    field: row.field,
    level: row.level,
    resultOnPaper: row.result_on_paper === 1,
    processingDays: row.processing_days,
    components: byProcedure.get(row.code) ?? [],
    catalogVersionId: row.version_id,
    sample: row.sample === 1,
  }));
}

/** The procedures of a catalog version (the active one by default). */
export function listProcedures(db: Db, versionId?: number): Procedure[] {
  return loadProcedures(db, versionId ?? activeCatalogVersionId(db), null);
}

export function findProcedure(db: Db, code: string, versionId?: number): Procedure | null {
  return loadProcedures(db, versionId ?? activeCatalogVersionId(db), code)[0] ?? null;
}
