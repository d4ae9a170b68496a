import path from 'node:path';
import { parseArgs } from 'node:util';
import { AppFailure } from '../../../shared/api/errors';
import { openBackend } from '../../core/backend';
import { defaultDataDir } from '../../core/config/data-dir';
import { HotFolderService } from '../../core/hot-folder/hot-folder';
import { COMMON_OPTIONS } from '../options';

/**
 * `sohoa watch <folder>...`: a hot folder for this process only (a back office's scanner share),
 * files imported into the inbox and archived beside them, one JSON line per file with --json.
 * Runs until interrupted; the saved hot folders of the app are not touched.
 */
export async function watch(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({ args: argv, allowPositionals: true, options: { ...COMMON_OPTIONS } });
  if (positionals.length === 0) throw new AppFailure('VALIDATION', 'Hãy chỉ ra thư mục cần theo dõi.');
  const backend = await openBackend({ dataDir: values.data ?? defaultDataDir(), host: 'cli', watchHotFolders: false });
  const folders = positionals.map((folder) => path.resolve(folder));
  const service = new HotFolderService({
    db: backend.db,
    importFiles: (files, target) => backend.importFiles(files, target),
    folders,
    onSettled: (claim) => {
      const what =
        claim.status === 'imported'
          ? `${claim.pageCount ?? 0} trang`
          : claim.status === 'duplicate'
            ? 'đã có, không nhập lại'
            : `LỖI ${claim.error?.message ?? ''}`;
      process.stdout.write(values.json ? `${JSON.stringify(claim)}\n` : `${claim.name}: ${what}\n`);
    },
  });
  process.stderr.write(`Đang theo dõi / Watching: ${folders.join(', ')} (Ctrl+C để dừng)\n`);
  service.start();
  // The service's timer and watchers do not hold the process open (hosts stay up by themselves).
  const keepAlive = setInterval(() => undefined, 60_000);
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  clearInterval(keepAlive);
  await service.stop();
  await backend.close();
  return 0;
}
