/**
 * Province of birth registration, coded as the first three digits of the personal ID number.
 * The table itself is data (assets/reference/cccd_province_prefixes.tsv), compiled into
 * provinces.generated.ts by scripts/gen-provinces.mjs because shared/ cannot read files.
 * Prefixes are unchanged by the 2025 province mergers for numbers already issued, so the names
 * are the pre-merger provinces on purpose.
 */
import { PROVINCE_PREFIX_ROWS, type ProvincePrefixRow } from './provinces.generated';

export type Province = ProvincePrefixRow;

/** Every known prefix, in the TSV's order. */
export const PROVINCES: readonly Province[] = PROVINCE_PREFIX_ROWS;

const byPrefix: ReadonlyMap<string, Province> = new Map(PROVINCES.map((p) => [p.prefix, p]));

/** The province for a 3-digit prefix such as `'079'`, or undefined if no such prefix exists. */
export function provinceByPrefix(prefix: string): Province | undefined {
  return byPrefix.get(prefix);
}
