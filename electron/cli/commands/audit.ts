import { parseArgs } from 'node:util';
import { AppFailure } from '../../../shared/api/errors';
import { verifyProcessingLog } from '../../core/audit/processing-log';
import { openBackend } from '../../core/backend';
import { defaultDataDir } from '../../core/config/data-dir';
import { COMMON_OPTIONS } from '../options';

/** `sohoa audit verify`: walks the processing log's hash chain; exit 1 names the first broken entry. */
export async function audit(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({ args: argv, allowPositionals: true, options: COMMON_OPTIONS });
  if (positionals[0] !== 'verify')
    throw new AppFailure(
      'VALIDATION',
      'Cách dùng: sohoa audit verify [--data DIR] [--json]',
      'Usage: sohoa audit verify',
    );
  const backend = await openBackend({ dataDir: values.data ?? defaultDataDir(), host: 'cli', runOcr: false });
  try {
    const check = verifyProcessingLog(backend.db);
    if (values.json) process.stdout.write(`${JSON.stringify(check)}\n`);
    else if (check.ok) process.stdout.write(`Nhật ký xử lý nguyên vẹn: ${check.entries} mục.\n`);
    else
      process.stdout.write(
        `Nhật ký xử lý bị sửa đổi: mục đầu tiên hỏng là số ${check.firstBroken} (${check.reason}); đã kiểm ${check.entries} mục.\n`,
      );
    return check.ok ? 0 : 1;
  } finally {
    await backend.close();
  }
}
