import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { AppFailure } from '../../../shared/api/errors';
import { openBackend } from '../../core/backend';
import { defaultDataDir } from '../../core/config/data-dir';
import { COMMON_OPTIONS } from '../options';

/** `sohoa enrol --server URL --code CODE`: registers this workstation with the sync server. */
export async function enrol(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      ...COMMON_OPTIONS,
      server: { type: 'string' },
      code: { type: 'string' },
      name: { type: 'string' },
      ca: { type: 'string' },
    },
  });
  if (!values.server || !values.code) {
    throw new AppFailure(
      'VALIDATION',
      'Cần --server (địa chỉ máy chủ đồng bộ) và --code (mã đăng ký).',
      'Both --server (the sync server address) and --code (the enrolment code) are required.',
    );
  }
  const ca = values.ca ? await readFile(values.ca, 'utf8') : null;
  const backend = await openBackend({ dataDir: values.data ?? defaultDataDir(), host: 'cli', runOcr: false });
  try {
    const status = await backend.sync.enrol({
      server: values.server,
      code: values.code,
      deviceName: values.name ?? '',
      ca,
    });
    const line = { enrolled: status.enrolled, server: status.server, unit: status.unit, deviceId: status.deviceId };
    process.stdout.write(
      values.json
        ? `${JSON.stringify(line)}\n`
        : `Đã đăng ký máy trạm ${status.deviceId} (đơn vị ${status.unit}) với ${status.server}.\n`,
    );
    return 0;
  } finally {
    await backend.close();
  }
}

/**
 * `sohoa sync`: one full push and pull. With --json, one line `{"pushed","pulled","pending","errors"}`;
 * the errors' messages go to stderr. The exit code is 1 when anything went wrong.
 */
export async function sync(argv: string[]): Promise<number> {
  const { values } = parseArgs({ args: argv, options: COMMON_OPTIONS });
  const backend = await openBackend({ dataDir: values.data ?? defaultDataDir(), host: 'cli', runOcr: false });
  try {
    const summary = await backend.sync.runOnce();
    for (const problem of summary.problems) process.stderr.write(`Lỗi đồng bộ: ${problem.message}\n`);
    const { pushed, pulled, pending, errors } = summary;
    process.stdout.write(
      values.json
        ? `${JSON.stringify({ pushed, pulled, pending, errors })}\n`
        : `Đã gửi ${pushed}, đã nhận ${pulled}, còn chờ gửi ${pending}, lỗi ${errors}.\n`,
    );
    return errors === 0 ? 0 : 1;
  } finally {
    await backend.close();
  }
}
