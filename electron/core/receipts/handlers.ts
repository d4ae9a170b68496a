import type { receiptCalls } from '../../../shared/api/calls/receipts';
import type { HandlerGroup } from '../dispatch';
import type { PdfExports } from '../pdf/pdf-exports';
import type { Services } from '../services';
import { issueReceipt } from './receipt-service';

/** `receipts.pdf`; the processing log records it as a print (audit/audited-calls.ts). */
export function receiptHandlers(services: Services, exports: PdfExports): HandlerGroup<typeof receiptCalls> {
  return {
    'receipts.pdf': (input, ctx) =>
      issueReceipt({ db: services.db, exports }, input, ctx.user?.displayName ?? ctx.user?.username ?? ''),
  };
}
