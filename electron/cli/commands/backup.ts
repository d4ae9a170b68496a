import { parseArgs } from 'node:util';
import { AppFailure } from '../../../shared/api/errors';
import { openBackend } from '../../core/backend';
import { backupTo, restoreFrom } from '../../core/backup/backup';
import { defaultDataDir } from '../../core/config/data-dir';

/** `sohoa backup --to DIR`: a consistent copy of the database and the file store, verified by hash. */
export async function backup(argv: string[]): Promise<number> {
  const { values } = parseArgs({ args: argv, options: { data: { type: 'string' }, to: { type: 'string' } } });
  if (!values.to) throw new AppFailure('VALIDATION', 'Cần --to THƯ_MỤC để sao lưu.', 'Give --to DIR.');
  const backend = await openBackend({ dataDir: values.data ?? defaultDataDir(), host: 'cli', runOcr: false });
  try {
    const summary = await backupTo(backend.db, backend.store, values.to);
    process.stdout.write(`${JSON.stringify(summary)}\n`);
    return 0;
  } finally {
    await backend.close();
  }
}

/** `sohoa restore --from DIR`: into a data folder that has no SoHoa data yet. */
export async function restore(argv: string[]): Promise<number> {
  const { values } = parseArgs({ args: argv, options: { data: { type: 'string' }, from: { type: 'string' } } });
  if (!values.from) throw new AppFailure('VALIDATION', 'Cần --from THƯ_MỤC để khôi phục.', 'Give --from DIR.');
  // The backup's files stay encrypted: its key file opens with the data passphrase it was made with.
  const summary = await restoreFrom(values.from, values.data ?? defaultDataDir(), {
    passphrase: process.env.SOHOA_PASSPHRASE ?? null,
  });
  process.stdout.write(`${JSON.stringify(summary)}\n`);
  return 0;
}
