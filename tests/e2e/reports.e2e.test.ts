/**
 * The reports screen in a real Chromium (browser mode, real backend): this month's indicators with
 * points, the trend chart, the ranking, a drill-down from a number to the dossier behind it, and
 * the dossier still missing files linked from the to-do lists.
 * Debian's Chromium at /usr/bin/chromium; Playwright never downloads a browser.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Backend } from '../../electron/core/backend';
import { launchChromium } from '../support/browser';
import { DESKTOP_CONTEXT, openSignedInPage, startSignedInHost, type WebHost } from '../support/e2e-app';
import { callAs } from '../support/web-session';

describe('the reports screen (real browser)', () => {
  const work = mkdtempSync(path.join(os.tmpdir(), 'sohoa-e2e-reports-'));
  let backend: Backend;
  let closeApp: (() => Promise<void>) | undefined;
  let host: WebHost | undefined;
  let browser: Browser | undefined;
  let page: Page;
  let dossierCode = '';
  let dossierId = '';
  const pageErrors: string[] = [];

  beforeAll(async () => {
    const app = await startSignedInHost(work, { runOcr: false, passphrase: 'cum-mat-khau-thu' });
    ({ backend, host, close: closeApp } = app);
    const { admin } = app;
    const dossier = await callAs(backend, admin, 'dossiers.create', {
      citizenId: '001085012345',
      procedureCode: '1.004227',
      channel: 3,
    });
    dossierCode = dossier.code;
    dossierId = dossier.id;
    browser = await launchChromium();
    page = await openSignedInPage(browser, admin, DESKTOP_CONTEXT, pageErrors);
  });

  afterAll(async () => {
    await browser?.close();
    await closeApp?.();
    rmSync(work, { recursive: true, force: true });
  });

  it("shows this month's indicators, the trend chart and the ranking, and drills down to the dossier", async () => {
    if (!host) throw new Error('web host did not start');
    await page.goto(`${host.url}/#/reports`);
    const table = page.getByTestId('reports-table');
    await table.waitFor();
    const firstRow = table.locator('tbody tr').first();
    // One dossier received, nothing digitized: 0 points on the measured indicators, 4.5 not measured.
    expect((await firstRow.locator('td').allInnerTexts()).slice(0, 2)).toEqual(['Toàn đơn vị', '1']);
    expect(await table.locator('thead').innerText()).toContain('chưa đo');

    // The trend: a bar per month (the last twelve), and the 80 % full-points line.
    const chart = page.getByTestId('reports-trend-svg');
    await chart.waitFor();
    expect(await chart.locator('g[role="button"]').count()).toBe(12);
    expect(await page.getByTestId('reports-trend-target').count()).toBe(1);
    expect(await page.getByTestId('reports-trend-section').innerText()).toContain('80 %');

    // The ranking, by unit first, then by channel.
    const ranking = page.getByTestId('reports-ranking');
    await ranking.waitFor();
    expect(await ranking.locator('tbody tr').count()).toBe(1);
    await page.getByTestId('reports-by').selectOption('channel');
    await ranking.locator('tbody tr', { hasText: 'Bưu chính' }).waitFor();
    // By procedure, each code carries the catalog's name.
    await page.getByTestId('reports-by').selectOption('procedure');
    await ranking.locator('tbody tr', { hasText: '1.004227 · Cấp bản sao trích lục hộ tịch' }).waitFor();
    await page.getByTestId('reports-by').selectOption('channel');

    // A number lists the dossiers it counts; a dossier opens in the dossier view.
    await page.getByTestId('reports-total-received').click();
    const drill = page.getByTestId('reports-drilldown-table');
    await drill.waitFor();
    expect(await drill.innerText()).toContain(dossierCode);
    expect(await drill.innerText()).toContain('Bưu chính');
    // The list as CSV, downloaded through the app's export path: BOM first, Vietnamese intact.
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByTestId('reports-drilldown-csv').click(),
    ]);
    const file = await download.path();
    const csv = readFileSync(file);
    expect([...csv.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(csv.toString('utf8')).toContain(dossierCode);
    expect(csv.toString('utf8')).toContain('Cấp bản sao trích lục hộ tịch');
    expect(download.suggestedFilename()).toMatch(/\.csv$/);

    await page.getByTestId('reports-drilldown-dossier').first().click();
    await page.waitForURL(/#\/dossiers\//);
    expect(decodeURIComponent(new URL(page.url()).hash)).toContain(dossierId);

    await page.goBack();
    const missing = page.getByTestId('reports-missing');
    await missing.waitFor();
    expect(await missing.innerText()).toContain(dossierCode);
    await page.getByTestId('reports-postal').waitFor();
    expect(pageErrors).toEqual([]);
  });
});
