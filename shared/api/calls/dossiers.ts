/** Dossiers (hồ sơ), the documents they hold, and the procedure catalog they are received under. */
import { z } from 'zod';
import { DossierId } from './ids';
import { PageSummary } from './pages';

export const DocumentSummary = z.object({
  id: z.string(),
  dossierId: z.string().nullable(),
  title: z.string(),
  sourceName: z.string(),
  createdAt: z.string(),
  pages: z.array(PageSummary),
});
export type DocumentSummary = z.infer<typeof DocumentSummary>;

export const ProcedureComponent = z.object({
  code: z.string(),
  name: z.string(),
  /** The document-type code a document must have to fill this component (and to be reused for it). */
  docType: z.string(),
  /** Optional components ("nếu có") do not hold a dossier back from being digitized. */
  required: z.boolean(),
});
export const Procedure = z.object({
  code: z.string(),
  name: z.string(),
  /** Lĩnh vực, e.g. "Hộ tịch". */
  field: z.string(),
  /** Cấp thực hiện, e.g. "Cấp xã". */
  level: z.string(),
  /** The result is issued on paper (counts for scorecard indicators 4.1 and 4.2). */
  resultOnPaper: z.boolean(),
  /** Statutory processing time in working days; null for a catalog that did not say. */
  processingDays: z.number().int().nullable(),
  components: z.array(ProcedureComponent),
  /** The catalog version this procedure belongs to. */
  catalogVersionId: z.number().int(),
  /** True while the catalog is the starter sample that ships with the app. */
  sample: z.boolean(),
});
export type Procedure = z.infer<typeof Procedure>;

export const DossierStatus = z.enum(['received', 'digitizing', 'digitized', 'result_recorded', 'returned']);
export type DossierStatus = z.infer<typeof DossierStatus>;
/** KenhThucHien: 1 direct, 2 online, 3 postal. */
export const SubmissionChannel = z.union([z.literal(1), z.literal(2), z.literal(3)]);
export const Dossier = z.object({
  id: z.string(),
  code: z.string(),
  citizenId: z.string(),
  citizenName: z.string(),
  procedureCode: z.string(),
  procedureName: z.string(),
  /** The catalog version the dossier was received under: its checklist comes from there. */
  catalogVersionId: z.number().int(),
  status: DossierStatus,
  channel: SubmissionChannel,
  /** Ngày hẹn trả, `YYYY-MM-DD` in Vietnam; null when the procedure has no processing time. */
  promisedReturnDate: z.string().nullable(),
  resultCode: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
  pageCount: z.number().int(),
  /** Recognized pages whose OCR confidence is under the review threshold: the text to check. */
  pagesToReview: z.number().int(),
});
export type Dossier = z.infer<typeof Dossier>;

export const DossierDetail = z.object({
  dossier: Dossier,
  documents: z.array(DocumentSummary),
});
export type DossierDetail = z.infer<typeof DossierDetail>;

export const dossierCalls = {
  'procedures.list': {
    input: z.object({}).default({}),
    output: z.array(Procedure),
  },
  'dossiers.create': {
    input: z.object({
      citizenId: z.string().max(64),
      citizenName: z.string().trim().max(200).default(''),
      procedureCode: z.string().max(32),
      channel: SubmissionChannel.default(1),
    }),
    output: Dossier,
  },
  'dossiers.list': {
    input: z.object({ limit: z.number().int().min(1).max(500).default(50) }).default({ limit: 50 }),
    output: z.array(Dossier),
  },
  'dossiers.get': {
    input: z.object({ id: DossierId }),
    output: DossierDetail,
  },
} as const;
