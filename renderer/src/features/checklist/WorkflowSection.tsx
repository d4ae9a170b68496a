import type { DocumentSummary, Dossier } from '../../../../shared/api/contract';
import { ChecklistPanel } from './ChecklistPanel';
import { LifecyclePanel } from './LifecyclePanel';

/** What the counter workflow adds to a dossier's view: its reception facts and its checklist. */
export function WorkflowSection({
  dossier,
  documents,
  onChanged,
}: {
  dossier: Dossier;
  documents: DocumentSummary[];
  onChanged: () => void;
}) {
  return (
    <div className="workflow-section">
      <LifecyclePanel dossier={dossier} documents={documents} onChanged={onChanged} />
      <ChecklistPanel dossierId={dossier.id} onChanged={onChanged} />
    </div>
  );
}
