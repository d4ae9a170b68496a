import { audit } from './audit';
import { backup, restore } from './backup';
import { catalog } from './catalog';
import { exportCommand } from './export';
import { ingest } from './ingest';
import { passphrase } from './passphrase';
import { purgeReportCommand } from './purge-report';
import { receipt } from './receipt';
import { report } from './report';
import { search } from './search';
import { separators } from './separators';
import { serve } from './serve';
import { enrol, sync } from './sync';
import { watch } from './watch';

/** Every `sohoa` command: name → run(argv) → exit code. Add a command by adding a line. */
export const COMMANDS: Record<string, (argv: string[]) => Promise<number>> = {
  audit,
  backup,
  catalog,
  enrol,
  export: exportCommand,
  ingest,
  passphrase,
  'purge-report': purgeReportCommand,
  receipt,
  report,
  restore,
  search,
  separators,
  serve,
  sync,
  watch,
};
