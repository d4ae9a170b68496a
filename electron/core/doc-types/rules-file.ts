import { readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { AppFailure } from '../../../shared/api/errors';
import { DOC_TYPE_SIGNALS, type DocTypeRuleSet } from '../../../shared/domain/doc-types';

/** The data file with the document types and their rules, under the assets folder. */
export const DOC_TYPES_FILE = path.join('reference', 'document-types.json');

const Rule = z
  .object({
    phrase: z.string().trim().min(1).max(200).optional(),
    signal: z.enum(DOC_TYPE_SIGNALS).optional(),
    weight: z.number().finite().min(-100).max(100),
    titleWeight: z.number().finite().min(-100).max(100).optional(),
  })
  .refine((rule) => (rule.phrase === undefined) !== (rule.signal === undefined), {
    message: 'a rule has either a phrase or a signal',
  });

const RuleSet = z.object({
  version: z.number().int().min(1),
  titleLines: z.number().int().min(1).max(100),
  minScore: z.number().finite(),
  types: z
    .array(
      z.object({
        code: z.string().regex(/^[a-z0-9][a-z0-9._-]{0,63}$/),
        nameVi: z.string().trim().min(1).max(200),
        nameEn: z.string().trim().min(1).max(200),
        rules: z.array(Rule).max(500),
      }),
    )
    .min(1)
    .refine((types) => new Set(types.map((t) => t.code)).size === types.length, { message: 'type codes repeat' }),
});

/**
 * Reads and checks the document-type rules. A broken file is refused with the reason (the app
 * cannot suggest types without it, and guessing would hide an administrator's typo).
 */
export function loadDocTypeRules(assetsDir: string): DocTypeRuleSet {
  const file = path.join(assetsDir, DOC_TYPES_FILE);
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new AppFailure(
      'INTERNAL',
      `Không đọc được tệp loại giấy tờ ${DOC_TYPES_FILE}: ${error instanceof Error ? error.message : String(error)}`,
      `Cannot read the document types file ${DOC_TYPES_FILE}.`,
    );
  }
  const parsed = RuleSet.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue?.path.join('.') ?? '';
    throw new AppFailure(
      'INTERNAL',
      `Tệp loại giấy tờ ${DOC_TYPES_FILE} không hợp lệ ở “${where}”: ${issue?.message ?? ''}`,
      `The document types file ${DOC_TYPES_FILE} is invalid at “${where}”: ${issue?.message ?? ''}`,
    );
  }
  return parsed.data;
}
