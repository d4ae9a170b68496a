import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { AppFailure } from '../../../shared/api/errors';
import { openBackend } from '../../core/backend';
import { defaultDataDir } from '../../core/config/data-dir';
import { actorOf } from '../../core/dossiers/lifecycle';
import { MAX_CATALOG_BYTES } from '../../core/procedures/catalog-file';
import { importCatalogFile, listCatalogVersions } from '../../core/procedures/catalog';
import { COMMON_OPTIONS } from '../options';

const CATALOG_USAGE = `Cách dùng / Usage:
  sohoa catalog import <tệp.csv|tệp.json> [--label TÊN] [--data DIR] [--json]
  sohoa catalog list [--data DIR] [--json]
`;

/**
 * `sohoa catalog import <file>`: the province's procedure catalog becomes the active version (a
 * bad file is refused with its rows and columns, and changes nothing); `sohoa catalog list`.
 */
export async function catalog(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { ...COMMON_OPTIONS, label: { type: 'string' } },
  });
  const [action, file, ...extra] = positionals;
  if ((action !== 'import' && action !== 'list') || (action === 'import' && !file) || extra.length > 0) {
    process.stderr.write(CATALOG_USAGE);
    return 2;
  }
  let bytes: Buffer | null = null;
  if (action === 'import' && file) {
    const info = await stat(file).catch(() => null);
    if (!info?.isFile()) {
      throw new AppFailure('NOT_FOUND', 'Không tìm thấy tệp danh mục.', 'Catalog file not found.');
    }
    if (info.size > MAX_CATALOG_BYTES) {
      throw new AppFailure(
        'VALIDATION',
        'Tệp danh mục quá lớn (tối đa 20 MB).',
        'The catalog file is too large (20 MB at most).',
      );
    }
    bytes = await readFile(file);
  }
  const backend = await openBackend({ dataDir: values.data ?? defaultDataDir(), host: 'cli', runOcr: false });
  try {
    if (bytes && file) {
      const version = importCatalogFile(backend.db, bytes, path.basename(file), {
        label: values.label,
        actor: actorOf(backend.db, { host: 'cli', user: backend.actor }),
      });
      process.stdout.write(
        values.json
          ? `${JSON.stringify(version)}\n`
          : `Đã nhập danh mục “${version.label}” (phiên bản ${version.id}): ${version.procedureCount} thủ tục, ${version.componentCount} thành phần.\n`,
      );
      return 0;
    }
    for (const version of listCatalogVersions(backend.db)) {
      process.stdout.write(
        values.json
          ? `${JSON.stringify(version)}\n`
          : `${version.active ? '*' : ' '} ${version.id}\t${version.importedAt}\t${version.procedureCount} thủ tục\t${version.label}${version.sample ? ' (mẫu)' : ''}\n`,
      );
    }
    return 0;
  } finally {
    await backend.close();
  }
}
