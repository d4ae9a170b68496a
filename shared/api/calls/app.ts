/** The app itself and its background work. */
import { z } from 'zod';

export const OcrQueueStatus = z.object({
  queued: z.number().int(),
  running: z.number().int(),
  done: z.number().int(),
  failed: z.number().int(),
  /** Seconds the queued and running pages still need at the recent pace; null while unknown. */
  secondsLeft: z.number().int().nonnegative().nullable(),
});

export const appCalls = {
  'app.info': {
    input: z.object({}).default({}),
    output: z.object({ version: z.string(), host: z.enum(['desktop', 'browser', 'cli']) }),
  },
  'ocr.status': {
    input: z.object({}).default({}),
    output: OcrQueueStatus,
  },
} as const;
