/**
 * Personal data: the postal processor's purge of confirmed dossiers and its report, and citizens'
 * requests about their data (access/export, restriction, deletion) answered within 72 hours.
 */
import { z } from 'zod';
import { ExportFile } from './exports';

/** A citizen's request must be answered within this many hours (DOMAIN.md, "Personal data"). */
export const REQUEST_LIMIT_HOURS = 72;
const VIETNAM_OFFSET = '+07:00';

/**
 * An instant from what a form or the CLI gives: an ISO time with `Z` or an offset, or a Vietnam
 * wall-clock time `YYYY-MM-DDTHH:mm[:ss]` (the counter's clock, Asia/Ho_Chi_Minh, no DST).
 * Null when it is not a real time.
 */
export function parseVietnamInstant(raw: string): Date | null {
  const text = raw.trim();
  const local = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?$/.test(text);
  const zoned = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})$/.test(text);
  if (!local && !zoned) return null;
  // Date.parse rolls 30 February over into March: check the calendar and clock fields first.
  const [year, month, day, hour, minute] = [0, 5, 8, 11, 14].map((at) => Number(text.slice(at, at === 0 ? 4 : at + 2)));
  const calendar = new Date(Date.UTC(year ?? 0, (month ?? 0) - 1, day ?? 0));
  if (calendar.getUTCMonth() !== (month ?? 0) - 1 || calendar.getUTCDate() !== day) return null;
  if ((hour ?? 0) > 23 || (minute ?? 0) > 59) return null;
  const ms = Date.parse(local ? `${text}${VIETNAM_OFFSET}` : text);
  return Number.isNaN(ms) ? null : new Date(ms);
}

/** When a request received at `receivedAt` must be answered. */
export function requestDueAt(receivedAt: Date): Date {
  return new Date(receivedAt.getTime() + REQUEST_LIMIT_HOURS * 3_600_000);
}

/** `YYYY-MM-DD HH:mm` in Vietnam time, for screens and the CLI. */
export function vietnamClock(iso: string): string {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) return iso;
  return new Date(ms + 7 * 3_600_000).toISOString().slice(0, 16).replace('T', ' ');
}

export const RequestKind = z.enum(['access', 'restriction', 'deletion']);
export type RequestKind = z.infer<typeof RequestKind>;
export const RequestStatus = z.enum(['open', 'done', 'refused']);

const CitizenIdInput = z.string().trim().max(64);
const RequestId = z.string().min(1).max(64);

export const ProcessorSettings = z.object({
  processorMode: z.boolean(),
  contractRef: z.string(),
});
export type ProcessorSettings = z.infer<typeof ProcessorSettings>;

export const PurgeRow = z.object({
  dossierId: z.string(),
  dossierCode: z.string(),
  contractRef: z.string(),
  state: z.enum(['files', 'done']),
  documents: z.number().int(),
  pages: z.number().int(),
  filesRemoved: z.number().int(),
  filesShared: z.number().int(),
  actor: z.string(),
  startedAt: z.string(),
  doneAt: z.string().nullable(),
});
export type PurgeRow = z.infer<typeof PurgeRow>;

export const PurgeReport = z.object({
  contractRef: z.string(),
  processorMode: z.boolean(),
  from: z.string().nullable(),
  to: z.string().nullable(),
  rows: z.array(PurgeRow),
  totals: z.object({ dossiers: z.number().int(), documents: z.number().int(), pages: z.number().int() }),
});
export type PurgeReport = z.infer<typeof PurgeReport>;

export const CitizenRequest = z.object({
  id: z.string(),
  citizenId: z.string(),
  kind: RequestKind,
  receivedAt: z.string(),
  dueAt: z.string(),
  legalBasis: z.string(),
  notes: z.string(),
  status: RequestStatus,
  outcome: z.string().nullable(),
  createdBy: z.string(),
  closedBy: z.string().nullable(),
  closedAt: z.string().nullable(),
  /** Open past its due time (or closed after it). */
  overdue: z.boolean(),
  /** Hours left before the due time (negative once overdue); null once closed. */
  hoursLeft: z.number().nullable(),
  restricted: z.boolean(),
});
export type CitizenRequest = z.infer<typeof CitizenRequest>;

export const CitizenHoldings = z.object({
  citizenId: z.string(),
  dossiers: z.array(z.object({ id: z.string(), code: z.string(), status: z.string(), createdAt: z.string() })),
  documents: z.number().int(),
  pages: z.number().int(),
  unfiledDocuments: z.number().int(),
  processingLogEntries: z.number().int(),
  restricted: z.boolean(),
});
export type CitizenHoldings = z.infer<typeof CitizenHoldings>;

export const DeletionOutcome = z.object({
  deletedDocuments: z.number().int(),
  deletedPages: z.number().int(),
  filesQueued: z.number().int(),
  /** Dossier codes kept under the agency's duty to keep case files. */
  keptDossiers: z.array(z.string()),
  /** Vietnamese account of what was done and what was kept (stored as the request's outcome). */
  outcome: z.string(),
});
export type DeletionOutcome = z.infer<typeof DeletionOutcome>;

export const privacyCalls = {
  'privacy.processorSettings': {
    input: z.object({}).default({}),
    output: ProcessorSettings,
  },
  'privacy.setProcessor': {
    input: z.object({ processorMode: z.boolean(), contractRef: z.string().trim().max(120) }),
    output: ProcessorSettings,
  },
  /** Purges every dossier the central store confirmed (processor mode), and finishes interrupted purges. */
  'privacy.purgeNow': {
    input: z.object({}).default({}),
    output: z.object({ purged: z.number().int(), filesRemoved: z.number().int() }),
  },
  'privacy.purgeReport': {
    input: z.object({
      from: z
        .string()
        .regex(/^\d{4}-\d{2}-\d{2}$/)
        .optional(),
      to: z
        .string()
        .regex(/^\d{4}-\d{2}-\d{2}$/)
        .optional(),
    }),
    output: PurgeReport,
  },
  'privacy.listRequests': {
    input: z.object({ status: z.enum(['open', 'all']).default('all') }).default({ status: 'all' }),
    output: z.array(CitizenRequest),
  },
  'privacy.createRequest': {
    input: z.object({
      citizenId: CitizenIdInput,
      kind: RequestKind,
      /** ISO time, or Vietnam wall-clock `YYYY-MM-DDTHH:mm`; default now. */
      receivedAt: z.string().trim().max(40).optional(),
      legalBasis: z.string().trim().max(500),
      notes: z.string().trim().max(2000).default(''),
    }),
    output: CitizenRequest,
  },
  'privacy.closeRequest': {
    input: z.object({
      id: RequestId,
      status: z.enum(['done', 'refused']),
      outcome: z.string().trim().max(2000).default(''),
    }),
    output: CitizenRequest,
  },
  /** What is held about the request's citizen (counts and dossier codes). */
  'privacy.holdings': {
    input: z.object({ requestId: RequestId }),
    output: CitizenHoldings,
  },
  'privacy.exportCitizen': {
    input: z.object({ requestId: RequestId, format: z.enum(['pdf', 'zip']) }),
    output: ExportFile,
  },
  'privacy.restrict': {
    input: z.object({ requestId: RequestId }),
    output: CitizenRequest,
  },
  'privacy.liftRestriction': {
    input: z.object({ requestId: RequestId }),
    output: CitizenRequest,
  },
  'privacy.deleteCitizenData': {
    input: z.object({ requestId: RequestId }),
    output: DeletionOutcome,
  },
} as const;
