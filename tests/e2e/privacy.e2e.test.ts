/**
 * The personal-data screen in a real Chromium (browser mode, real backend): reached from the
 * navigation, a citizen's request registered with its reception time and shown overdue past 72
 * hours, and processor mode switched on with a contract reference shown on the purge report.
 * Debian's Chromium at /usr/bin/chromium; Playwright never downloads a browser.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Backend } from '../../electron/core/backend';
import { launchChromium } from '../support/browser';
import { DESKTOP_CONTEXT, openSignedInPage, startSignedInHost, type WebHost } from '../support/e2e-app';
import { callAs, type WebSession } from '../support/web-session';

describe('the personal-data screen (real browser)', () => {
  const work = mkdtempSync(path.join(os.tmpdir(), 'sohoa-e2e-privacy-'));
  let backend: Backend;
  let closeApp: (() => Promise<void>) | undefined;
  let host: WebHost | undefined;
  let browser: Browser | undefined;
  let page: Page;
  const pageErrors: string[] = [];
  let admin: WebSession;

  beforeAll(async () => {
    ({
      backend,
      host,
      admin,
      close: closeApp,
    } = await startSignedInHost(work, {
      runOcr: false,
      passphrase: 'cum-mat-khau-thu',
    }));
    browser = await launchChromium();
    page = await openSignedInPage(browser, admin, DESKTOP_CONTEXT, pageErrors);
  });

  afterAll(async () => {
    await browser?.close();
    await closeApp?.();
    rmSync(work, { recursive: true, force: true });
  });

  it('registers a request and shows it overdue after 72 hours', async () => {
    if (!host) throw new Error('web host did not start');
    await page.goto(`${host.url}/#/`);
    await page.getByTestId('nav-privacy').click();
    await page.getByTestId('privacy-screen').waitFor();
    await page.getByTestId('privacy-request-citizen').fill('001085012345');
    await page.getByTestId('privacy-request-kind').selectOption('access');
    await page.getByLabel('Nhận lúc (giờ Việt Nam)').fill('2026-01-05T09:00');
    await page.getByTestId('privacy-request-basis').fill('Quyền của chủ thể dữ liệu');
    await page.getByTestId('privacy-request-submit').click();
    const item = page.getByTestId('privacy-request').first();
    await item.waitFor();
    expect(await item.getAttribute('data-overdue')).toBe('true');
    const text = await item.innerText();
    expect(text).toContain('001085012345');
    // Vietnam time, in Vietnamese order, as other dates on screen.
    expect(text).toContain('Hạn 09:00 08/01/2026');
    expect(text).toContain('Quá hạn');
  });

  it('switches processor mode on with a contract reference, shown on the purge report', async () => {
    await page.getByTestId('privacy-save').waitFor();
    await page.getByTestId('privacy-mode').check();
    await page.getByTestId('privacy-save').click();
    expect(await page.getByRole('alert').innerText()).toMatch(/số hợp đồng/);
    await page.getByTestId('privacy-contract').fill('HĐ-BĐ-2026/017');
    await page.getByTestId('privacy-save').click();
    await page.getByText('Đã lưu.').waitFor();
    await expect
      .poll(() => page.getByTestId('privacy-report-totals').innerText())
      .toContain('Hợp đồng HĐ-BĐ-2026/017: 0 hồ sơ');
    expect(await callAs(backend, admin, 'privacy.processorSettings', {})).toEqual({
      processorMode: true,
      contractRef: 'HĐ-BĐ-2026/017',
    });
    expect(pageErrors).toEqual([]);
  });
});
