/**
 * Document types: the suggestion for each page and document (rules from the data file plus what
 * clerks' confirmed choices taught), and confirming or correcting a document's type.
 */
import type { DocumentTypeInfo, DocumentTypeState } from '../../../shared/api/contract';
import { AppFailure } from '../../../shared/api/errors';
import {
  compileDocTypeRules,
  docTypeFeatures,
  suggestDocType,
  type CompiledDocTypeRules,
  type DocTypeRuleSet,
  type DocTypeSignal,
  type DocTypeSuggestion,
} from '../../../shared/domain/doc-types';
import type { Db } from '../db/database';
import { nowIso } from '../db/database';
import { writeOutbox } from '../sync/outbox';
import { catchUpLearning, documentText, learnedEvidence } from './learned-model';

export class DocTypeService {
  private readonly compiled: CompiledDocTypeRules;

  constructor(private readonly ruleSet: DocTypeRuleSet) {
    this.compiled = compileDocTypeRules(ruleSet);
  }

  list(): DocumentTypeInfo[] {
    return this.ruleSet.types.map(({ code, nameVi, nameEn }) => ({ code, nameVi, nameEn }));
  }

  /** The best type for a text (rules plus the learned model in `db`). */
  suggest(db: Db, text: string, signals: ReadonlySet<DocTypeSignal> = new Set()): DocTypeSuggestion {
    return suggestDocType(this.compiled, { text, signals }, learnedEvidence(db, docTypeFeatures(text)));
  }

  /**
   * After a page is recognized (inside its OCR transaction): the model catches up with confirmed
   * types, then the page's and its document's suggestions are computed again.
   */
  refreshAfterOcr(db: Db, pageId: number): void {
    catchUpLearning(db);
    const page = db.prepare('SELECT document_id, ocr_text FROM pages WHERE id = ?').get(pageId) as
      { document_id: string; ocr_text: string } | undefined;
    if (!page) return;
    const suggestion = this.suggest(db, page.ocr_text, signalsOf(db, 'page', pageId));
    db.prepare(
      `INSERT INTO page_doc_types (page_id, suggested, score, updated_at) VALUES (?, ?, ?, ?)
       ON CONFLICT (page_id) DO UPDATE SET suggested = excluded.suggested, score = excluded.score,
         updated_at = excluded.updated_at`,
    ).run(pageId, suggestion.code, suggestion.ranked[0]?.score ?? 0, nowIso());
    this.refreshDocument(db, page.document_id);
  }

  /** Computes a document's suggestion again from the text of all its recognized pages. */
  refreshDocument(db: Db, documentId: string): void {
    const { text } = documentText(db, documentId);
    const suggestion = this.suggest(db, text, signalsOf(db, 'document', documentId));
    db.prepare(
      `INSERT INTO document_type_suggestions (document_id, suggested, score, updated_at) VALUES (?, ?, ?, ?)
       ON CONFLICT (document_id) DO UPDATE SET suggested = excluded.suggested, score = excluded.score,
         updated_at = excluded.updated_at`,
    ).run(documentId, suggestion.code, suggestion.ranked[0]?.score ?? 0, nowIso());
  }

  /**
   * Confirms (the suggested code) or corrects (another code) a document's type, or clears it
   * (null). The model learns at once; the other unconfirmed documents of the same dossier get
   * fresh suggestions, since what was just learned may change them.
   */
  setType(db: Db, documentId: string, code: string | null): DocumentTypeState {
    if (code !== null && !this.ruleSet.types.some((type) => type.code === code)) {
      throw new AppFailure('VALIDATION', 'Loại giấy tờ không có trong danh mục.', 'Unknown document type.', 'code');
    }
    return db.transaction(() => {
      const doc = db.prepare('SELECT dossier_id, doc_type FROM documents WHERE id = ?').get(documentId) as
        { dossier_id: string | null; doc_type: string | null } | undefined;
      if (!doc) throw new AppFailure('NOT_FOUND', 'Không tìm thấy tài liệu.', 'Document not found.');
      if (doc.doc_type !== code) {
        db.prepare('UPDATE documents SET doc_type = ? WHERE id = ?').run(code, documentId);
        writeOutbox(db, 'document', documentId, 'type', { docType: code });
      }
      catchUpLearning(db);
      const siblings = doc.dossier_id
        ? (
            db
              .prepare('SELECT id FROM documents WHERE dossier_id = ? AND doc_type IS NULL AND id != ?')
              .all(doc.dossier_id, documentId) as { id: string }[]
          ).map((row) => row.id)
        : [];
      for (const id of [documentId, ...siblings]) this.refreshDocument(db, id);
      return documentTypeState(db, documentId);
    })();
  }
}

/** A document's suggested and confirmed type. */
export function documentTypeState(db: Db, documentId: string): DocumentTypeState {
  const row = db
    .prepare(
      `SELECT doc.doc_type, s.suggested FROM documents doc
       LEFT JOIN document_type_suggestions s ON s.document_id = doc.id WHERE doc.id = ?`,
    )
    .get(documentId) as { doc_type: string | null; suggested: string | null } | undefined;
  return { documentId, suggested: row?.suggested ?? null, confirmed: row?.doc_type ?? null };
}

function signalsOf(db: Db, scope: 'page' | 'document', id: number | string): Set<DocTypeSignal> {
  const hasCard =
    scope === 'page'
      ? db.prepare('SELECT 1 FROM page_id_cards WHERE page_id = ? LIMIT 1').get(id)
      : db
          .prepare('SELECT 1 FROM page_id_cards c JOIN pages pg ON pg.id = c.page_id WHERE pg.document_id = ? LIMIT 1')
          .get(id);
  return new Set<DocTypeSignal>(hasCard ? ['cccdQr'] : []);
}
