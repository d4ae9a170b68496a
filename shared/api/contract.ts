/**
 * The contract: every call the renderer, the CLI and tests can make, with zod schemas for input
 * and output. The backend's dispatch, the Electron IPC bridge, the browser-mode HTTP host and the
 * renderer's client are all typed from this one table.
 */
import { z } from 'zod';

export const TagKind = z.enum(['citizenId', 'procedureCode', 'dossierCode']);
export type TagKind = z.infer<typeof TagKind>;

export const TagStatus = z.enum(['proposed', 'confirmed', 'rejected']);
export type TagStatus = z.infer<typeof TagStatus>;

export const Tag = z.object({
  id: z.number().int(),
  pageId: z.number().int(),
  kind: TagKind,
  value: z.string(),
  status: TagStatus,
});
export type Tag = z.infer<typeof Tag>;

export const OcrStatus = z.enum(['queued', 'running', 'done', 'failed']);
export type OcrStatus = z.infer<typeof OcrStatus>;

export const PageSummary = z.object({
  id: z.number().int(),
  documentId: z.string(),
  pageNo: z.number().int().min(1),
  width: z.number().int(),
  height: z.number().int(),
  ocrStatus: OcrStatus,
  confidence: z.number().nullable(),
});
export type PageSummary = z.infer<typeof PageSummary>;

export const Page = PageSummary.extend({
  dossierId: z.string().nullable(),
  text: z.string(),
  ocrError: z.string().nullable(),
  tags: z.array(Tag),
});
export type Page = z.infer<typeof Page>;

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

export const ImportOutcome = z.union([
  z.object({
    ok: z.literal(true),
    name: z.string(),
    documentId: z.string(),
    pageIds: z.array(z.number().int()),
    /** The same file (by sha256) was already stored: nothing new was added. */
    duplicate: z.boolean(),
  }),
  z.object({
    ok: z.literal(false),
    name: z.string(),
    error: z.object({ code: z.string(), message: z.string(), messageEn: z.string().optional() }),
  }),
]);
export type ImportOutcome = z.infer<typeof ImportOutcome>;

export const SearchHit = z.object({
  pageId: z.number().int(),
  documentId: z.string(),
  dossierId: z.string().nullable(),
  pageNo: z.number().int(),
  citizenId: z.string().nullable(),
  /** Original text around the match; highlights are [start, end) offsets into it. */
  snippet: z.string(),
  highlights: z.array(z.tuple([z.number().int(), z.number().int()])),
});
export type SearchHit = z.infer<typeof SearchHit>;

export const ReusableDocument = z.object({
  documentId: z.string(),
  title: z.string(),
  dossierId: z.string().nullable(),
  dossierCode: z.string().nullable(),
  procedureCode: z.string().nullable(),
  pageCount: z.number().int(),
  firstPageId: z.number().int().nullable(),
  createdAt: z.string(),
});
export type ReusableDocument = z.infer<typeof ReusableDocument>;

export const OcrQueueStatus = z.object({
  queued: z.number().int(),
  running: z.number().int(),
  done: z.number().int(),
  failed: z.number().int(),
});

const DossierId = z.string().min(1).max(64);
const UploadToken = z.string().regex(/^[a-f0-9]{32}$/);

/** Every call: `domain.verb` → { input, output }. */
export const contract = {
  'app.info': {
    input: z.object({}).default({}),
    output: z.object({ version: z.string(), host: z.enum(['desktop', 'browser', 'cli']) }),
  },
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
  'pages.import': {
    input: z.object({
      dossierId: DossierId.nullable(),
      uploads: z.array(UploadToken).min(1).max(1000),
    }),
    output: z.array(ImportOutcome),
  },
  'pages.get': {
    input: z.object({ id: z.number().int() }),
    output: Page,
  },
  'tags.update': {
    input: z.object({
      id: z.number().int(),
      status: z.enum(['confirmed', 'rejected']),
      value: z.string().max(64).optional(),
    }),
    output: Tag,
  },
  'search.query': {
    input: z.object({ q: z.string().max(500), limit: z.number().int().min(1).max(200).default(20) }),
    output: z.array(SearchHit),
  },
  'reuse.lookup': {
    input: z.object({ citizenId: z.string().max(64) }),
    output: z.array(ReusableDocument),
  },
  'ocr.status': {
    input: z.object({}).default({}),
    output: OcrQueueStatus,
  },
} as const;

export type Contract = typeof contract;
export type CallName = keyof Contract;
export type CallInput<N extends CallName> = z.input<Contract[N]['input']>;
export type ParsedInput<N extends CallName> = z.output<Contract[N]['input']>;
export type CallOutput<N extends CallName> = z.output<Contract[N]['output']>;

export function isCallName(name: string): name is CallName {
  return Object.prototype.hasOwnProperty.call(contract, name);
}

/** Events the backend pushes to every connected window. */
export interface EventMap {
  'ocr.progress': {
    pageId: number;
    documentId: string;
    dossierId: string | null;
    status: OcrStatus;
    /** 0..1 while running. */
    progress: number;
  };
  'dossier.changed': { dossierId: string | null; documentId: string };
}
export type EventName = keyof EventMap;
export const EVENT_NAMES: readonly EventName[] = ['ocr.progress', 'dossier.changed'];
