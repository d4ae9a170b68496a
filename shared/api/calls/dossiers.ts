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
  docType: z.string(),
});
export const Procedure = z.object({
  code: z.string(),
  name: z.string(),
  components: z.array(ProcedureComponent),
  /** True while the catalog is the starter sample that ships with the app. */
  sample: z.boolean(),
});
export type Procedure = z.infer<typeof Procedure>;

export const DossierStatus = z.enum(['received', 'digitizing', 'digitized']);
export const Dossier = z.object({
  id: z.string(),
  code: z.string(),
  citizenId: z.string(),
  citizenName: z.string(),
  procedureCode: z.string(),
  procedureName: z.string(),
  status: DossierStatus,
  createdAt: z.string(),
  pageCount: z.number().int(),
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
