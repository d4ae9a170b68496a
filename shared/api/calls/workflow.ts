/**
 * The counter workflow: the procedure catalog and its versions, the unit's settings, each
 * dossier's component checklist with reuse, the supervisor's approval, and the dossier lifecycle.
 */
import { z } from 'zod';
import { APPROVAL_STATES, COMPONENT_STATES, ITEM_KINDS, REUSE_SOURCES } from '../../domain/component-state';
import { Dossier, DossierStatus } from './dossiers';
import { DossierId, UploadToken } from './ids';

const RowId = z.string().min(1).max(64);
/** A calendar day, `YYYY-MM-DD`. */
export const IsoDay = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);
/** Free text a clerk types (a reason, a note): optional here so the handler can answer in Vietnamese. */
const ClerkText = z.string().max(500).optional();

export const CatalogVersion = z.object({
  id: z.number().int(),
  label: z.string(),
  sample: z.boolean(),
  sourceName: z.string(),
  procedureCount: z.number().int(),
  componentCount: z.number().int(),
  importedAt: z.string(),
  importedBy: z.string(),
  /** The newest version is the one new dossiers are received under. */
  active: z.boolean(),
});
export type CatalogVersion = z.infer<typeof CatalogVersion>;

export const UnitSettings = z.object({
  /** The receiving agency's identifier, the first part of every dossier code. */
  agencyCode: z.string(),
  unitName: z.string(),
  /** This workstation's number in the unit, 0-9: the thousands digit of its dossier codes. */
  workstationNo: z.number().int().min(0).max(9),
  /** False until an administrator has saved the unit's settings (codes use a placeholder agency). */
  configured: z.boolean(),
});
export type UnitSettings = z.infer<typeof UnitSettings>;

export const ComponentStateSchema = z.enum(COMPONENT_STATES);
export const ApprovalStateSchema = z.enum(APPROVAL_STATES);

export const ChecklistItem = z.object({
  id: z.string(),
  documentId: z.string(),
  title: z.string(),
  pageCount: z.number().int(),
  firstPageId: z.number().int().nullable(),
  kind: z.enum(ITEM_KINDS),
  source: z.enum(REUSE_SOURCES),
  /** Where a reused document was digitized. */
  originDossierCode: z.string().nullable(),
  originResultCode: z.string().nullable(),
  /** Scanned items only; null for reused ones (they were checked where they were digitized). */
  approval: ApprovalStateSchema.nullable(),
  approvalReason: z.string().nullable(),
  docType: z.string().nullable(),
  validUntil: z.string().nullable(),
  addedAt: z.string(),
  addedBy: z.string(),
});
export type ChecklistItem = z.infer<typeof ChecklistItem>;

export const ChecklistComponent = z.object({
  id: z.string(),
  dossierId: z.string(),
  position: z.number().int(),
  code: z.string(),
  name: z.string(),
  docType: z.string(),
  required: z.boolean(),
  state: ComponentStateSchema,
  digitized: z.boolean(),
  reused: z.boolean(),
  fromNationalStore: z.boolean(),
  replacingResultCode: z.string().nullable(),
  /** Set when the clerk marked the component missing ("thiếu"), with why. */
  missingReason: z.string().nullable(),
  /** Numbers of originals and copies handed over, for the receipt. */
  originals: z.number().int(),
  copies: z.number().int(),
  items: z.array(ChecklistItem),
});
export type ChecklistComponent = z.infer<typeof ChecklistComponent>;

export const DocumentRef = z.object({
  documentId: z.string(),
  title: z.string(),
  pageCount: z.number().int(),
  firstPageId: z.number().int().nullable(),
  createdAt: z.string(),
});
export type DocumentRef = z.infer<typeof DocumentRef>;

export const Checklist = z.object({
  dossierId: z.string(),
  catalogVersionId: z.number().int(),
  components: z.array(ChecklistComponent),
  /** Documents scanned into the dossier that no component holds yet. */
  unassigned: z.array(DocumentRef),
  /** Every required component is digitized, reused or marked missing. */
  complete: z.boolean(),
  /** Changes are refused once the result is recorded. */
  locked: z.boolean(),
});
export type Checklist = z.infer<typeof Checklist>;

/** A valid document already digitized for the citizen, offered instead of a rescan. */
export const ReuseCandidate = z.object({
  documentId: z.string(),
  title: z.string(),
  docType: z.string().nullable(),
  /** Last valid day; null: no expiry recorded. Expired documents are never offered. */
  validUntil: z.string().nullable(),
  pageCount: z.number().int(),
  firstPageId: z.number().int().nullable(),
  createdAt: z.string(),
  dossierId: z.string().nullable(),
  dossierCode: z.string().nullable(),
  procedureCode: z.string().nullable(),
  /** A component of another dossier, another dossier's result, or a document outside any checklist. */
  origin: z.enum(['component', 'result', 'document']),
  originComponentId: z.string().nullable(),
  originComponentName: z.string().nullable(),
  resultCode: z.string().nullable(),
  approval: z.enum(['pending', 'approved']).nullable(),
  source: z.enum(REUSE_SOURCES),
});
export type ReuseCandidate = z.infer<typeof ReuseCandidate>;

export const ReuseSuggestions = z.object({
  dossierId: z.string(),
  /** Per component: candidates of its document type, not already attached to it. */
  components: z.array(z.object({ componentId: z.string(), candidates: z.array(ReuseCandidate) })),
  /** The citizen's other valid documents (another or unknown type). */
  others: z.array(ReuseCandidate),
});
export type ReuseSuggestions = z.infer<typeof ReuseSuggestions>;

export const ApprovalItem = z.object({
  itemId: z.string(),
  dossierId: z.string(),
  dossierCode: z.string(),
  dossierStatus: DossierStatus,
  procedureCode: z.string(),
  procedureName: z.string(),
  componentId: z.string(),
  componentCode: z.string(),
  componentName: z.string(),
  documentId: z.string(),
  title: z.string(),
  pageCount: z.number().int(),
  firstPageId: z.number().int().nullable(),
  approval: ApprovalStateSchema,
  reason: z.string().nullable(),
  addedBy: z.string(),
  addedAt: z.string(),
  decidedBy: z.string().nullable(),
  decidedAt: z.string().nullable(),
});
export type ApprovalItem = z.infer<typeof ApprovalItem>;

export const StatusChange = z.object({
  id: z.number().int(),
  dossierId: z.string(),
  fromStatus: DossierStatus.nullable(),
  toStatus: DossierStatus,
  actor: z.string(),
  at: z.string(),
  note: z.string().nullable(),
});
export type StatusChange = z.infer<typeof StatusChange>;

export const workflowCalls = {
  'procedures.import': {
    input: z.object({ upload: UploadToken, label: z.string().trim().max(200).optional() }),
    output: CatalogVersion,
  },
  'procedures.versions': {
    input: z.object({}).default({}),
    output: z.array(CatalogVersion),
  },
  'settings.unit': {
    input: z.object({}).default({}),
    output: UnitSettings,
  },
  'settings.updateUnit': {
    input: z.object({
      agencyCode: z.string().trim().max(32).optional(),
      unitName: z.string().trim().max(200).optional(),
      workstationNo: z.number().int().optional(),
    }),
    output: UnitSettings,
  },
  'checklist.get': {
    input: z.object({ dossierId: DossierId }),
    output: Checklist,
  },
  /** Puts a document scanned into this dossier under a component (the clerk's confirmed type). */
  'checklist.assign': {
    input: z.object({ componentId: RowId, documentId: RowId, validUntil: IsoDay.nullable().optional() }),
    output: ChecklistComponent,
  },
  'checklist.unassign': {
    input: z.object({ itemId: RowId }),
    output: ChecklistComponent,
  },
  /** Attaches a document already digitized for the citizen: a reference, never a copy. */
  'checklist.reuse': {
    input: z.object({ componentId: RowId, documentId: RowId }),
    output: ChecklistComponent,
  },
  'checklist.markMissing': {
    input: z.object({ componentId: RowId, reason: ClerkText }),
    output: ChecklistComponent,
  },
  'checklist.clearMissing': {
    input: z.object({ componentId: RowId }),
    output: ChecklistComponent,
  },
  'checklist.setCopies': {
    input: z.object({
      componentId: RowId,
      originals: z.number().int().min(0).max(99),
      copies: z.number().int().min(0).max(99),
    }),
    output: ChecklistComponent,
  },
  /** Records how long a document stays valid (null: no expiry), so reuse stops offering it after. */
  'checklist.setValidity': {
    input: z.object({ documentId: RowId, validUntil: IsoDay.nullable() }),
    output: z.object({ documentId: z.string(), validUntil: z.string().nullable() }),
  },
  'reuse.suggest': {
    input: z.object({ dossierId: DossierId }),
    output: ReuseSuggestions,
  },
  /** `pending`: the supervisor's queue; `rejected`: the clerks' queue of scans to redo. */
  'approval.list': {
    input: z.object({
      status: ApprovalStateSchema,
      dossierId: DossierId.optional(),
      limit: z.number().int().min(1).max(500).default(100),
    }),
    output: z.array(ApprovalItem),
  },
  'approval.decide': {
    input: z.object({ itemId: RowId, decision: z.enum(['approved', 'rejected']), reason: ClerkText }),
    output: ApprovalItem,
  },
  'dossiers.history': {
    input: z.object({ dossierId: DossierId }),
    output: z.array(StatusChange),
  },
  'dossiers.recordResult': {
    input: z.object({
      dossierId: DossierId,
      resultCode: z.string().trim().max(64),
      documentId: RowId.nullable().optional(),
    }),
    output: Dossier,
  },
  'dossiers.markReturned': {
    input: z.object({ dossierId: DossierId }),
    output: Dossier,
  },
} as const;
