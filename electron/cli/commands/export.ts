import { randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { parseArgs } from 'node:util';
import { AppFailure } from '../../../shared/api/errors';
import { recordSubjectProcessing } from '../../core/audit/audited-calls';
import { openBackend } from '../../core/backend';
import { defaultDataDir } from '../../core/config/data-dir';
import { zipChunks } from '../../core/pdf/zip-stream';
import { COMMON_OPTIONS } from '../options';

/**
 * `sohoa export <documentId|dossierId|dossierCode> --pdf OUT.pdf` and `sohoa export <dossier> --zip OUT.zip`:
 * searchable PDF/A of a document or a whole dossier, or a dossier's ZIP (one PDF per document and
 * manifest.json). The file appears whole or not at all.
 */
export async function exportCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { ...COMMON_OPTIONS, pdf: { type: 'string' }, zip: { type: 'string' } },
  });
  const [id] = positionals;
  if (!id || positionals.length > 1)
    throw new AppFailure(
      'VALIDATION',
      'Hãy chỉ ra đúng một mã tài liệu hoặc hồ sơ.',
      'Name exactly one document or dossier.',
    );
  if (Boolean(values.pdf) === Boolean(values.zip))
    throw new AppFailure(
      'VALIDATION',
      'Dùng một trong hai: --pdf TỆP.pdf hoặc --zip TỆP.zip.',
      'Use one of --pdf FILE or --zip FILE.',
    );

  const backend = await openBackend({ dataDir: values.data ?? defaultDataDir(), host: 'cli', runOcr: false });
  try {
    const target = backend.exports.resolve(id);
    if (!target)
      throw new AppFailure(
        'NOT_FOUND',
        'Không tìm thấy tài liệu hay hồ sơ nào có mã này.',
        'No document or dossier has this id.',
      );
    const out = path.resolve(values.pdf ?? values.zip ?? '');
    let summary: { pages: number; pagesWithoutText: number };
    if (values.zip) {
      if (target.kind !== 'dossier')
        throw new AppFailure(
          'VALIDATION',
          '--zip chỉ dùng cho một hồ sơ; với một tài liệu hãy dùng --pdf.',
          '--zip takes a dossier; use --pdf for a document.',
        );
      const zip = await backend.exports.dossierZip(target.id);
      await writeWhole(out, (tmp) =>
        pipeline(Readable.from(zipChunks(zip.entries)), createWriteStream(tmp, { flags: 'wx' })),
      );
      summary = { pages: zip.pageCount, pagesWithoutText: zip.pagesWithoutText };
    } else {
      const pdf =
        target.kind === 'document'
          ? await backend.exports.documentPdf(target.id)
          : await backend.exports.dossierPdf(target.id);
      // Decrypted on the way out: the store keeps files encrypted at rest.
      await writeWhole(out, (tmp) =>
        pipeline(backend.store.openRead(pdf.sha256), createWriteStream(tmp, { flags: 'wx' })),
      );
      summary = { pages: pdf.pageCount, pagesWithoutText: pdf.pagesWithoutText };
    }
    // Logged like the app's export calls: who exported whose data, and when.
    recordSubjectProcessing(backend.db, backend.actor, 'export', target);
    if (summary.pagesWithoutText > 0) {
      process.stderr.write(
        `Lưu ý: ${summary.pagesWithoutText}/${summary.pages} trang chưa có chữ nhận dạng (OCR lỗi hoặc chưa xong): chỉ có ảnh.\n`,
      );
    }
    const line = { file: out, kind: values.zip ? 'zip' : 'pdf', subject: target.kind, id: target.id, ...summary };
    process.stdout.write(values.json ? `${JSON.stringify(line)}\n` : `${out}: ${summary.pages} trang\n`);
    return 0;
  } finally {
    await backend.close();
  }
}

/** Writes next to the target, then renames: a crash or an error never leaves half a file. */
export async function writeWhole(target: string, write: (tmp: string) => Promise<void>): Promise<void> {
  const tmp = path.join(path.dirname(target), `.${path.basename(target)}.${randomBytes(4).toString('hex')}.part`);
  try {
    await write(tmp);
    await rename(tmp, target);
  } catch (error) {
    await rm(tmp, { force: true });
    throw error;
  }
}
