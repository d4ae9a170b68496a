import { readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { AppFailure } from '../../../shared/api/errors';
import { INDICATOR_MEASURES, type Scorecard } from '../../../shared/domain/scorecard';

/** The versioned scorecard file (weights and thresholds change by decision), under the assets folder. */
export const SCORECARD_FILE = path.join('reference', 'scorecard-766.json');

const ScorecardFile = z.object({
  version: z.number().int().min(1),
  decision: z.string().trim().min(1).max(100),
  decisionNote: z.string().max(2000),
  effectiveFrom: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
  indicators: z
    .array(
      z.object({
        id: z.string().regex(/^\d+\.\d+$/),
        measure: z.enum(INDICATOR_MEASURES),
        nameVi: z.string().trim().min(1).max(200),
        nameEn: z.string().trim().min(1).max(200),
        maxPoints: z.number().finite().positive().max(100),
        // The rate at which the indicator earns full points; below it points scale linearly.
        fullPointsAt: z.number().finite().gt(0).max(1),
        counts: z.string().max(1000),
      }),
    )
    .min(1)
    .refine((list) => new Set(list.map((i) => i.id)).size === list.length, { message: 'indicator ids repeat' })
    .refine((list) => new Set(list.map((i) => i.measure)).size === list.length, { message: 'measures repeat' }),
});

/** Parses and checks scorecard data; a broken file is refused with where it is broken. */
export function parseScorecard(raw: unknown): Scorecard {
  const parsed = ScorecardFile.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue?.path.join('.') ?? '';
    throw new AppFailure(
      'INTERNAL',
      `Tệp chỉ số ${SCORECARD_FILE} không hợp lệ ở “${where}”: ${issue?.message ?? ''}`,
      `The scorecard file ${SCORECARD_FILE} is invalid at "${where}": ${issue?.message ?? ''}`,
    );
  }
  return parsed.data;
}

export function loadScorecard(assetsDir: string): Scorecard {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path.join(assetsDir, SCORECARD_FILE), 'utf8'));
  } catch {
    throw new AppFailure(
      'INTERNAL',
      `Không đọc được tệp chỉ số ${SCORECARD_FILE}.`,
      `Cannot read the scorecard file ${SCORECARD_FILE}.`,
    );
  }
  return parseScorecard(raw);
}
