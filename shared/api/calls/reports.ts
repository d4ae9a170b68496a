/** Supervisor reports: the 766 digitization indicators for a period, and what is missing. */
import { z } from 'zod';
import { INDICATOR_MEASURES, REPORT_GROUPINGS } from '../../domain/scorecard';
import { ExportFile } from './exports';

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
      /** Colour mode as the archival PDF keeps the page (seals and signatures in colour, or not). */
      pagesColour: z.number().int(),
      pagesGreyscale: z.number().int(),
      pagesBilevel: z.number().int(),
      /** Pages whose image could not be read to tell. */
      pagesUnknownColour: z.number().int(),
      /** Scans redoing an earlier scan of the same component that was rejected or taken off. */
      rescans: z.number().int(),
      rejectedPages: z.number().int(),
      /** Median over the dossiers worked on, from reception to digitized; null: none digitized yet. */
      medianHoursToDigitized: z.number().nullable(),
    }),
  ),
});
export type PostalWorkload = z.infer<typeof PostalWorkload>;

/** What a number on the dashboard counts: the indicator facts, or one of the missing lists. */
export const DRILL_MEASURES = [
  'received',
  'digitized',
  'reused',
  'resultsDigitized',
  'linkedToStore',
  'withoutFiles',
  'resultsNotDigitized',
  'missedReuse',
  'pendingApproval',
] as const;
export type DrillMeasure = (typeof DRILL_MEASURES)[number];

/** Which dossiers a number counts: the period, optionally one group of a grouping, and the measure. */
export const DrillDownInput = ReportPeriodInput.extend({
  by: z.enum(REPORT_GROUPINGS).optional(),
  /** The group's name as the indicator rows show it; with `by` only. */
  group: z.string().max(300).optional(),
  measure: z.enum(DRILL_MEASURES).default('received'),
  offset: z.number().int().min(0).default(0),
  limit: z.number().int().min(1).max(500).default(50),
});

export const DrillDownRow = z.object({
  dossierId: z.string(),
  code: z.string(),
  procedureCode: z.string(),
  procedureName: z.string(),
  channel: z.string(),
  unit: z.string(),
  /** Who received it; '' when not recorded. */
  clerk: z.string(),
  receivedAt: z.string(),
  /** Which indicator facts hold; null for a dossier outside the period (a pending approval). */
  facts: z
    .object({
      digitized: z.boolean(),
      reused: z.boolean(),
      resultDigitized: z.boolean(),
      linkedToStore: z.boolean(),
    })
    .nullable(),
});
export type DrillDownRow = z.infer<typeof DrillDownRow>;

export const DrillDown = z.object({
  /** Every dossier the number counts (the rows are one page of them, oldest first). */
  total: z.number().int(),
  offset: z.number().int(),
  rows: z.array(DrillDownRow),
});
export type DrillDown = z.infer<typeof DrillDown>;

export const TrendInput = ReportPeriodInput.extend({
  by: z.enum(REPORT_GROUPINGS).optional(),
  group: z.string().max(300).optional(),
});

export const Trend = z.object({
  from: z.string(),
  to: z.string(),
  /** The scorecard's indicators with what each counts (the chart draws one rate per indicator). */
  indicators: z.array(
    IndicatorReport.shape.scorecard.shape.indicators.element.extend({ measure: z.enum(INDICATOR_MEASURES) }),
  ),
  /** One row per calendar month (Vietnam time) touching the period, oldest first, empty months too. */
  months: z.array(
    z.object({
      month: z.string(),
      /** The part of the month inside the period. */
      from: z.string(),
      to: z.string(),
      row: IndicatorRowSchema,
    }),
  ),
});
export type Trend = z.infer<typeof Trend>;

/** What the dashboard shows, as a CSV file: each table on screen. */
export const ReportCsvInput = z.discriminatedUnion('kind', [
  ReportPeriodInput.extend({ kind: z.literal('indicators'), by: z.enum(REPORT_GROUPINGS).optional() }),
  TrendInput.extend({ kind: z.literal('trend') }),
  DrillDownInput.omit({ offset: true, limit: true }).extend({ kind: z.literal('drillDown') }),
  ReportPeriodInput.extend({ kind: z.literal('missing') }),
]);

const Month = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'YYYY-MM');

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
  'reports.trend': { input: TrendInput, output: Trend },
  'reports.drillDown': { input: DrillDownInput, output: DrillDown },
  /** A table of the dashboard as CSV (UTF-8 with BOM), offered as a download. */
  'reports.csv': { input: ReportCsvInput, output: ExportFile },
  'reports.postalWorkloadCsv': {
    input: ReportPeriodInput.extend({ per: z.enum(['day', 'month']).default('day') }),
    output: ExportFile,
  },
  /** The monthly report in Vietnamese with its charts, as a PDF download. */
  'reports.monthlyPdf': { input: z.object({ month: Month }), output: ExportFile },
} as const;
