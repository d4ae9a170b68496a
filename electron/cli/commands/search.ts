import { parseArgs } from 'node:util';
import { openBackend } from '../../core/backend';
import { defaultDataDir } from '../../core/config/data-dir';
import { searchPages } from '../../core/search/page-search';
import { COMMON_OPTIONS } from '../options';

/** `sohoa search <query>`: one line per hit. */
export async function search(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { ...COMMON_OPTIONS, limit: { type: 'string', default: '20' } },
  });
  const query = positionals.join(' ');
  const backend = await openBackend({ dataDir: values.data ?? defaultDataDir(), host: 'cli', runOcr: false });
  try {
    const hits = searchPages(backend.db, query, Math.min(200, Math.max(1, Number(values.limit) || 20)));
    for (const hit of hits) {
      const line = { documentId: hit.documentId, page: hit.pageNo, snippet: hit.snippet, citizenId: hit.citizenId };
      process.stdout.write(
        values.json ? `${JSON.stringify(line)}\n` : `${hit.documentId} trang ${hit.pageNo}: ${markSnippet(hit)}\n`,
      );
    }
    if (!values.json && hits.length === 0) process.stderr.write('Không tìm thấy kết quả.\n');
    return 0;
  } finally {
    await backend.close();
  }
}

function markSnippet(hit: { snippet: string; highlights: [number, number][] }): string {
  let out = '';
  let at = 0;
  for (const [from, to] of hit.highlights) {
    out += `${hit.snippet.slice(at, from)}[${hit.snippet.slice(from, to)}]`;
    at = to;
  }
  return out + hit.snippet.slice(at);
}
