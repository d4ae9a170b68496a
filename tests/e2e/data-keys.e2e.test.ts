/**
 * The data keys in a real Chromium: the administrator changes the data passphrase and makes a
 * recovery key on the admin screen (shown once, closed only after "Tôi đã ghi lại mã khôi phục");
 * after a restart with the passphrase forgotten, the lock screen opens the data with the recovery
 * key (a mistyped group is caught first) and a new passphrase is set.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openBackend } from '../../electron/core/backend';
import { KeyVault } from '../../electron/core/files/key-vault';
import { startWebHost, type WebHost } from '../../electron/web/server';
import { buildRenderer, launchChromium } from '../support/browser';
import { TEST_PASSPHRASE } from '../support/temp-backend';
import { setUpAdmin } from '../support/web-session';

const CHANGED = 'cum mat khau da doi';
const AFTER_RECOVERY = 'cum mat khau sau khoi phuc';

describe('data keys in the browser', () => {
  const work = mkdtempSync(path.join(os.tmpdir(), 'sohoa-e2e-keys-'));
  const rendererDir = path.join(work, 'renderer');
  const dataDir = path.join(work, 'data');
  let browser: Browser | undefined;
  let host: WebHost | undefined;

  const startHost = async (): Promise<WebHost> =>
    startWebHost({
      dataDir,
      rendererDir,
      backend: await openBackend({ dataDir, host: 'browser', runOcr: false, passphrase: null }),
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

  it('changes the passphrase and shows a new recovery key once, then the key unlocks a restart', async () => {
    host = await startHost();
    const session = await setUpAdmin(host.url);
    const context = await browser!.newContext({ locale: 'vi-VN' });
    await context.addCookies([session.cookie]);
    const page = await context.newPage();
    await page.goto(host.url);
    await page.getByTestId('nav-admin').click();
    const keys = page.getByTestId('data-keys');
    await keys.waitFor();
    expect(await page.getByTestId('recovery-key-status').innerText()).toContain('Chưa có mã khôi phục');

    // Change: a wrong current passphrase is refused next to its field; the right one works.
    await page.getByTestId('passphrase-current').fill('khong phai cum nay');
    await page.getByTestId('vault-passphrase').fill(CHANGED);
    await page.getByTestId('vault-passphrase-again').fill(CHANGED);
    await page.getByTestId('passphrase-change-submit').click();
    await keys.getByText('Cụm mật khẩu dữ liệu hiện tại không đúng').waitFor();
    await page.getByTestId('passphrase-current').fill(TEST_PASSPHRASE);
    await page.getByTestId('vault-passphrase').fill(CHANGED);
    await page.getByTestId('vault-passphrase-again').fill(CHANGED);
    await page.getByTestId('passphrase-current').press('Enter');
    await page.getByTestId('passphrase-changed').waitFor();

    // Recovery key: typed with the keyboard, shown once, closed only once written down.
    await page.getByTestId('recovery-current').fill(CHANGED);
    await page.getByTestId('recovery-current').press('Enter');
    const shown = page.getByTestId('recovery-key-value');
    await shown.waitFor();
    const recoveryKey = (await shown.innerText()).trim();
    expect(recoveryKey).toMatch(/^(\d{6}-){7}\d{6}$/);
    expect(await page.getByTestId('recovery-key-close').isDisabled()).toBe(true);
    await page.getByTestId('recovery-key-written').check();
    await page.getByTestId('recovery-key-close').click();
    expect(await page.getByTestId('recovery-key-value').count()).toBe(0);
    expect(await page.getByTestId('recovery-key-status').innerText()).toContain('Đã có mã khôi phục, tạo lúc');
    expect(await page.content()).not.toContain(recoveryKey);
    await context.close();

    // Restart, the passphrase forgotten: the recovery path of the lock screen.
    await host.close();
    host = await startHost();
    const lock = await (await browser!.newContext({ locale: 'vi-VN' })).newPage();
    await lock.goto(host.url);
    await lock.getByTestId('vault-unlock-screen').waitFor();
    await lock.getByTestId('vault-use-recovery').click();
    await lock.getByTestId('vault-recover-screen').waitFor();
    const typo = `${recoveryKey.slice(0, 21)}${(Number(recoveryKey[21]) + 1) % 10}${recoveryKey.slice(22)}`;
    await lock.getByTestId('vault-recovery-key').fill(typo);
    await lock.getByTestId('vault-passphrase').fill(AFTER_RECOVERY);
    await lock.getByTestId('vault-passphrase-again').fill(AFTER_RECOVERY);
    await lock.keyboard.press('Enter');
    await lock.getByText('Nhóm thứ 4 của mã khôi phục bị gõ sai').waitFor();
    await lock.getByTestId('vault-recovery-key').fill(recoveryKey.replace(/-/g, ' '));
    await lock.getByTestId('vault-recovery-key').press('Enter');
    await lock.getByTestId('sign-in-screen').waitFor();
    await lock.context().close();
    await host.close();
    host = undefined;

    expect((await KeyVault.open(dataDir, { passphrase: AFTER_RECOVERY })).state).toBe('open');
    await expect(KeyVault.open(dataDir, { passphrase: CHANGED })).rejects.toMatchObject({
      appError: { code: 'UNAUTHORIZED' },
    });
  });
});
