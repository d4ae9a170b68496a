import { parseArgs } from 'node:util';
import { vietnamClock } from '../../../shared/api/calls/privacy';
import { openBackend } from '../../core/backend';
import { defaultDataDir } from '../../core/config/data-dir';
import { purgeReport } from '../../core/privacy/purge';
import { COMMON_OPTIONS } from '../options';

/**
 * `sohoa purge-report [--from YYYY-MM-DD] [--to YYYY-MM-DD] [--json]`: the dossiers purged in
 * postal processor mode (Vietnam days), under the unit's contract reference.
 */
export async function purgeReportCommand(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: { ...COMMON_OPTIONS, from: { type: 'string' }, to: { type: 'string' } },
  });
  const backend = await openBackend({ dataDir: values.data ?? defaultDataDir(), host: 'cli', runOcr: false });
  try {
    const report = purgeReport(backend.db, { from: values.from, to: values.to });
    if (values.json) {
      process.stdout.write(`${JSON.stringify(report)}\n`);
      return 0;
    }
    const out: string[] = [
      `Hợp đồng xử lý dữ liệu: ${report.contractRef || '(chưa ghi)'}${report.processorMode ? '' : ' — chế độ bên xử lý đang tắt'}`,
      `Đã xoá bản sao của ${report.totals.dossiers} hồ sơ, ${report.totals.documents} giấy tờ, ${report.totals.pages} trang.`,
    ];
    for (const row of report.rows)
      out.push(
        `${vietnamClock(row.startedAt)}  ${row.dossierCode}  ${row.documents} giấy tờ, ${row.pages} trang, ` +
          `${row.filesRemoved} tệp đã xoá${row.filesShared ? `, ${row.filesShared} tệp dùng chung giữ lại` : ''}` +
          `  ${row.state === 'done' ? 'xong' : 'đang xoá tệp'}  (${row.actor})`,
      );
    process.stdout.write(`${out.join('\n')}\n`);
    return 0;
  } finally {
    await backend.close();
  }
}
