/**
 * A hot-folder process that kills itself (SIGKILL: no cleanup, like a power cut) right after a
 * named step of its first claim. Used by tests/integration/hot-folder.test.ts:
 *   node --import tsx tests/support/hot-folder-child.ts <dataDir> <folder> <step>
 */
import { openBackend } from '../../electron/core/backend';
import { HotFolderService, type ClaimStep } from '../../electron/core/hot-folder/hot-folder';
import { JobQueue } from '../../electron/core/jobs/job-queue';
import { importFile } from '../../electron/core/pages/page-import';

const [dataDir, folder, step] = process.argv.slice(2) as [string, string, ClaimStep];
const backend = await openBackend({ dataDir, host: 'cli', runOcr: false, watchHotFolders: false });
const jobs = new JobQueue(backend.db);
const service = new HotFolderService({
  db: backend.db,
  importFiles: async (files, target) => {
    const outcomes = [];
    for (const { file, name } of files)
      outcomes.push(await importFile({ db: backend.db, store: backend.store, jobs }, file, name, target));
    return outcomes;
  },
  folders: [folder],
  quietMs: 0,
  afterStep: (reached) => {
    if (reached === step) process.kill(process.pid, 'SIGKILL');
  },
});
await service.scanOnce();
await service.scanOnce();
// Not reached when the step happened: the process is gone.
process.stdout.write('step not reached\n');
await backend.close();
