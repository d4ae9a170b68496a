/**
 * The backend's log, on stderr (stdout is the CLI's data channel). Callers pass ids and codes,
 * never a citizen's ID number, name or document text: logs leave the counter in support tickets.
 */
type Level = 'debug' | 'info' | 'warn' | 'error';

const ORDER: Record<Level, number> = { debug: 10, info: 20, warn: 30, error: 40 };
const threshold = ORDER[(process.env.SOHOA_LOG_LEVEL as Level | undefined) ?? 'info'] ?? ORDER.info;

function write(level: Level, scope: string, message: string, error?: unknown): void {
  if (ORDER[level] < threshold) return;
  // Only the error's class and message: a stack's file paths may carry a scanned file's name.
  const cause = error instanceof Error ? ` (${error.name}: ${error.message})` : '';
  process.stderr.write(`${new Date().toISOString()} ${level.toUpperCase()} [${scope}] ${message}${cause}\n`);
}

export const log = {
  debug: (scope: string, message: string) => write('debug', scope, message),
  info: (scope: string, message: string) => write('info', scope, message),
  warn: (scope: string, message: string, error?: unknown) => write('warn', scope, message, error),
  error: (scope: string, message: string, error?: unknown) => write('error', scope, message, error),
};
