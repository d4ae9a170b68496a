/**
 * Separator sheets and the proposed split in a real Chromium against browser mode: the clerk
 * prints the sheets (Alt+P), adds a scanned stack with the sheets in it, sees the proposal
 * (thumbnails grouped into documents with component names), splits one document in two, and
 * confirms; the documents appear in the dossier and the proposal goes away.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ExportFile } from '../../shared/api/contract';
import { renderMultiPageTiff, renderTextPage } from '../fixtures/scans';
import { separatorSheetImages } from '../fixtures/separator-stack';
import { launchChromium } from '../support/browser';
import { keepScreenshot, openSignedInPage, startServingHost, type WebHost } from '../support/e2e-app';
import { callAs } from '../support/web-session';

describe('batch splitting in the browser (browser mode, real backend)', () => {
  const work = mkdtempSync(path.join(os.tmpdir(), 'sohoa-e2e-batch-'));
  let host: WebHost | undefined;
  let browser: Browser | undefined;
  let page: Page;
  let dossierId = '';
  let stack = '';

  beforeAll(async () => {
    const started = await startServingHost(work);
    host = started.host;
    const { admin } = started;
    // The split is what is tested: no text recognition loading the shared cores meanwhile.
    await host.backend.ocr.stop();
    const dossier = await callAs(host.backend, admin, 'dossiers.create', {
      citizenId: '079190123456',
      citizenName: 'Trần Thị Bình',
      procedureCode: '1.001193',
    });
    dossierId = dossier.id;
    // The stack a clerk scans: the sheets printed from this dossier, each before its document.
    const sheetsFile = (await callAs(host.backend, admin, 'separators.pdf', { dossierId })) as ExportFile;
    const download = host.backend.exports.download(sheetsFile.token);
    if (!download) throw new Error('no sheets');
    const chunks: Buffer[] = [];
    for await (const chunk of download.open()) chunks.push(Buffer.from(chunk as Buffer));
    const [tk, gcs] = await separatorSheetImages(Buffer.concat(chunks), work);
    if (!tk || !gcs) throw new Error('missing sheets');
    const text = (title: string, seed: number) =>
      renderTextPage({ lines: [title, `Trang thử nghiệm ${seed}`], fontSizePt: 14, noiseSeed: seed });
    stack = path.join(work, 'chong-giay-quet.tif');
    writeFileSync(
      stack,
      await renderMultiPageTiff([
        tk,
        await text('TỜ KHAI ĐĂNG KÝ KHAI SINH', 1),
        await text('Tờ khai, trang 2', 2),
        gcs,
        await text('GIẤY CHỨNG SINH', 3),
      ]),
    );

    browser = await launchChromium();
    page = await openSignedInPage(browser, admin, { acceptDownloads: true, locale: 'vi-VN' });
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await host?.close();
    rmSync(work, { recursive: true, force: true });
  });

  it('prints the separator sheets with Alt+P', async () => {
    await page.goto(`${host?.url}/#/dossiers/${encodeURIComponent(dossierId)}`);
    await page.getByTestId('separators-print').waitFor();
    const [download] = await Promise.all([page.waitForEvent('download'), page.keyboard.press('Alt+P')]);
    const target = path.join(work, download.suggestedFilename());
    await download.saveAs(target);
    expect(download.suggestedFilename()).toMatch(/^to-phan-tach-.*\.pdf$/);
    expect(readFileSync(target).subarray(0, 5).toString('latin1')).toBe('%PDF-');
  });

  it('shows the proposed split of a scanned stack and creates the documents on confirmation', async () => {
    await page.getByTestId('file-input').setInputFiles(stack);
    const proposal = page.getByTestId('batch-proposal');
    await proposal.waitFor({ timeout: 120_000 });
    // Two documents: the declaration (2 pages) and the birth certificate (1 page), by the sheets.
    await expect(proposal.getByTestId('batch-group').count()).resolves.toBe(2);
    const components = proposal.getByTestId('batch-component');
    await expect(components.nth(0).locator('option:checked').textContent()).resolves.toBe('Tờ khai đăng ký khai sinh');
    await expect(components.nth(1).locator('option:checked').textContent()).resolves.toBe('Giấy chứng sinh');
    await expect(proposal.getByTestId('batch-page').count()).resolves.toBe(3);
    await expect(proposal.getByTestId('batch-separator').count()).resolves.toBe(2);
    await keepScreenshot(page, 'batch-proposal', true);
    // Nothing stored yet, and the stack is not reported as an import error.
    await expect(page.getByTestId('no-pages').isVisible()).resolves.toBe(true);
    await expect(page.getByTestId('import-errors').count()).resolves.toBe(0);

    // The clerk moves a boundary: page 3 becomes a document of its own.
    await proposal.locator('[data-testid="batch-page"][data-position="3"]').getByTestId('batch-split').click();
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="batch-group"]').length === 3);
    await expect(proposal.getByTestId('batch-confirm').textContent()).resolves.toContain('3 tài liệu');

    await proposal.getByTestId('batch-confirm').click();
    await page.getByTestId('batch-proposals').waitFor({ state: 'detached' });
    await page.getByTestId('page-grid').waitFor();
    const docs = host?.backend.db
      .prepare('SELECT title, page_count FROM documents WHERE dossier_id = ? ORDER BY created_at, rowid')
      .all(dossierId);
    expect(docs).toEqual([
      { title: 'Tờ khai đăng ký khai sinh', page_count: 1 },
      { title: 'chong-giay-quet (2)', page_count: 1 },
      { title: 'Giấy chứng sinh', page_count: 1 },
    ]);
  }, 180_000);
});
