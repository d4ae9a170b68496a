/** Paper size classes for norm-based invoicing of scanning work, from pixel size and resolution. */
export type PageSizeClass = 'a4' | 'a3' | 'larger' | 'unknown';

const MM_PER_INCH = 25.4;
// A little tolerance: scanners add margins, and A4 scanned on a letter bed is still A4 work.
const A4_LONG_MM = 297 * 1.05;
const A3_LONG_MM = 420 * 1.05;

/** A4 or smaller, A3, or larger, by the long side; unknown without a resolution. */
export function pageSizeClass(width: number, height: number, dpi: number | null): PageSizeClass {
  if (dpi === null || !(dpi > 0) || !(width > 0) || !(height > 0)) return 'unknown';
  const longMm = (Math.max(width, height) / dpi) * MM_PER_INCH;
  if (longMm <= A4_LONG_MM) return 'a4';
  if (longMm <= A3_LONG_MM) return 'a3';
  return 'larger';
}
