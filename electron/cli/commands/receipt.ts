import { createWriteStream } from 'node:fs';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { parseArgs } from 'node:util';
import type { ExportFile } from '../../../shared/api/contract';
import { AppFailure } from '../../../shared/api/errors';
import { openBackend } from '../../core/backend';
import { defaultDataDir } from '../../core/config/data-dir';
import { COMMON_OPTIONS } from '../options';
import { writeWhole } from './export';

/**
 * `sohoa receipt <dossierId|dossierCode> --pdf OUT.pdf [--submitter NAME] [--phone N] [--address TEXT]`:
 * the reception receipt (Mẫu 01) as an A5 PDF. It goes through the `receipts.pdf` call, so the
 * processing log records the print as it does in the app.
 */
export async function receipt(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      ...COMMON_OPTIONS,
      pdf: { type: 'string' },
      submitter: { type: 'string' },
      phone: { type: 'string' },
      address: { type: 'string' },
    },
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

  const backend = await openBackend({ dataDir: values.data ?? defaultDataDir(), host: 'cli', runOcr: false });
  try {
    const target = backend.exports.resolve(id);
    if (target?.kind !== 'dossier')
      throw new AppFailure('NOT_FOUND', 'Không tìm thấy hồ sơ nào có mã này.', 'No dossier has this id or code.');
    const result = await backend.call('receipts.pdf', {
      dossierId: target.id,
      submitter: values.submitter,
      phone: values.phone,
      address: values.address,
    });
    if (!result.ok) throw new AppFailure(result.error.code, result.error.message, result.error.messageEn);
    const file = result.value as ExportFile;
    const download = backend.exports.download(file.token);
    if (!download) throw new Error('receipt download vanished');
    const out = path.resolve(values.pdf);
    await writeWhole(out, (tmp) => pipeline(download.open(), createWriteStream(tmp, { flags: 'wx' })));
    const line = { file: out, kind: 'receipt', id: target.id, pages: file.pageCount, size: file.size };
    process.stdout.write(
      values.json ? `${JSON.stringify(line)}\n` : `${out}: giấy tiếp nhận, ${file.pageCount} trang\n`,
    );
    return 0;
  } finally {
    await backend.close();
  }
}
