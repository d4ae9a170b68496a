import { createWriteStream } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import { parseArgs } from 'node:util';
import { ExportFile, IndicatorReport } from '../../../shared/api/contract';
import { AppFailure } from '../../../shared/api/errors';
import { REPORT_GROUPINGS, type ReportGrouping } from '../../../shared/domain/scorecard';
import { openBackend } from '../../core/backend';
import { defaultDataDir } from '../../core/config/data-dir';
import { indicatorReportCsv } from '../../core/reports/report-csv';
import { COMMON_OPTIONS } from '../options';

function isGrouping(value: string): value is ReportGrouping {
  return (REPORT_GROUPINGS as readonly string[]).includes(value);
}

const percent = (rate: number | null): string => (rate === null ? '—' : `${(rate * 100).toFixed(1)}%`);

/**
 * `sohoa report --from YYYY-MM-DD --to YYYY-MM-DD [--by unit|clerk|procedure|channel]`: the 766
 * indicators for the period. --json: one object per group; --csv: UTF-8 with BOM for Excel.
 * `sohoa report --month YYYY-MM --pdf OUT.pdf`: the monthly report in Vietnamese with its charts.
 */
export async function report(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      ...COMMON_OPTIONS,
      from: { type: 'string' },
      to: { type: 'string' },
      by: { type: 'string' },
      csv: { type: 'boolean', default: false },
      month: { type: 'string' },
      pdf: { type: 'string' },
    },
  });
  if (values.month !== undefined || values.pdf !== undefined) {
    return monthlyPdf(values.month, values.pdf, values.data);
  }
  if (!values.from || !values.to) {
    throw new AppFailure(
      'VALIDATION',
      'Cần --from và --to (YYYY-MM-DD, giờ Việt Nam).',
      'Both --from and --to are required (YYYY-MM-DD, Vietnam time).',
    );
  }
  if (values.by !== undefined && !isGrouping(values.by)) {
    throw new AppFailure(
      'VALIDATION',
      `--by phải là một trong: ${REPORT_GROUPINGS.join(', ')}.`,
      `--by must be one of: ${REPORT_GROUPINGS.join(', ')}.`,
    );
  }
  if (values.json && values.csv) {
    throw new AppFailure('VALIDATION', 'Chọn --json hoặc --csv, không cả hai.', 'Choose --json or --csv, not both.');
  }
  const by = values.by;
  const backend = await openBackend({ dataDir: values.data ?? defaultDataDir(), host: 'cli', runOcr: false });
  try {
    const result = await backend.call('reports.indicators', { from: values.from, to: values.to, by });
    if (!result.ok) throw new AppFailure(result.error.code, result.error.message, result.error.messageEn);
    const data = IndicatorReport.parse(result.value);
    if (values.csv) {
      process.stdout.write(indicatorReportCsv(data));
      return 0;
    }
    for (const g of data.groups) {
      const line = {
        group: g.group,
        received: g.received,
        digitized: g.digitized,
        digitizedRate: g.digitizedRate,
        reused: g.reused,
        reusedRate: g.reusedRate,
        resultsDigitized: g.resultsDigitized,
        linkedToStore: g.linkedToStore,
        points: g.points,
      };
      process.stdout.write(
        values.json
          ? `${JSON.stringify(line)}\n`
          : `${g.group}: tiếp nhận ${g.received}, số hóa ${g.digitized} (${percent(g.digitizedRate)}), ` +
              `tái sử dụng ${g.reused} (${percent(g.reusedRate)}), kết quả số hóa ${g.resultsDigitized}, ` +
              `kết nối kho ${g.linkedToStore}, điểm ${g.points.total ?? '—'}\n`,
      );
    }
    return 0;
  } finally {
    await backend.close();
  }
}

async function monthlyPdf(
  month: string | undefined,
  out: string | undefined,
  data: string | undefined,
): Promise<number> {
  if (!month || !/^\d{4}-(0[1-9]|1[0-2])$/.test(month) || !out) {
    throw new AppFailure(
      'VALIDATION',
      'Báo cáo tháng cần --month YYYY-MM và --pdf TỆP.pdf.',
      'The monthly report needs --month YYYY-MM and --pdf FILE.pdf.',
    );
  }
  const backend = await openBackend({ dataDir: data ?? defaultDataDir(), host: 'cli', runOcr: false });
  try {
    const result = await backend.call('reports.monthlyPdf', { month });
    if (!result.ok) throw new AppFailure(result.error.code, result.error.message, result.error.messageEn);
    const file = ExportFile.parse(result.value);
    const download = backend.exports.download(file.token);
    if (!download) throw new Error('the prepared report vanished before it was written');
    await pipeline(download.open(), createWriteStream(out));
    process.stdout.write(`${out}: ${file.pageCount} trang / pages\n`);
    return 0;
  } finally {
    await backend.close();
  }
}
