import { createWriteStream } from 'node:fs';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { parseArgs } from 'node:util';
import type { ExportFile } from '../../shared/api/contract';
import type { Result } from '../../shared/api/errors';
import { AppFailure } from '../../shared/api/errors';
import { openBackend, type Backend } from '../core/backend';
import { defaultDataDir } from '../core/config/data-dir';
import { writeWhole } from './commands/export';
import { COMMON_OPTIONS } from './options';

/** What a `<dossier> --pdf OUT.pdf` command makes: the call that renders the PDF and the line it prints. */
export interface DossierPdfCommand<K extends string> {
  /** Names the output in the JSON line (`kind`) and in an internal error. */
  kind: string;
  /** Extra string options besides --pdf, --data and --json. */
  options: readonly K[];
  render: (backend: Backend, dossierId: string, options: Partial<Record<K, string>>) => Promise<Result<unknown>>;
  /** The human line after `<file>: ` (without --json). */
  describe: (file: ExportFile) => string;
}

/**
 * The shared steps of `sohoa <command> <dossierId|dossierCode> --pdf OUT.pdf`: check the arguments,
 * render through a call (so the processing log records it as in the app) and write the file whole.
 */
export async function runDossierPdfCommand<K extends string>(
  argv: string[],
  command: DossierPdfCommand<K>,
): Promise<number> {
  const extra = Object.fromEntries(command.options.map((name) => [name, { type: 'string' as const }]));
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { ...extra, ...COMMON_OPTIONS, pdf: { type: 'string' } },
  });
  const [id] = positionals;
  if (!id || positionals.length > 1)
    throw new AppFailure('VALIDATION', 'Hãy chỉ ra đúng một mã hồ sơ.', 'Name exactly one dossier.');
  if (!values.pdf)
    throw new AppFailure(
      'VALIDATION',
      'Hãy chỉ ra tệp kết quả: --pdf TỆP.pdf.',
      'Name the output file: --pdf FILE.pdf.',
    );
  const given: Record<string, string | boolean | undefined> = values;
  const options: Partial<Record<K, string>> = {};
  for (const name of command.options) {
    const value = given[name];
    if (typeof value === 'string') options[name] = value;
  }

  const backend = await openBackend({ dataDir: values.data ?? defaultDataDir(), host: 'cli', runOcr: false });
  try {
    const target = backend.exports.resolve(id);
    if (target?.kind !== 'dossier')
      throw new AppFailure('NOT_FOUND', 'Không tìm thấy hồ sơ nào có mã này.', 'No dossier has this id or code.');
    const result = await command.render(backend, target.id, options);
    if (!result.ok) throw new AppFailure(result.error.code, result.error.message, result.error.messageEn);
    const file = result.value as ExportFile;
    const download = backend.exports.download(file.token);
    if (!download) throw new Error(`${command.kind} download vanished`);
    const out = path.resolve(values.pdf);
    await writeWhole(out, (tmp) => pipeline(download.open(), createWriteStream(tmp, { flags: 'wx' })));
    const line = { file: out, kind: command.kind, id: target.id, pages: file.pageCount, size: file.size };
    process.stdout.write(values.json ? `${JSON.stringify(line)}\n` : `${out}: ${command.describe(file)}\n`);
    return 0;
  } finally {
    await backend.close();
  }
}
