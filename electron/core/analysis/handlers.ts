import type { pageAnalysisCalls } from '../../../shared/api/calls/page-analysis';
import { applyIdCardToDossier, type LineReader } from '../citizens/id-cards';
import type { DocTypeService } from '../doc-types/doc-type-service';
import type { HandlerGroup } from '../dispatch';
import type { Services } from '../services';
import { IdCardFieldReader } from './page-analysis';

export function pageAnalysisHandlers(
  services: Services,
  docTypes: DocTypeService,
  /** The OCR pool: an ID card's printed fields are read line by line. */
  lineReader: LineReader,
): HandlerGroup<typeof pageAnalysisCalls> {
  const { db, events, store } = services;
  const idCardFields = new IdCardFieldReader({ db, store, reader: lineReader });
  // Open windows show the dossier's citizen and its documents' types: tell them.
  const announce = (documentId: string): void => {
    const doc = db.prepare('SELECT dossier_id FROM documents WHERE id = ?').get(documentId) as
      { dossier_id: string | null } | undefined;
    if (doc) events.emit('dossier.changed', { dossierId: doc.dossier_id, documentId });
  };
  return {
    'documentTypes.list': () => docTypes.list(),
    'documents.setType': (input) => {
      const state = docTypes.setType(db, input.documentId, input.code);
      announce(input.documentId);
      return state;
    },
    'dossiers.applyIdCard': (input) => {
      const applied = applyIdCardToDossier(db, input);
      const page = db.prepare('SELECT document_id FROM pages WHERE id = ?').get(input.pageId) as {
        document_id: string;
      };
      announce(page.document_id);
      return applied;
    },
    'idCards.readFields': (input) => idCardFields.read(input.pageId),
  };
}
