/** Sync with the central store: enrolment, status for the clerk, "sync now", files on demand. */
import { z } from 'zod';

const SyncProblem = z.object({ code: z.string(), message: z.string(), messageEn: z.string().optional() });

export const SyncStatus = z.object({
  /** This workstation holds a device credential for a sync server. */
  enrolled: z.boolean(),
  server: z.string().nullable(),
  unit: z.string().nullable(),
  deviceId: z.string().nullable(),
  /** Outbox rows waiting to be acknowledged by the server. */
  pending: z.number().int(),
  /** Rows the server refused as sent (kept, shown; retried with "sync now"). */
  refused: z.number().int(),
  lastSuccessAt: z.string().nullable(),
  lastAttemptAt: z.string().nullable(),
  /** The last run's error, cleared by a successful run. */
  lastError: SyncProblem.nullable(),
  running: z.boolean(),
  /** Documents of other counters known here (pulled or looked up), for reuse. */
  remoteDocuments: z.number().int(),
});
export type SyncStatus = z.infer<typeof SyncStatus>;

export const SyncSummary = z.object({
  pushed: z.number().int(),
  pulled: z.number().int(),
  pending: z.number().int(),
  errors: z.number().int(),
  /** The errors' messages (no personal data). */
  problems: z.array(SyncProblem),
});
export type SyncSummary = z.infer<typeof SyncSummary>;

export const syncCalls = {
  'sync.status': {
    input: z.object({}).default({}),
    output: SyncStatus,
  },
  'sync.now': {
    input: z.object({}).default({}),
    output: SyncSummary,
  },
  'sync.enrol': {
    input: z.object({
      server: z
        .string()
        .trim()
        .max(500)
        .regex(/^https?:\/\/[^\s/?#]+(:\d+)?\/?$/i, 'url'),
      code: z.string().trim().min(4).max(64),
      deviceName: z.string().trim().max(100).default(''),
    }),
    output: SyncStatus,
  },
  /** Fetches the files of a document digitized elsewhere and makes it a local document. */
  'sync.fetchDocument': {
    input: z.object({ documentId: z.string().min(1).max(128) }),
    output: z.object({ documentId: z.string(), pageIds: z.array(z.number().int()) }),
  },
} as const;
