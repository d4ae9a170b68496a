import { mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { renamePatiently } from '../files/rename-patiently';
import { OcrLanguagesChoice } from '../../../shared/api/calls/ocr';

/**
 * The two model sets SoHoa can read with, both LSTM only:
 * - `fast` (default): tesseract's tessdata_fast 4.1.0, shipped in `assets/tessdata` (Apache-2.0).
 *   Smaller LSTM layers than `best`: about a third less CPU a page in tesseract.js, and on the
 *   generated Vietnamese page set no less accurate.
 * - `best`: the 4.0.0_best_int models of @tesseract.js-data on npm, for the administrator who
 *   wants the larger network for hard scans.
 */
export type OcrModel = 'fast' | 'best';
export const OCR_MODELS: readonly OcrModel[] = ['fast', 'best'];
export const DEFAULT_OCR_MODEL: OcrModel = 'fast';
/** The languages whose models are shipped and prepared, whichever set pages are read in. */
export const OCR_LANGUAGES = ['vie', 'eng'] as const;

/**
 * The languages pages are read in, as tesseract names them:
 * - `vie` (default): Vietnamese. Its model has the Latin alphabet, digits and punctuation, so it
 *   also reads codes, e-mail addresses and most English words; its weak spot is letters Vietnamese
 *   has no use for at the start of a word (a capital F may come out E: "Frank" as "Erank").
 * - `vie+eng`: Vietnamese, then English for the words Vietnamese is unsure of: for documents in
 *   English. On Vietnamese pages English takes over words with marks and drops the marks: on the
 *   bench's ID cards "Họ và tên: TRẦN THỊ QUỲNH" came out "Ho và tên: TRAN THỊ QUYNH" (text pages
 *   0.29 % CER against 0.02 % with Vietnamese alone), and every page costs about 8 % more CPU.
 */
export type OcrLanguages = OcrLanguagesChoice;
export const DEFAULT_OCR_LANGUAGES: OcrLanguages = 'vie';

export function isOcrLanguages(value: unknown): value is OcrLanguages {
  return OcrLanguagesChoice.safeParse(value).success;
}

/** The folder each model set's files live in, inside the package or assets and in the cache. */
export const MODEL_FOLDERS: Readonly<Record<OcrModel, string>> = {
  fast: '4.1.0_fast',
  best: '4.0.0_best_int',
};

/** The repository's assets folder; the packaged app passes its own (resources/assets). */
const REPO_ASSETS_DIR = fileURLToPath(new URL('../../../assets', import.meta.url));

const require = createRequire(import.meta.url);

export function isOcrModel(value: unknown): value is OcrModel {
  return value === 'fast' || value === 'best';
}

/** The gzipped model file shipped for a language. */
export function packagedModelFile(lang: string, model: OcrModel, assetsDir: string = REPO_ASSETS_DIR): string {
  if (model === 'fast') return path.join(assetsDir, 'tessdata', MODEL_FOLDERS.fast, `${lang}.traineddata.gz`);
  const pkg = path.dirname(require.resolve(`@tesseract.js-data/${lang}/package.json`));
  return path.join(pkg, MODEL_FOLDERS.best, `${lang}.traineddata.gz`);
}

/**
 * tesseract.js loads every language from one `langPath` folder, but the models ship in several
 * places: gather one model set into one local folder once. Never a CDN: counters work offline.
 * The models are stored un-gzipped (load them with `gzip: false`): every worker start would
 * otherwise inflate them again.
 */
export async function ensureLanguageFolder(
  cacheDir: string,
  model: OcrModel = DEFAULT_OCR_MODEL,
  assetsDir?: string,
): Promise<string> {
  const folder = path.join(cacheDir, MODEL_FOLDERS[model]);
  await mkdir(folder, { recursive: true });
  for (const lang of OCR_LANGUAGES) {
    const source = await readFile(packagedModelFile(lang, model, assetsDir));
    const target = path.join(folder, `${lang}.traineddata`);
    // gzip's trailer holds the inflated size (mod 2^32): a complete copy has exactly that size.
    const inflatedSize = source.readUInt32LE(source.length - 4);
    const existing = await stat(target).catch(() => null);
    if (existing && existing.size === inflatedSize) continue;
    const tmp = `${target}.${process.pid}.tmp`;
    await writeFile(tmp, gunzipSync(source));
    await renamePatiently(tmp, target);
  }
  return folder;
}
