/**
 * The counter workflow in a real Chromium against browser mode: the administrator configures the
 * unit and imports the province catalog; the clerk fills a checklist (assign a scan with the
 * keyboard, mark a component missing), reuses a document in one click; the supervisor rejects a
 * scan and it lands in the clerks' queue. SOHOA_E2E_SCREENSHOTS=/some/dir keeps screenshots.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildRenderer, launchChromium } from '../support/browser';
import { startWebHost } from '../../electron/web/server';
import { renderTextPage } from '../fixtures/scans';
import { setUpAdmin } from '../support/web-session';

const CITIZEN = '001085012345';

const CATALOG = [
  'ma_thu_tuc;ten_thu_tuc;linh_vuc;cap_thuc_hien;ket_qua_giay;so_ngay_xu_ly;ma_thanh_phan;ten_thanh_phan;ma_loai_giay_to;bat_buoc',
  '1.001193;Đăng ký khai sinh;Hộ tịch;Cấp xã;có;3;TK;Tờ khai đăng ký khai sinh;to-khai;có',
  '1.001193;;;;;;GCS;Giấy chứng sinh;giay-chung-sinh;có',
  '1.000894;Đăng ký kết hôn;Hộ tịch;Cấp xã;có;5;TK;Tờ khai đăng ký kết hôn;to-khai;có',
].join('\n');

describe('the counter workflow in a real browser', () => {
  const work = mkdtempSync(path.join(os.tmpdir(), 'sohoa-e2e-workflow-'));
  let host: Awaited<ReturnType<typeof startWebHost>> | undefined;
  let browser: Browser | undefined;
  let page: Page;
  const errors: string[] = [];
  let firstCode = '';

  async function shot(name: string): Promise<void> {
    const dir = process.env.SOHOA_E2E_SCREENSHOTS;
    if (!dir) return;
    mkdirSync(dir, { recursive: true });
    await page.screenshot({ path: path.join(dir, `workflow-${name}.png`), fullPage: true });
  }

  const component = (code: string) =>
    page.locator(`[data-testid="checklist-component"][data-component-code="${code}"]`);

  async function newDossier(procedureCode: string, channel: string): Promise<string> {
    await page.goto(`${host?.url ?? ''}#/`);
    await page.getByTestId('citizen-id-input').fill(CITIZEN);
    await page.getByTestId('citizen-name-input').fill('Nguyễn Văn An');
    await page.getByTestId('procedure-select').selectOption(procedureCode);
    await page.getByTestId('channel-select').selectOption(channel);
    await page.getByTestId('create-dossier-submit').click();
    await page.getByTestId('checklist').waitFor();
    return page.getByTestId('dossier-code').innerText();
  }

  beforeAll(async () => {
    const rendererDir = path.join(work, 'renderer');
    await buildRenderer(rendererDir);
    host = await startWebHost({ dataDir: path.join(work, 'data'), port: 0, rendererDir, ocrWorkers: 1 });
    // Signed in as the administrator (who may do everything below) without walking the screens.
    const admin = await setUpAdmin(host.url);
    browser = await launchChromium();
    const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'vi-VN' });
    await context.addCookies([admin.cookie]);
    page = await context.newPage();
    page.on('console', (msg) => {
      if (msg.type() === 'error') errors.push(msg.text());
    });
    page.on('pageerror', (error) => errors.push(String(error)));
  });

  afterAll(async () => {
    await browser?.close();
    await host?.close();
    rmSync(work, { recursive: true, force: true });
  });

  it('lets the administrator set the unit and import the catalog, refusing a bad row by its number', async () => {
    if (!host) throw new Error('web host did not start');
    await page.goto(host.url);
    await page.getByTestId('nav-admin').click();
    await page.getByTestId('admin-screen').waitFor();
    await page.getByTestId('agency-code').fill('000.00.01.H26');
    await page.getByTestId('workstation-no').selectOption('3');
    await page.getByTestId('unit-save').click();
    await expect.poll(() => page.getByText('Đã lưu.').count()).toBe(1);

    const file = page.getByTestId('catalog-file');
    // The file field speaks the app's language: a button, then the chosen file's name.
    expect(await page.getByTestId('catalog-file-name').innerText()).toBe('Chưa chọn tệp');
    await file.setInputFiles({
      name: 'sai.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(CATALOG.replace(';3;TK', ';ba;TK'), 'utf8'),
    });
    expect(await page.getByTestId('catalog-file-name').innerText()).toBe('sai.csv');
    await page.getByTestId('catalog-import-submit').click();
    await page.getByTestId('catalog-import-error').waitFor();
    expect(await page.getByTestId('catalog-import-error').innerText()).toContain('Dòng 2, cột “so_ngay_xu_ly” (F)');

    await file.setInputFiles({ name: 'tinh.csv', mimeType: 'text/csv', buffer: Buffer.from(CATALOG, 'utf8') });
    await page.getByTestId('catalog-import-submit').click();
    await page.getByTestId('catalog-imported').waitFor();
    expect(await page.getByTestId('catalog-imported').innerText()).toContain('2 thủ tục, 3 thành phần');
    await expect.poll(() => page.getByTestId('catalog-versions').locator('li').count()).toBe(2);
    await shot('admin');
  });

  it('lets the administrator change the OCR review threshold, worker count, models and languages, kept after a reload', async () => {
    await page.goto(`${host?.url ?? ''}#/admin`);
    await page.getByTestId('ocr-settings').waitFor();
    expect(await page.getByTestId('ocr-settings-model').inputValue()).toBe('fast');
    expect(await page.getByTestId('ocr-settings-languages').inputValue()).toBe('vie');
    await page.getByTestId('ocr-settings-threshold').fill('85');
    await page.getByTestId('ocr-settings-workers').fill('2');
    await page.getByTestId('ocr-settings-model').selectOption('best');
    await page.getByTestId('ocr-settings-languages').selectOption('vie+eng');
    await page.getByTestId('ocr-settings-save').click();
    await expect.poll(() => page.getByTestId('ocr-settings-note').innerText()).toContain('Đã lưu cài đặt nhận dạng.');
    await page.reload();
    await page.getByTestId('ocr-settings').waitFor();
    await expect.poll(() => page.getByTestId('ocr-settings-threshold').inputValue()).toBe('85');
    expect(await page.getByTestId('ocr-settings-workers').inputValue()).toBe('2');
    expect(await page.getByTestId('ocr-settings-model').inputValue()).toBe('best');
    expect(await page.getByTestId('ocr-settings-languages').inputValue()).toBe('vie+eng');
    // Back to the default models and languages: the rest of this file recognizes pages.
    await page.getByTestId('ocr-settings-model').selectOption('fast');
    await page.getByTestId('ocr-settings-languages').selectOption('vie');
    await page.getByTestId('ocr-settings-save').click();
    await expect.poll(() => page.getByTestId('ocr-settings-note').innerText()).toContain('Đã lưu cài đặt nhận dạng.');
  });

  it('shows a new dossier its checklist, channel, promised date and a code from this workstation’s block', async () => {
    firstCode = await newDossier('1.001193', '3');
    expect(firstCode).toMatch(/^000\.00\.01\.H26-\d{6}-3\d{3}$/);
    expect(await page.getByTestId('dossier-channel').innerText()).toBe('Bưu chính công ích');
    expect(await page.getByTestId('dossier-promised').innerText()).toMatch(/\d{2}\/\d{2}\/\d{4}/);
    expect(await page.getByTestId('checklist-component').count()).toBe(2);
    expect(await component('TK').getAttribute('data-state')).toBe('not_digitized');
    // The backend is told which dossier is on screen: its pages are recognized before a batch
    // queued earlier. Leaving it for the start screen says none is.
    const dossierId = decodeURIComponent(new URL(page.url()).hash.replace('#/dossiers/', ''));
    await expect.poll(() => host?.backend.ocr.focusedDossierId).toBe(dossierId);
    await page.goto(`${host?.url ?? ''}#/`);
    await expect.poll(() => host?.backend.ocr.focusedDossierId).toBeNull();
    await page.goBack();
    await page.getByTestId('checklist').waitFor();
    await expect.poll(() => host?.backend.ocr.focusedDossierId).toBe(dossierId);
  });

  it('assigns a scan with the keyboard and marks a component missing with a reason', async () => {
    const png = await renderTextPage({ lines: ['Tờ khai đăng ký khai sinh'], widthPx: 900, heightPx: 500 });
    await page.getByTestId('file-input').setInputFiles({ name: 'to-khai.png', mimeType: 'image/png', buffer: png });
    await page.getByTestId('checklist-unassigned').waitFor();

    const select = component('TK').getByTestId('assign-select');
    await select.focus();
    await page.keyboard.press('ArrowDown'); // the first scanned document
    await page.keyboard.press('Tab');
    await expect
      .poll(() => page.evaluate(() => document.activeElement?.getAttribute('data-testid')))
      .toBe('assign-button');
    await page.keyboard.press('Enter');
    await expect.poll(() => component('TK').getAttribute('data-state')).toBe('digitized');
    expect(await component('TK').getByTestId('item-approval').innerText()).toBe('Chờ duyệt');

    await component('GCS').getByTestId('mark-missing').click();
    await page.getByTestId('missing-reason').fill('Công dân hẹn bổ sung');
    await page.keyboard.press('Enter');
    await component('GCS').getByTestId('component-missing').waitFor();
    expect(await component('GCS').getByTestId('component-missing').innerText()).toContain('Công dân hẹn bổ sung');
    await shot('checklist');
  });

  it('tells the backend the page on screen, whose OCR then goes first', async () => {
    const dossierUrl = page.url();
    const dossierId = decodeURIComponent(new URL(dossierUrl).hash.replace('#/dossiers/', ''));
    const scan = host?.backend.db
      .prepare(
        `SELECT p.id FROM pages p JOIN documents d ON d.id = p.document_id WHERE d.dossier_id = ? ORDER BY p.id LIMIT 1`,
      )
      .get(dossierId) as { id: number } | undefined;
    if (!scan) throw new Error('the scan is not in the dossier');
    await page.goto(`${host?.url ?? ''}#/pages/${scan.id}`);
    await expect.poll(() => host?.backend.ocr.focusedPageId).toBe(scan.id);
    // The page's dossier too, once the page view knows it.
    await expect.poll(() => host?.backend.ocr.focusedDossierId).toBe(dossierId);
    await page.goto(dossierUrl);
    await page.getByTestId('checklist').waitFor();
    await expect.poll(() => host?.backend.ocr.focusedPageId).toBeNull();
    expect(host?.backend.ocr.focusedDossierId).toBe(dossierId);
  });

  it('reuses the scanned tờ khai in another dossier with one click', async () => {
    await newDossier('1.000894', '1');
    const candidate = component('TK').getByTestId('reuse-candidate');
    await candidate.waitFor();
    await shot('suggestion');
    expect(await candidate.innerText()).toContain(`Hồ sơ ${firstCode}`);
    await component('TK').getByTestId('reuse-attach').click();
    await expect.poll(() => component('TK').getAttribute('data-state')).toBe('reused_component');
    expect(await component('TK').getByTestId('component-item').innerText()).toContain(`Dùng lại từ hồ sơ ${firstCode}`);
    await shot('reuse');
  });

  it('lets the supervisor reject a scan with a reason; it goes to the clerks’ queue', async () => {
    await page.getByTestId('nav-approval').click();
    const item = page.getByTestId('approval-item');
    await expect.poll(() => item.count()).toBe(1);
    expect(await item.innerText()).toContain(firstCode);
    await shot('approval');
    await item.getByTestId('reject').click();
    await page.getByTestId('reject-reason').fill('Ảnh mờ, quét lại');
    await page.keyboard.press('Enter');
    await page.getByTestId('approval-empty').waitFor();
    await page.getByTestId('approval-tab-rejected').click();
    await expect.poll(() => page.getByTestId('approval-item').count()).toBe(1);
    expect(await page.getByTestId('approval-item').innerText()).toContain('Ảnh mờ, quét lại');
    await shot('rejected');
    expect(errors).toEqual([]);
  });
});
