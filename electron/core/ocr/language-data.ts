import { mkdir, readFile, rename, stat, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';

/** The LSTM "best_int" models shipped by @tesseract.js-data on npm (gzipped). */
export const MODEL_VARIANT = '4.0.0_best_int';
export const OCR_LANGUAGES = ['vie', 'eng'] as const;

const require = createRequire(import.meta.url);

export function packagedModelFile(lang: string): string {
  const pkg = path.dirname(require.resolve(`@tesseract.js-data/${lang}/package.json`));
  return path.join(pkg, MODEL_VARIANT, `${lang}.traineddata.gz`);
}

/**
 * tesseract.js loads every language from one `langPath` folder, but npm ships each language in its
 * own package: gather them into one local folder once. Never a CDN: counters work offline. The
 * models are stored un-gzipped (load them with `gzip: false`): every worker start would otherwise
 * inflate about 15 MB again.
 */
export async function ensureLanguageFolder(cacheDir: string): Promise<string> {
  const folder = path.join(cacheDir, MODEL_VARIANT);
  await mkdir(folder, { recursive: true });
  for (const lang of OCR_LANGUAGES) {
    const source = await readFile(packagedModelFile(lang));
    const target = path.join(folder, `${lang}.traineddata`);
    // gzip's trailer holds the inflated size (mod 2^32): a complete copy has exactly that size.
    const inflatedSize = source.readUInt32LE(source.length - 4);
    const existing = await stat(target).catch(() => null);
    if (existing && existing.size === inflatedSize) continue;
    const tmp = `${target}.${process.pid}.tmp`;
    await writeFile(tmp, gunzipSync(source));
    await rename(tmp, target);
  }
  return folder;
}
