/**
 * "In giấy tiếp nhận" in a real Chromium against browser mode: the clerk clicks and the browser
 * saves the A5 receipt PDF; clicking again reprints (a second file, a second print in the log).
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../support/browser';
import { openSignedInPage, startServingHost, type WebHost } from '../support/e2e-app';
import { callAs } from '../support/web-session';

const run = promisify(execFile);

describe('the receipt button in the browser (browser mode, real backend)', () => {
  const work = mkdtempSync(path.join(os.tmpdir(), 'sohoa-e2e-receipt-'));
  let host: WebHost | undefined;
  let browser: Browser | undefined;
  let page: Page;
  let dossierId = '';
  let dossierCode = '';

  beforeAll(async () => {
    const started = await startServingHost(work);
    host = started.host;
    const { admin } = started;
    const dossier = await callAs(host.backend, admin, 'dossiers.create', {
      citizenId: '001085012345',
      citizenName: 'Nguyễn Văn An',
      procedureCode: '1.001193',
    });
    dossierId = dossier.id;
    dossierCode = dossier.code;
    browser = await launchChromium();
    page = await openSignedInPage(browser, admin, { acceptDownloads: true, locale: 'vi-VN' });
  });

  afterAll(async () => {
    await browser?.close();
    await host?.close();
    rmSync(work, { recursive: true, force: true });
  });

  async function print(): Promise<{ name: string; bytes: Buffer }> {
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('receipt-print').click()]);
    const target = path.join(work, `${Date.now()}-${download.suggestedFilename()}`);
    await download.saveAs(target);
    return { name: download.suggestedFilename(), bytes: readFileSync(target) };
  }

  it('downloads the receipt from the dossier view, and again on reprint', async () => {
    await page.goto(`${host?.url}/#/dossiers/${encodeURIComponent(dossierId)}`);
    await expect(page.getByTestId('receipt-print').textContent()).resolves.toContain('In giấy tiếp nhận');
    const first = await print();
    expect(first.name).toBe(`giay-tiep-nhan-${dossierCode}.pdf`);
    const file = path.join(work, 'receipt.pdf');
    writeFileSync(file, first.bytes);
    const text = (await run('pdftotext', ['-enc', 'UTF-8', file, '-'])).stdout;
    expect(text).toContain(dossierCode);
    expect(text).toContain('Nguyễn Văn An');

    const again = await print();
    expect(again.bytes.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    const prints = host?.backend.db
      .prepare(`SELECT count(*) AS n FROM processing_log WHERE action = 'print' AND subject = ?`)
      .get(`dossier:${dossierId}`) as { n: number };
    expect(prints.n).toBe(2);
    await expect(page.getByTestId('dossier-view').isVisible()).resolves.toBe(true);
  });
});
