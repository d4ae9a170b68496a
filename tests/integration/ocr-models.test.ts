/**
 * The two model sets SoHoa reads with (real tesseract.js, real model files): the shipped fast
 * models and npm's best_int models both read a generated Vietnamese page, and a pool told to use
 * another folder reads with that folder's models from its next page on.
 */
import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import {
  ensureLanguageFolder,
  OCR_LANGUAGES,
  OCR_MODELS,
  packagedModelFile,
} from '../../electron/core/ocr/language-data';
import { OcrPool } from '../../electron/core/ocr/pool';
import { characterErrorRate, renderTextPage, SAMPLE_PAGES } from '../fixtures/scans';
import { tempDir } from '../support/temp-backend';

const cleanups: (() => void)[] = [];
afterAll(() => {
  for (const cleanup of cleanups.splice(0)) cleanup();
});

const sample = SAMPLE_PAGES.find((page) => page.kind === 'letter') ?? SAMPLE_PAGES[0];

async function samplePage(): Promise<{ png: Buffer; reference: string }> {
  if (!sample) throw new Error('no sample page');
  return { png: await renderTextPage({ lines: sample.lines, noiseSeed: 7 }), reference: sample.lines.join('\n') };
}

describe('OCR model sets (real tesseract.js)', () => {
  it('prepares each model set from the files shipped with the app, complete and un-gzipped', async () => {
    const { dir, cleanup } = tempDir('sohoa-models-');
    cleanups.push(cleanup);
    for (const model of OCR_MODELS) {
      const folder = await ensureLanguageFolder(dir, model);
      for (const lang of OCR_LANGUAGES) {
        const inflated = gunzipSync(readFileSync(packagedModelFile(lang, model)));
        expect(statSync(path.join(folder, `${lang}.traineddata`)).size).toBe(inflated.length);
      }
    }
    // The two sets are different files in different folders.
    expect(await ensureLanguageFolder(dir, 'fast')).not.toBe(await ensureLanguageFolder(dir, 'best'));
    expect(readFileSync(packagedModelFile('vie', 'fast')).equals(readFileSync(packagedModelFile('vie', 'best')))).toBe(
      false,
    );
  });

  it('reads a Vietnamese page with either set, and a pool switches sets from its next page', async () => {
    const { dir, cleanup } = tempDir('sohoa-models-');
    cleanups.push(cleanup);
    const fast = await ensureLanguageFolder(dir, 'fast');
    const best = await ensureLanguageFolder(dir, 'best');
    const { png, reference } = await samplePage();
    const wordConfidences = (result: { words: { c: number }[] }): number[] => result.words.map((w) => w.c);

    const bestOnly = new OcrPool({ langPath: best, languages: 'vie+eng', size: 1 });
    const byBestOnly = await bestOnly.recognize(png).finally(() => bestOnly.close());
    expect(characterErrorRate(reference, byBestOnly.text)).toBeLessThan(0.03);

    const pool = new OcrPool({ langPath: fast, languages: 'vie+eng', size: 1 });
    try {
      const byFast = await pool.recognize(png);
      expect(characterErrorRate(reference, byFast.text)).toBeLessThan(0.03);
      // Two networks never agree on every word's confidence: this tells which one read the page.
      expect(wordConfidences(byFast)).not.toEqual(wordConfidences(byBestOnly));

      pool.setLangPath(best);
      const afterSwitch = await pool.recognize(png);
      expect(afterSwitch.text).toBe(byBestOnly.text);
      expect(wordConfidences(afterSwitch)).toEqual(wordConfidences(byBestOnly));
    } finally {
      await pool.close();
    }
  });
});
