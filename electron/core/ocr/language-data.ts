import { copyFile, mkdir, stat } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';

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
 * own package: gather them into one local folder once. Never a CDN: counters work offline.
 */
export async function ensureLanguageFolder(cacheDir: string): Promise<string> {
  const folder = path.join(cacheDir, MODEL_VARIANT);
  await mkdir(folder, { recursive: true });
  for (const lang of OCR_LANGUAGES) {
    const source = packagedModelFile(lang);
    const target = path.join(folder, `${lang}.traineddata.gz`);
    const [from, to] = await Promise.all([stat(source), stat(target).catch(() => null)]);
    if (!to || to.size !== from.size) {
      const tmp = `${target}.${process.pid}.tmp`;
      await copyFile(source, tmp);
      const { rename } = await import('node:fs/promises');
      await rename(tmp, target);
    }
  }
  return folder;
}
