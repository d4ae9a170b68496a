/**
 * End to end, as a counter clerk works: the built renderer in a real Chromium, against the
 * browser-mode host with the real backend (SQLite, blob store, tesseract.js) on a temp folder.
 * It starts on a fresh install: the administrator is created through the first-run screen, then
 * creates a clerk, who signs in (after a wrong password), is locked after idle time, and does not
 * see the administration screen.
 *
 * Debian's Chromium at /usr/bin/chromium is used; Playwright never downloads a browser.
 * Set SOHOA_E2E_SCREENSHOTS=/some/dir to keep screenshots of the main screens.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildRenderer, launchChromium } from '../support/browser';
import { startWebHost } from '../../electron/web/server';
import { foldText } from '../../shared/domain/fold';
import { parseCitizenId } from '../../shared/domain/citizen-id';
import { SAMPLE_PAGES, renderTextPage, textFileNamedPng } from '../fixtures/scans';

const OCR_TIMEOUT_MS = 120_000;
const VALID_ID = '001085012345';
const UNKNOWN_PROVINCE_ID = '999085012345';
const ADMIN = { username: 'quantri', displayName: 'Phạm Minh Quản', password: 'mat-khau-quan-tri' };
const CLERK = { username: 'canbo.mai', displayName: 'Lê Thị Mai', password: 'mat-khau-can-bo' };

const birthForm = SAMPLE_PAGES.find((p) => p.name === 'to-khai-khai-sinh');
const residenceForm = SAMPLE_PAGES.find((p) => p.name === 'to-khai-cu-tru');
if (!birthForm || !residenceForm) throw new Error('sample pages missing from tests/fixtures/scans.ts');

describe('the clerk’s path in a real browser (browser mode, real OCR)', () => {
  const work = mkdtempSync(path.join(os.tmpdir(), 'sohoa-e2e-'));
  const screenshots = process.env.SOHOA_E2E_SCREENSHOTS;
  let host: Awaited<ReturnType<typeof startWebHost>> | undefined;
  let browser: Browser | undefined;
  let context: BrowserContext;
  let page: Page;
  const scanFiles: string[] = [];
  let notAnImage = '';
  const consoleErrors: string[] = [];
  const pageErrors: string[] = [];
  /** `#/dossiers/<id>` of the dossier the clerk's test returns to. */
  let dossierRoute = '';

  async function shot(name: string, of: Page = page): Promise<void> {
    if (!screenshots) return;
    mkdirSync(screenshots, { recursive: true });
    await of.screenshot({ path: path.join(screenshots, `${name}.png`) });
  }

  beforeAll(async () => {
    const rendererDir = path.join(work, 'renderer');
    await buildRenderer(rendererDir);

    const inputs = path.join(work, 'inputs');
    mkdirSync(inputs);
    const first = path.join(inputs, 'to-khai-khai-sinh.jpg');
    writeFileSync(first, await renderTextPage({ lines: [...birthForm.lines], skewDeg: 0.8, jpegQuality: 85 }));
    const second = path.join(inputs, 'to-khai-cu-tru.png');
    writeFileSync(second, await renderTextPage({ lines: [...residenceForm.lines] }));
    scanFiles.push(first, second);
    notAnImage = path.join(inputs, 'ghi-chu.png');
    writeFileSync(notAnImage, textFileNamedPng());

    host = await startWebHost({ dataDir: path.join(work, 'data'), port: 0, rendererDir, ocrWorkers: 2 });

    browser = await launchChromium();
    context = await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'vi-VN' });
    page = await context.newPage();
    page.on('console', (msg) => {
      if (msg.type() === 'error') consoleErrors.push(msg.text());
    });
    page.on('pageerror', (error) => pageErrors.push(String(error)));
  });

  afterAll(async () => {
    await browser?.close();
    await host?.close();
    rmSync(work, { recursive: true, force: true });
  });

  it('asks for the administrator account on first run, checks the password, and signs the administrator in', async () => {
    if (!host) throw new Error('web host did not start');
    await page.goto(host.url);
    await page.getByTestId('setup-screen').waitFor();
    expect(await page.getByTestId('setup-screen').innerText()).toContain('Tạo tài khoản quản trị');
    // Nothing of the app before sign-in.
    expect(await page.getByTestId('new-dossier-form').count()).toBe(0);
    const username = page.getByTestId('setup-username');
    expect(await username.evaluate((el) => el === document.activeElement)).toBe(true);
    await username.fill(ADMIN.username);
    await page.getByTestId('setup-display-name').fill(ADMIN.displayName);
    await page.getByTestId('setup-password').fill('ngan');
    await page.getByTestId('setup-password-again').fill('ngan');
    await page.keyboard.press('Enter');
    await page.getByText('Mật khẩu phải có ít nhất 8 ký tự.').waitFor();
    await page.getByTestId('setup-password').fill(ADMIN.password);
    await page.getByTestId('setup-password-again').fill(`${ADMIN.password}x`);
    await page.keyboard.press('Enter');
    await page.getByText('Hai lần nhập mật khẩu không khớp.').waitFor();
    await page.getByTestId('setup-password-again').fill(ADMIN.password);
    await shot('setup');
    await page.keyboard.press('Enter');

    await page.getByTestId('current-user').waitFor();
    expect(await page.getByTestId('current-user-name').innerText()).toBe(ADMIN.displayName);
    expect(await page.getByTestId('current-user-role').innerText()).toBe('Quản trị viên');
    expect(await page.getByTestId('sign-out').innerText()).toBe('Đăng xuất');
  });

  it('opens in Vietnamese with the new-dossier form', async () => {
    if (!host) throw new Error('web host did not start');
    await page.getByTestId('new-dossier-form').waitFor();
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('vi');
    expect(await page.getByTestId('new-dossier-button').innerText()).toContain('Hồ sơ mới');
    // The shipped catalog is the sample one: the clerk is told so.
    await page.getByTestId('procedure-sample-note').waitFor();
    expect(await page.getByTestId('procedure-sample-note').innerText()).toContain('Danh mục mẫu');
  });

  it('refuses a wrong ID number in Vietnamese, then creates a dossier for a valid one', async () => {
    const idInput = page.getByTestId('citizen-id-input');
    await idInput.fill(UNKNOWN_PROVINCE_ID);
    const expected = parseCitizenId(UNKNOWN_PROVINCE_ID);
    if (expected.ok) throw new Error('the test ID should be invalid');
    await page.getByTestId('citizen-id-error').waitFor();
    expect(await page.getByTestId('citizen-id-error').innerText()).toBe(expected.message);
    expect(await idInput.getAttribute('aria-invalid')).toBe('true');

    await idInput.fill(VALID_ID);
    await page.getByTestId('citizen-id-info').waitFor();
    const info = await page.getByTestId('citizen-id-info').innerText();
    expect(info).toContain('Hà Nội');
    expect(info).toContain('1985');
    // Nothing digitized yet for this citizen: the reuse lookup answers, empty.
    await page.getByTestId('reuse-empty').waitFor();

    await page.getByTestId('citizen-name-input').fill('Nguyễn Văn An');
    const select = page.getByTestId('procedure-select');
    const codes = await select
      .locator('option')
      .evaluateAll((options) => options.map((o) => (o as HTMLOptionElement).value).filter((v) => v !== ''));
    expect(codes.length).toBeGreaterThan(0);
    await select.selectOption(codes.includes('1.001193') ? '1.001193' : (codes[0] ?? ''));
    await shot('new-dossier');
    await page.getByTestId('create-dossier-submit').click();

    await page.getByTestId('dossier-view').waitFor();
    dossierRoute = new URL(page.url()).hash;
    expect(await page.getByTestId('dossier-code').innerText()).toMatch(/-\d{6}-\d{4}$/);
    expect(await page.getByTestId('dossier-citizen').innerText()).toContain('Nguyễn Văn An');
    await expect.poll(() => page.getByTestId('dossier-item').count()).toBe(1);
  });

  it('adds two scanned pages and shows OCR finishing on both', async () => {
    await page.getByTestId('file-input').setInputFiles(scanFiles);
    await expect.poll(() => page.getByTestId('page-thumb').count(), { timeout: 30_000 }).toBe(2);
    await page.waitForFunction(
      () => {
        const thumbs = Array.from(document.querySelectorAll('[data-testid="page-thumb"]'));
        return thumbs.length === 2 && thumbs.every((t) => t.getAttribute('data-ocr-status') === 'done');
      },
      undefined,
      { timeout: OCR_TIMEOUT_MS, polling: 250 },
    );
    // Pages keep the order the clerk picked the files in.
    expect(await page.getByTestId('page-thumb').first().innerText()).toContain('to-khai-khai-sinh.jpg');
    expect(await page.getByTestId('upload-progress').getAttribute('data-phase')).toBe('done');
    expect(await page.getByTestId('import-errors').count()).toBe(0);
    await expect.poll(() => page.getByTestId('ocr-queue').getAttribute('data-busy'), { timeout: 10_000 }).toBe('false');
    // Thumbnails are real images served by the host.
    await page.waitForFunction(() =>
      Array.from(document.querySelectorAll<HTMLImageElement>('[data-testid="page-thumb"] img')).every(
        (img) => img.complete && img.naturalWidth > 0,
      ),
    );
    await shot('dossier');
  });

  it('lists a refused file and a duplicate with their reasons, and the batch goes on', async () => {
    await page.getByTestId('file-input').setInputFiles([notAnImage, scanFiles[0] ?? '']);
    const items = page.getByTestId('import-error-item');
    await expect.poll(() => items.count(), { timeout: 30_000 }).toBe(2);
    const refused = items.and(page.locator('[data-kind="error"]'));
    expect(await refused.innerText()).toContain('ghi-chu.png');
    // The backend's Vietnamese reason, shown as it is (no English in the Vietnamese UI).
    expect((await refused.locator('.problems__message').innerText()).length).toBeGreaterThan(10);
    expect(await items.and(page.locator('[data-kind="duplicate"]')).innerText()).toContain('đã có trong kho');
    expect(await page.getByTestId('page-thumb').count()).toBe(2);
    await page.getByTestId('page-duplicate').first().waitFor();
    await shot('import-problems');
    await page.getByTestId('dismiss-import-errors').click();
    expect(await page.getByTestId('import-errors').count()).toBe(0);
  });

  it('finds the page without diacritics, highlights the words and opens the hit', async () => {
    await page.keyboard.press('Control+k');
    const search = page.getByTestId('search-input');
    expect(await search.evaluate((el) => el === document.activeElement)).toBe(true);
    await search.pressSequentially('dang ky khai sinh', { delay: 20 });
    const hits = page.getByTestId('search-hit');
    await hits
      .filter({ has: page.locator('mark') })
      .first()
      .waitFor({ timeout: 10_000 });
    // The hit whose snippet holds the whole phrase (the birth-registration form).
    const snippets = await hits.allInnerTexts();
    const target = snippets.findIndex((text) => foldText(text).includes('dang ky khai sinh'));
    expect(target).toBeGreaterThanOrEqual(0);
    const marked = await hits.nth(target).locator('mark').allInnerTexts();
    const foldedMarks = marked.map((m) => foldText(m).trim());
    expect(foldedMarks).toEqual(expect.arrayContaining(['dang', 'ky', 'khai', 'sinh']));
    await shot('search');

    for (let i = 0; i < target; i++) await search.press('ArrowDown');
    expect(await hits.nth(target).getAttribute('aria-selected')).toBe('true');
    await search.press('Enter');
    await page.getByTestId('page-view').waitFor();
    const text = await page.getByTestId('page-text').innerText();
    expect(foldText(text)).toContain('dang ky khai sinh');
    expect(text).toMatch(/Đăng ký khai sinh/i);
    expect(await page.getByTestId('page-text').locator('mark').count()).toBeGreaterThan(0);
    await page.getByTestId('page-image').evaluate((img) => (img as HTMLImageElement).decode().catch(() => undefined));
    expect(
      await page.getByTestId('page-image').evaluate((img) => (img as HTMLImageElement).naturalWidth),
    ).toBeGreaterThan(0);
    await page.getByTestId('page-confidence').waitFor();
    await shot('page');
  });

  it('confirms a proposed tag and moves through pages with the keyboard', async () => {
    const idTag = page.locator('[data-testid="tag-item"][data-tag-kind="citizenId"]').first();
    await idTag.waitFor();
    await idTag.getByTestId('tag-confirm').click();
    await expect.poll(() => idTag.getAttribute('data-tag-status')).toBe('confirmed');

    await page.getByTestId('page-image-viewport').focus();
    const before = await page.getByTestId('page-view').getAttribute('data-page-id');
    const position = await page.getByTestId('page-position').innerText();
    await page.keyboard.press(position.startsWith('Trang 1/') ? 'ArrowRight' : 'ArrowLeft');
    await expect.poll(() => page.getByTestId('page-view').getAttribute('data-page-id')).not.toBe(before);
    await page.getByTestId('page-text').waitFor();

    await page.keyboard.press('Escape');
    await page.getByTestId('dossier-view').waitFor();
  });

  it('switches the interface to English and keeps the choice after a reload', async () => {
    await page.getByTestId('lang-en').click();
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('en');
    expect(await page.getByTestId('new-dossier-button').innerText()).toContain('New dossier');
    expect(await page.getByTestId('add-pages-button').innerText()).toContain('Add pages');
    await page.reload();
    await page.getByTestId('dossier-view').waitFor();
    await shot('english');
    expect(await page.getByTestId('new-dossier-button').innerText()).toContain('New dossier');
    expect(await page.getByTestId('dossier-code').count()).toBe(1);

    await page.getByTestId('lang-vi').click();
    expect(await page.getByTestId('new-dossier-button').innerText()).toContain('Hồ sơ mới');
  });

  it('reads a CCCD QR code typed by a handheld reader into the ID field', async () => {
    await page.getByTestId('new-dossier-button').click();
    const idInput = page.getByTestId('citizen-id-input');
    await idInput.waitFor();
    await idInput.fill('');
    // A reader "types" the payload, then Enter; newer cards end with empty fields.
    await idInput.pressSequentially(
      '079190123456||Trần Thị Bích Ngọc|02091990|Nữ|Tổ 5, phường Hòa Cường Bắc|15082021||',
    );
    await idInput.press('Enter');
    expect(await idInput.inputValue()).toBe('079190123456');
    expect(await page.getByTestId('citizen-name-input').inputValue()).toBe('Trần Thị Bích Ngọc');
    await page.getByTestId('cccd-qr-info').waitFor();
    expect(await page.getByTestId('citizen-id-info').innerText()).toContain('1990');
    // Enter moved on to the name instead of submitting the form.
    expect(await page.getByTestId('citizen-name-input').evaluate((el) => el === document.activeElement)).toBe(true);
    expect(await page.getByTestId('dossier-item').count()).toBe(1);
  });

  it('lets the administrator create a clerk account', async () => {
    await page.getByTestId('nav-admin').click();
    const accounts = page.getByTestId('accounts');
    await accounts.waitFor();
    await expect.poll(() => accounts.getByTestId('account-item').count()).toBe(1);
    await page.getByTestId('account-username').fill(CLERK.username);
    await page.getByTestId('account-display-name').fill(CLERK.displayName);
    await page.getByTestId('account-role').selectOption('clerk');
    await page.getByTestId('account-password').fill(CLERK.password);
    await page.getByTestId('account-password').press('Enter');
    await page.getByTestId('account-created').waitFor();
    const clerkRow = accounts.locator(`[data-testid="account-item"][data-username="${CLERK.username}"]`);
    await clerkRow.waitFor();
    expect(await clerkRow.innerText()).toContain('Cán bộ một cửa');
    // The same username twice is refused in Vietnamese.
    await page.getByTestId('account-username').fill(CLERK.username);
    await page.getByTestId('account-password').fill(CLERK.password);
    await page.getByTestId('account-submit').click();
    await page.getByText('Tên đăng nhập đã có người dùng.').waitFor();
    await shot('accounts');
  });

  describe('the clerk (own browser, clock under the test’s control)', () => {
    let clerkContext: BrowserContext;
    let clerk: Page;

    beforeAll(async () => {
      if (!browser) throw new Error('browser did not start');
      clerkContext = await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'vi-VN' });
      clerk = await clerkContext.newPage();
      clerk.on('pageerror', (error) => pageErrors.push(String(error)));
      // Fake timers from the first script on: the idle lock's ten minutes pass in an instant.
      await clerk.clock.install();
    });

    afterAll(async () => {
      await clerkContext?.close();
    });

    it('is told in Vietnamese that the password is wrong, then signs in', async () => {
      await clerk.goto(`${host?.url ?? ''}/${dossierRoute}`);
      await clerk.getByTestId('sign-in-screen').waitFor();
      const username = clerk.getByTestId('sign-in-username');
      expect(await username.evaluate((el) => el === document.activeElement)).toBe(true);
      await username.fill(CLERK.username);
      await clerk.getByTestId('sign-in-password').fill('khong-dung-mat-khau');
      await clerk.keyboard.press('Enter');
      await clerk.getByTestId('sign-in-error').waitFor();
      expect(await clerk.getByTestId('sign-in-error').innerText()).toBe('Tên đăng nhập hoặc mật khẩu không đúng.');
      // The password is cleared and focused for the next try.
      const password = clerk.getByTestId('sign-in-password');
      expect(await password.evaluate((el) => el === document.activeElement)).toBe(true);
      await shot('sign-in-error', clerk);
      await password.fill(CLERK.password);
      await password.press('Enter');
      // Back where the address pointed: the dossier.
      await clerk.getByTestId('dossier-view').waitFor();
      expect(await clerk.getByTestId('current-user-name').innerText()).toBe(CLERK.displayName);
      expect(await clerk.getByTestId('current-user-role').innerText()).toBe('Cán bộ một cửa');
      await shot('clerk-dossier', clerk);
    });

    it('does not see the administration screen', async () => {
      expect(await clerk.getByTestId('nav-admin').count()).toBe(0);
      expect(await clerk.getByTestId('nav-approval').count()).toBe(1);
      await clerk.goto(`${host?.url ?? ''}/#/admin`);
      await clerk.getByTestId('no-access').waitFor();
      expect(await clerk.getByTestId('admin-screen').count()).toBe(0);
      expect(await clerk.getByTestId('accounts').count()).toBe(0);
      // The clerk's own work is still there.
      await clerk.goto(`${host?.url ?? ''}/${dossierRoute}`);
      await clerk.getByTestId('add-pages-button').waitFor();
    });

    it('locks after ten idle minutes and returns to the same screen after signing in again', async () => {
      await clerk.getByTestId('dossier-view').waitFor();
      await clerk.clock.fastForward('10:01');
      await clerk.getByTestId('sign-in-screen').waitFor();
      expect(await clerk.getByTestId('sign-in-note').innerText()).toContain('Đã khóa do không hoạt động');
      expect(await clerk.getByTestId('dossier-view').count()).toBe(0);
      // The host ends the session too: the cookie no longer opens anything. The screen locks at
      // once; the sign-out call it sends may still be on its way.
      const sessionCookie = async (): Promise<string> =>
        (await clerkContext.cookies()).find((c) => c.name === 'sohoa_session')?.value ?? '';
      await expect.poll(sessionCookie, { timeout: 10_000 }).toBe('');
      await shot('locked', clerk);
      // The lock keeps the username; the password has the focus.
      expect(await clerk.getByTestId('sign-in-username').inputValue()).toBe(CLERK.username);
      const password = clerk.getByTestId('sign-in-password');
      expect(await password.evaluate((el) => el === document.activeElement)).toBe(true);
      await password.fill(CLERK.password);
      await password.press('Enter');
      await clerk.getByTestId('dossier-view').waitFor();
      expect(new URL(clerk.url()).hash).toBe(dossierRoute);
    });
  });

  it('signs out; another tab of the same browser returns to sign-in at its next call', async () => {
    const other = await context.newPage();
    other.on('pageerror', (error) => pageErrors.push(String(error)));
    await other.goto(`${host?.url ?? ''}/#/`);
    await other.getByTestId('current-user').waitFor();

    await page.getByTestId('sign-out').click();
    await page.getByTestId('sign-in-screen').waitFor();
    expect(await page.getByTestId('sign-in-note').count()).toBe(0);
    // Signing out starts the next person at the home screen, with nobody's data on it.
    expect(new URL(page.url()).hash).toBe('#/');
    await page.reload();
    await page.getByTestId('sign-in-screen').waitFor();

    await other.getByTestId('dossier-item').first().click();
    await other.getByTestId('sign-in-screen').waitFor();
    expect(await other.getByTestId('sign-in-note').innerText()).toContain('Phiên đăng nhập đã kết thúc');
    await other.close();
  });

  it('ran without script errors or CSP violations', () => {
    expect(pageErrors).toEqual([]);
    expect(consoleErrors.filter((m) => /Content Security Policy|Refused to/i.test(m))).toEqual([]);
  });
});
