import type { reportCalls } from '../../../shared/api/calls/reports';
import type { Scorecard } from '../../../shared/domain/scorecard';
import { actorOf } from '../dossiers/lifecycle';
import type { CallContext, HandlerGroup } from '../dispatch';
import type { PdfExports } from '../pdf/pdf-exports';
import type { Services } from '../services';
import type { Db } from '../db/database';
import { drillDownRows, MISSING_LIST_CAP, trend } from './dashboard';
import { computeIndicators, missingItems } from './indicators';
import { monthlyReportData, renderMonthlyReportPdf } from './monthly-pdf';
import { postalWorkload } from './postal-workload';
import { drillDownCsv, indicatorReportCsv, missingCsv, trendCsv, workloadCsv } from './report-csv';

/**
 * A postal operator sees only their own work: the rows recorded under the actor their calls
 * record. Supervisors and admins see every operator.
 */
function ownOperator(db: Db, ctx: CallContext): string | undefined {
  return ctx.user?.role === 'postal' ? actorOf(db, ctx) : undefined;
}

const csvBytes = (text: string): Uint8Array => new TextEncoder().encode(text);

export function reportHandlers(
  { db, store }: Services,
  scorecard: Scorecard,
  exports: PdfExports,
): HandlerGroup<typeof reportCalls> {
  const offerCsv = (name: string, text: string) =>
    exports.offerFile(`${name}.csv`, 'text/csv; charset=utf-8', csvBytes(text));
  return {
    'reports.indicators': (input) => computeIndicators(db, scorecard, input),
    'reports.missing': (input) => missingItems(db, input),
    'reports.postalWorkload': (input, ctx) => postalWorkload(db, store, input, ownOperator(db, ctx)),
    'reports.postalWorkloadCsv': async (input, ctx) =>
      offerCsv(
        `khoi-luong-quet-${input.from}-${input.to}`,
        workloadCsv(await postalWorkload(db, store, input, ownOperator(db, ctx))),
      ),
    'reports.trend': (input) => trend(db, scorecard, input),
    'reports.drillDown': (input) => drillDownRows(db, input, { offset: input.offset, limit: input.limit }),
    'reports.csv': (input) => {
      const span = `${input.from}-${input.to}`;
      switch (input.kind) {
        case 'indicators':
          return offerCsv(
            `chi-so-766-${input.by ?? 'tong'}-${span}`,
            indicatorReportCsv(computeIndicators(db, scorecard, input)),
          );
        case 'trend':
          return offerCsv(`xu-huong-766-${span}`, trendCsv(trend(db, scorecard, input)));
        case 'drillDown':
          return offerCsv(`ho-so-${input.measure}-${span}`, drillDownCsv(drillDownRows(db, input)));
        case 'missing':
          return offerCsv(
            `viec-can-lam-${span}`,
            missingCsv(missingItems(db, { from: input.from, to: input.to, limit: MISSING_LIST_CAP })),
          );
      }
    },
    'reports.monthlyPdf': async (input) => {
      const { bytes, pageCount } = await renderMonthlyReportPdf(monthlyReportData(db, scorecard, input.month));
      return exports.offerPdf(`bao-cao-so-hoa-${input.month}.pdf`, bytes, pageCount);
    },
  };
}
