import type { pageAnalysisCalls } from '../../../shared/api/calls/page-analysis';
import { applyIdCardToDossier } from '../citizens/id-cards';
import type { DocTypeService } from '../doc-types/doc-type-service';
import type { HandlerGroup } from '../dispatch';
import type { Services } from '../services';
import type { IdCardFieldReader } from './page-analysis';

export function pageAnalysisHandlers(
  services: Services,
  docTypes: DocTypeService,
  /** Reads an ID card's printed fields line by line (shared with the analysis step's warm-up). */
  idCardFields: IdCardFieldReader,
): HandlerGroup<typeof pageAnalysisCalls> {
  const { db, events } = services;
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
