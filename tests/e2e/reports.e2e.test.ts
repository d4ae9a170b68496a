/**
 * The reports screen in a real Chromium (browser mode, real backend): this month's indicators with
 * points, grouped on demand, and the dossier still missing files linked from the to-do lists.
 * Debian's Chromium at /usr/bin/chromium; Playwright never downloads a browser.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildRenderer, launchChromium } from '../support/browser';
import type { Backend } from '../../electron/core/backend';
import { startWebHost } from '../../electron/web/server';
import { openTempBackend } from '../support/temp-backend';
import { callAs, setUpAdmin } from '../support/web-session';

describe('the reports screen (real browser)', () => {
  const work = mkdtempSync(path.join(os.tmpdir(), 'sohoa-e2e-reports-'));
  let backend: Backend;
  let closeBackend: () => Promise<void>;
  let host: Awaited<ReturnType<typeof startWebHost>> | undefined;
  let browser: Browser | undefined;
  let page: Page;
  let dossierCode = '';
  const pageErrors: string[] = [];

  beforeAll(async () => {
    const rendererDir = path.join(work, 'renderer');
    await buildRenderer(rendererDir);
    ({ backend, close: closeBackend } = await openTempBackend({
      dataDir: path.join(work, 'data'),
      host: 'browser',
      runOcr: false,
    }));
    host = await startWebHost({ dataDir: path.join(work, 'data'), port: 0, rendererDir, backend });
    const admin = await setUpAdmin(host.url);
    const dossier = await callAs(backend, admin, 'dossiers.create', {
      citizenId: '001085012345',
      procedureCode: '1.004227',
      channel: 3,
    });
    dossierCode = dossier.code;
    browser = await launchChromium();
    const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'vi-VN' });
    await context.addCookies([admin.cookie]);
    page = await context.newPage();
    page.on('pageerror', (error) => pageErrors.push(String(error)));
  });

  afterAll(async () => {
    await browser?.close();
    await host?.close();
    await closeBackend?.();
    rmSync(work, { recursive: true, force: true });
  });

  it("shows this month's indicators, grouped by channel, and what is missing", async () => {
    if (!host) throw new Error('web host did not start');
    await page.goto(`${host.url}/#/reports`);
    const table = page.getByTestId('reports-table');
    await table.waitFor();
    const firstRow = table.locator('tbody tr').first();
    // One dossier received, nothing digitized: 0 points on the measured indicators, 4.5 not measured.
    expect((await firstRow.locator('td').allInnerTexts()).slice(0, 2)).toEqual(['all', '1']);
    expect(await table.locator('thead').innerText()).toContain('chưa đo');

    await page.getByTestId('reports-by').selectOption('channel');
    await table.locator('tbody tr', { hasText: 'postal' }).waitFor();

    const missing = page.getByTestId('reports-missing');
    await missing.waitFor();
    expect(await missing.innerText()).toContain(dossierCode);
    await page.getByTestId('reports-postal').waitFor();
    expect(pageErrors).toEqual([]);
  });
});
