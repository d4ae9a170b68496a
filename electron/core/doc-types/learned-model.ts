/**
 * The learned part of the document-type suggestion, in SQLite: one example per document whose type
 * a clerk confirmed, and per type the number of confirmed documents having each feature (see
 * shared/domain/doc-types.ts for how they are scored). Learning and unlearning are exact inverses,
 * so a clerk who changes their mind leaves no trace of the first choice.
 */
import type { DocTypeEvidence } from '../../../shared/domain/doc-types';
import { docTypeFeatures } from '../../../shared/domain/doc-types';
import type { Db } from '../db/database';
import { nowIso } from '../db/database';

/** Adds a document to the model as an example of `typeCode` (replacing what it taught before). */
export function learnExample(db: Db, documentId: string, typeCode: string, features: readonly string[]): void {
  unlearnExample(db, documentId);
  if (features.length === 0) return;
  const json = JSON.stringify(features);
  db.prepare('INSERT INTO doc_type_examples (document_id, type_code, features, learned_at) VALUES (?, ?, ?, ?)').run(
    documentId,
    typeCode,
    json,
    nowIso(),
  );
  db.prepare(
    `INSERT INTO doc_type_classes (type_code, documents, features) VALUES (?, 1, ?)
     ON CONFLICT (type_code) DO UPDATE SET documents = documents + 1, features = features + excluded.features`,
  ).run(typeCode, features.length);
  // "WHERE true" lets SQLite tell the upsert's ON CONFLICT from a join's ON.
  db.prepare(
    `INSERT INTO doc_type_features (feature, type_code, count) SELECT value, ?, 1 FROM json_each(?) WHERE true
     ON CONFLICT (feature, type_code) DO UPDATE SET count = count + 1`,
  ).run(typeCode, json);
}

/** Removes what a document taught the model, if anything. */
export function unlearnExample(db: Db, documentId: string): void {
  const example = db
    .prepare('SELECT type_code, features FROM doc_type_examples WHERE document_id = ?')
    .get(documentId) as { type_code: string; features: string } | undefined;
  if (!example) return;
  const count = (JSON.parse(example.features) as unknown[]).length;
  db.prepare(
    `UPDATE doc_type_features SET count = count - 1
     WHERE type_code = ? AND feature IN (SELECT value FROM json_each(?))`,
  ).run(example.type_code, example.features);
  db.prepare(
    `DELETE FROM doc_type_features WHERE type_code = ? AND count <= 0 AND feature IN (SELECT value FROM json_each(?))`,
  ).run(example.type_code, example.features);
  db.prepare('UPDATE doc_type_classes SET documents = documents - 1, features = features - ? WHERE type_code = ?').run(
    count,
    example.type_code,
  );
  db.prepare('DELETE FROM doc_type_classes WHERE type_code = ? AND documents <= 0').run(example.type_code);
  db.prepare('DELETE FROM doc_type_examples WHERE document_id = ?').run(documentId);
}

/** What the model knows about the given features (only those, so a lookup stays small). */
export function learnedEvidence(db: Db, features: readonly string[]): DocTypeEvidence {
  const classRows = db.prepare('SELECT type_code, documents, features FROM doc_type_classes').all() as {
    type_code: string;
    documents: number;
    features: number;
  }[];
  const classes = new Map(
    classRows.map((row) => [row.type_code, { documents: row.documents, features: row.features }]),
  );
  const known = new Map<string, Map<string, number>>();
  if (classes.size === 0) return { classes, features: known, vocabulary: 0 };
  const rows = db
    .prepare(
      `SELECT feature, type_code, count FROM doc_type_features WHERE feature IN (SELECT value FROM json_each(?))`,
    )
    .all(JSON.stringify(features)) as { feature: string; type_code: string; count: number }[];
  for (const row of rows) {
    let perClass = known.get(row.feature);
    if (!perClass) known.set(row.feature, (perClass = new Map()));
    perClass.set(row.type_code, row.count);
  }
  const { vocabulary } = db
    .prepare('SELECT count(*) AS vocabulary FROM (SELECT DISTINCT feature FROM doc_type_features)')
    .get() as { vocabulary: number };
  return { classes, features: known, vocabulary };
}

/** The text of a document's recognized pages, in page order. */
export function documentText(db: Db, documentId: string): { text: string; pending: boolean } {
  const rows = db
    .prepare('SELECT ocr_text, ocr_status FROM pages WHERE document_id = ? ORDER BY page_no')
    .all(documentId) as { ocr_text: string; ocr_status: string }[];
  return {
    text: rows.map((row) => row.ocr_text).join('\n'),
    pending: rows.some((row) => row.ocr_status === 'queued' || row.ocr_status === 'running'),
  };
}

/**
 * Brings the model up to date with `documents.doc_type`: every document whose confirmed type
 * changed (queued by a trigger) is unlearned and, if it has a type and text, learned again. A
 * document still being recognized stays queued and is learned once its pages are read.
 * Returns the documents learned or unlearned.
 */
export function catchUpLearning(db: Db): string[] {
  const queued = db.prepare('SELECT document_id FROM doc_type_relearn').all() as { document_id: string }[];
  const done: string[] = [];
  for (const { document_id: documentId } of queued) {
    const doc = db.prepare('SELECT doc_type FROM documents WHERE id = ?').get(documentId) as
      { doc_type: string | null } | undefined;
    const { text, pending } = documentText(db, documentId);
    if (doc?.doc_type) {
      learnExample(db, documentId, doc.doc_type, docTypeFeatures(text));
    } else {
      unlearnExample(db, documentId);
    }
    if (!pending || !doc?.doc_type) db.prepare('DELETE FROM doc_type_relearn WHERE document_id = ?').run(documentId);
    done.push(documentId);
  }
  return done;
}
