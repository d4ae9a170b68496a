/** The reception receipt (Mẫu 01, Giấy tiếp nhận hồ sơ và hẹn trả kết quả): an A5 PDF to print. */
import { z } from 'zod';
import { ExportFile } from './exports';
import { DossierId } from './ids';

/** Optional text the clerk adds at the counter; blank means "leave the dotted line". */
const CounterText = z.string().trim().max(200).optional();

export const receiptCalls = {
  'receipts.pdf': {
    input: z.object({
      dossierId: DossierId,
      /** Who hands the dossier in, when not the owner (a relative, an authorized person). */
      submitter: CounterText,
      phone: z.string().trim().max(30).optional(),
      address: CounterText,
    }),
    output: ExportFile,
  },
} as const;
