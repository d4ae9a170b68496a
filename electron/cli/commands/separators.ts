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
 * `sohoa separators <dossierCode> --pdf OUT.pdf [--component CODE]`: separator sheets (A4, one per
 * component plus a "new document" sheet) to put between documents before scanning a stack.
 */
export async function separators(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { ...COMMON_OPTIONS, pdf: { type: 'string' }, component: { type: 'string' } },
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
    let componentId: string | undefined;
    if (values.component !== undefined) {
      const row = backend.db
        .prepare('SELECT id FROM dossier_components WHERE dossier_id = ? AND code = ?')
        .get(target.id, values.component) as { id: string } | undefined;
      if (!row)
        throw new AppFailure(
          'NOT_FOUND',
          'Hồ sơ không có thành phần mang mã này.',
          'The dossier has no component with this code.',
          'component',
        );
      componentId = row.id;
    }
    const result = await backend.call('separators.pdf', { dossierId: target.id, componentId });
    if (!result.ok) throw new AppFailure(result.error.code, result.error.message, result.error.messageEn);
    const file = result.value as ExportFile;
    const download = backend.exports.download(file.token);
    if (!download) throw new Error('separator download vanished');
    const out = path.resolve(values.pdf);
    await writeWhole(out, (tmp) => pipeline(download.open(), createWriteStream(tmp, { flags: 'wx' })));
    const line = { file: out, kind: 'separators', id: target.id, pages: file.pageCount, size: file.size };
    process.stdout.write(values.json ? `${JSON.stringify(line)}\n` : `${out}: ${file.pageCount} tờ phân tách\n`);
    return 0;
  } finally {
    await backend.close();
  }
}
