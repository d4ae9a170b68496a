import { backup, restore } from './backup';
import { ingest } from './ingest';
import { search } from './search';
import { serve } from './serve';

/** Every `sohoa` command: name → run(argv) → exit code. Add a command by adding a line. */
export const COMMANDS: Record<string, (argv: string[]) => Promise<number>> = {
  backup,
  ingest,
  restore,
  search,
  serve,
};
