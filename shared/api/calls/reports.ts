/** Supervisor reports: the 766 digitization indicators for a period, and what is missing. */
import { z } from 'zod';
import { REPORT_GROUPINGS } from '../../domain/scorecard';

const Day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'YYYY-MM-DD');

export const ReportPeriodInput = z.object({
  /** First and last day, inclusive, counted in Vietnam's time zone. */
  from: Day,
  to: Day,
});

export const IndicatorRowSchema = z.object({
  group: z.string(),
  received: z.number().int(),
  digitized: z.number().int(),
  digitizedRate: z.number().nullable(),
  reused: z.number().int(),
  reusedRate: z.number().nullable(),
  resultsDigitized: z.number().int(),
  resultsDigitizedRate: z.number().nullable(),
  linkedToStore: z.number().int(),
  linkedToStoreRate: z.number().nullable(),
  /** Points per indicator id ("4.1"…) and `total`; null: not measured or no dossier. */
  points: z.record(z.string(), z.number().nullable()),
});

export const IndicatorReport = z.object({
  from: z.string(),
  to: z.string(),
  by: z.enum(REPORT_GROUPINGS).nullable(),
  scorecard: z.object({
    version: z.number().int(),
    decision: z.string(),
    indicators: z.array(
      z.object({
        id: z.string(),
        nameVi: z.string(),
        nameEn: z.string(),
        maxPoints: z.number(),
        fullPointsAt: z.number(),
        /** false: SoHoa does not record what this indicator counts; it scores null. */
        measured: z.boolean(),
      }),
    ),
  }),
  groups: z.array(IndicatorRowSchema),
  /** Every dossier of the period in one row. */
  total: IndicatorRowSchema,
});
export type IndicatorReport = z.infer<typeof IndicatorReport>;

const MissingDossier = z.object({
  dossierId: z.string(),
  code: z.string(),
  procedureCode: z.string(),
  status: z.string(),
  receivedAt: z.string(),
});

export const MissingReport = z.object({
  /** Received in the period with components that have no file yet. */
  withoutFiles: z.array(MissingDossier.extend({ componentsWithoutFile: z.number().int() })),
  /** A paper result recorded without its scan. */
  resultsNotDigitized: z.array(MissingDossier.extend({ resultCode: z.string() })),
  /** Scanned although a valid digitized document of the same type and citizen already existed. */
  missedReuse: z.array(
    z.object({
      dossierId: z.string(),
      dossierCode: z.string(),
      componentId: z.string(),
      componentName: z.string(),
      docType: z.string(),
      scannedDocumentId: z.string(),
      scannedAt: z.string(),
      existingDocumentId: z.string(),
    }),
  ),
  /** Scans waiting for a supervisor's decision now (whatever the period), oldest first. */
  pendingApproval: z.array(
    z.object({
      itemId: z.string(),
      dossierId: z.string(),
      dossierCode: z.string(),
      componentName: z.string(),
      documentId: z.string(),
      addedAt: z.string(),
    }),
  ),
});
export type MissingReport = z.infer<typeof MissingReport>;

export const PostalWorkload = z.object({
  from: z.string(),
  to: z.string(),
  per: z.enum(['day', 'month']),
  rows: z.array(
    z.object({
      /** Who attached the scans (the recorded actor). */
      operator: z.string(),
      /** YYYY-MM-DD or YYYY-MM, Vietnam time. */
      period: z.string(),
      dossiers: z.number().int(),
      documents: z.number().int(),
      pages: z.number().int(),
      pagesA4: z.number().int(),
      pagesA3: z.number().int(),
      pagesLarger: z.number().int(),
      /** Pages without a known resolution. */
      pagesUnknownSize: z.number().int(),
      /** Scans redoing an earlier scan of the same component that was rejected or taken off. */
      rescans: z.number().int(),
      rejectedPages: z.number().int(),
      /** Median over the dossiers worked on, from reception to digitized; null: none digitized yet. */
      medianHoursToDigitized: z.number().nullable(),
    }),
  ),
});
export type PostalWorkload = z.infer<typeof PostalWorkload>;

export const reportCalls = {
  'reports.indicators': {
    input: ReportPeriodInput.extend({ by: z.enum(REPORT_GROUPINGS).optional() }),
    output: IndicatorReport,
  },
  'reports.missing': {
    input: ReportPeriodInput.extend({ limit: z.number().int().min(1).max(5000).default(500) }),
    output: MissingReport,
  },
  'reports.postalWorkload': {
    input: ReportPeriodInput.extend({ per: z.enum(['day', 'month']).default('day') }),
    output: PostalWorkload,
  },
} as const;
