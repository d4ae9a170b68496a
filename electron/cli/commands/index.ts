type Command = (argv: string[]) => Promise<number>;

/**
 * Every `sohoa` command: name → its module, loaded only when that command runs. Most commands open
 * the backend (about two CPU-seconds of module loading); `sohoa --help` and a mistyped command pay
 * none of it. Add a command by adding a line.
 */
export const COMMANDS: Record<string, () => Promise<Command>> = {
  audit: async () => (await import('./audit')).audit,
  backup: async () => (await import('./backup')).backup,
  catalog: async () => (await import('./catalog')).catalog,
  enrol: async () => (await import('./sync')).enrol,
  export: async () => (await import('./export')).exportCommand,
  ingest: async () => (await import('./ingest')).ingest,
  passphrase: async () => (await import('./passphrase')).passphrase,
  'purge-report': async () => (await import('./purge-report')).purgeReportCommand,
  receipt: async () => (await import('./receipt')).receipt,
  report: async () => (await import('./report')).report,
  restore: async () => (await import('./backup')).restore,
  search: async () => (await import('./search')).search,
  separators: async () => (await import('./separators')).separators,
  serve: async () => (await import('./serve')).serve,
  sync: async () => (await import('./sync')).sync,
  watch: async () => (await import('./watch')).watch,
};
