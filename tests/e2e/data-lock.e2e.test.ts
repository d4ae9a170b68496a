/**
 * Browser mode without SOHOA_PASSPHRASE, in a real Chromium: the first-run screen sets the data
 * passphrase with the administrator, and after a restart the app asks for it before anything else
 * (a wrong one is refused in Vietnamese), then signing in works as before.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openBackend } from '../../electron/core/backend';
import { startWebHost, type WebHost } from '../../electron/web/server';
import { buildRenderer, launchChromium } from '../support/browser';

const ADMIN = { username: 'quantri', displayName: 'Phạm Minh Quản', password: 'mat-khau-quan-tri' };
const PASSPHRASE = 'cum mat khau du lieu thu nghiem';

describe('the data passphrase in the browser', () => {
  const work = mkdtempSync(path.join(os.tmpdir(), 'sohoa-e2e-lock-'));
  const rendererDir = path.join(work, 'renderer');
  const dataDir = path.join(work, 'data');
  let browser: Browser | undefined;
  let host: WebHost | undefined;

  const startHost = async (): Promise<WebHost> =>
    startWebHost({
      dataDir,
      rendererDir,
      backend: await openBackend({ dataDir, host: 'browser', ocrWorkers: 1, passphrase: null }),
    });

  beforeAll(async () => {
    await buildRenderer(rendererDir);
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await host?.close();
    rmSync(work, { recursive: true, force: true });
  });

  it('sets the passphrase on the first-run screen together with the administrator', async () => {
    host = await startHost();
    const page = await (await browser!.newContext({ locale: 'vi-VN' })).newPage();
    await page.goto(host.url);
    await page.getByTestId('setup-screen').waitFor();
    await page.getByTestId('setup-username').fill(ADMIN.username);
    await page.getByTestId('setup-display-name').fill(ADMIN.displayName);
    await page.getByTestId('setup-password').fill(ADMIN.password);
    await page.getByTestId('setup-password-again').fill(ADMIN.password);
    await page.getByTestId('vault-passphrase').fill(PASSPHRASE);
    await page.getByTestId('vault-passphrase-again').fill(`${PASSPHRASE}x`);
    await page.keyboard.press('Enter');
    await page.getByText('Hai lần nhập cụm mật khẩu dữ liệu không khớp.').waitFor();
    await page.getByTestId('vault-passphrase-again').fill(PASSPHRASE);
    await page.keyboard.press('Enter');
    await page.getByTestId('current-user').waitFor();
    expect(await page.getByTestId('current-user-name').innerText()).toBe(ADMIN.displayName);
    await page.context().close();
  });

  it('asks for the passphrase after a restart, refuses a wrong one, then signs in', async () => {
    await host?.close();
    host = await startHost();
    const page = await (await browser!.newContext({ locale: 'vi-VN' })).newPage();
    await page.goto(host.url);
    await page.getByTestId('vault-unlock-screen').waitFor();
    expect(await page.getByTestId('vault-unlock-screen').innerText()).toContain('Mở khóa dữ liệu');
    await page.getByTestId('vault-passphrase').fill('khong phai cum mat khau');
    await page.keyboard.press('Enter');
    await page.getByTestId('vault-error').waitFor();
    expect(await page.getByTestId('vault-error').innerText()).toContain('Cụm mật khẩu dữ liệu không đúng');
    await page.getByTestId('vault-passphrase').fill(PASSPHRASE);
    await page.keyboard.press('Enter');
    await page.getByTestId('sign-in-screen').waitFor();
    await page.getByTestId('sign-in-username').fill(ADMIN.username);
    await page.getByTestId('sign-in-password').fill(ADMIN.password);
    await page.keyboard.press('Enter');
    await page.getByTestId('current-user').waitFor();
    await page.context().close();
  });
});
