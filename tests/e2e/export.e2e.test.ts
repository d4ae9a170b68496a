/**
 * "Tải PDF" and "Xuất ZIP" in a real Chromium against browser mode: the clerk clicks, the browser
 * saves a searchable PDF (or a ZIP) and the page stays where it was.
 */
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { unzipSync } from 'fflate';
import { type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../support/browser';
import { DESKTOP_CONTEXT, keepScreenshot, openSignedInPage, startServingHost, type WebHost } from '../support/e2e-app';
import { renderTextPage } from '../fixtures/scans';
import { callAs } from '../support/web-session';

const run = promisify(execFile);

describe('export buttons in the browser (browser mode, real backend)', () => {
  const work = mkdtempSync(path.join(os.tmpdir(), 'sohoa-e2e-export-'));
  let host: WebHost | undefined;
  let browser: Browser | undefined;
  let page: Page;
  let dossierId = '';
  let pageId = 0;

  beforeAll(async () => {
    // The administrator's session: for the calls below and, as a cookie, for the browser.
    const started = await startServingHost(work);
    host = started.host;
    const { backend } = host;
    const { admin } = started;
    const dossier = await callAs(backend, admin, 'dossiers.create', {
      citizenId: '079190123456',
      citizenName: 'Trần Thị Bích Ngọc',
      procedureCode: '1.001193',
    });
    dossierId = dossier.id;
    const inputs = path.join(work, 'inputs');
    mkdirSync(inputs);
    const file = path.join(inputs, 'giay-chung-sinh.png');
    writeFileSync(
      file,
      await renderTextPage({
        lines: ['GIẤY CHỨNG SINH', 'Bệnh viện Từ Dũ'],
        widthPx: 1200,
        heightPx: 500,
        noiseSeed: 2,
      }),
    );
    const [outcome] = await backend.importFiles([{ file, name: 'giay-chung-sinh.png' }], {
      dossierId,
      citizenId: null,
    });
    if (!outcome?.ok) throw new Error('import failed');
    pageId = outcome.pageIds[0] ?? 0;
    await backend.ocr.waitForPages(outcome.pageIds);

    browser = await launchChromium();
    page = await openSignedInPage(browser, admin, { ...DESKTOP_CONTEXT, acceptDownloads: true });
  });

  afterAll(async () => {
    await browser?.close();
    await host?.close();
    rmSync(work, { recursive: true, force: true });
  });

  async function downloadBy(testId: string): Promise<{ name: string; bytes: Buffer }> {
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId(testId).click()]);
    const target = path.join(work, download.suggestedFilename());
    await download.saveAs(target);
    return { name: download.suggestedFilename(), bytes: readFileSync(target) };
  }

  it('downloads the dossier as a searchable PDF and as a ZIP from the dossier view', async () => {
    await page.goto(`${host?.url}/#/dossiers/${encodeURIComponent(dossierId)}`);
    // Keyboard: ↓ opens the menu on its first item, Esc closes the menu and leaves the dossier open.
    await page.getByTestId('export-menu').focus();
    await page.keyboard.press('ArrowDown');
    await expect(page.getByTestId('export-pdf').evaluate((el) => el === document.activeElement)).resolves.toBe(true);
    await page.keyboard.press('ArrowDown');
    await expect(page.getByTestId('export-zip').evaluate((el) => el === document.activeElement)).resolves.toBe(true);
    await page.keyboard.press('Escape');
    await page.getByTestId('export-zip').waitFor({ state: 'detached' });
    await expect(page.getByTestId('export-menu').evaluate((el) => el === document.activeElement)).resolves.toBe(true);
    await expect(page.getByTestId('dossier-view').isVisible()).resolves.toBe(true);

    await page.getByTestId('export-menu').click();
    const pdf = await downloadBy('export-pdf');
    expect(pdf.name).toMatch(/\.pdf$/);
    expect(pdf.bytes.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    const file = path.join(work, 'dossier.pdf');
    writeFileSync(file, pdf.bytes);
    expect((await run('pdftotext', [file, '-'])).stdout).toContain('Bệnh viện Từ Dũ');

    await page.getByTestId('export-menu').click();
    const zip = await downloadBy('export-zip');
    expect(zip.name).toMatch(/\.zip$/);
    expect(Object.keys(unzipSync(zip.bytes))).toContain('manifest.json');
    await expect(page.getByTestId('dossier-view').isVisible()).resolves.toBe(true);
    await keepScreenshot(page, 'export-dossier');
  });

  it('downloads the document from the page view', async () => {
    await page.goto(`${host?.url}/#/pages/${pageId}`);
    await page.getByTestId('export-pdf').waitFor();
    const pdf = await downloadBy('export-pdf');
    expect(pdf.name).toBe('giay-chung-sinh.pdf');
    await keepScreenshot(page, 'export-page');
    expect(pdf.bytes.subarray(0, 5).toString('latin1')).toBe('%PDF-');
  });
});
