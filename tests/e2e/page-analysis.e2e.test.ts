/**
 * The page view in a real Chromium (browser mode, real backend): a scanned ID card's QR code is
 * shown with “Áp dụng cho hồ sơ”, and the suggested document type can be confirmed or corrected.
 * Debian's Chromium at /usr/bin/chromium; Playwright never downloads a browser.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Backend } from '../../electron/core/backend';
import { renderIdCardPage } from '../fixtures/id-card-pages';
import { launchChromium } from '../support/browser';
import { DESKTOP_CONTEXT, openSignedInPage, startSignedInHost, type WebHost } from '../support/e2e-app';
import { callAs, type WebSession } from '../support/web-session';

describe('ID card QR and document type in the page view (real browser)', () => {
  const work = mkdtempSync(path.join(os.tmpdir(), 'sohoa-e2e-analysis-'));
  let backend: Backend;
  let closeApp: (() => Promise<void>) | undefined;
  let host: WebHost | undefined;
  let browser: Browser | undefined;
  let page: Page;
  let dossierId = '';
  let pageId = 0;
  let admin: WebSession;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    ({ backend, host, admin, close: closeApp } = await startSignedInHost(work));
    const dossier = await callAs(backend, admin, 'dossiers.create', {
      citizenId: '001085012345',
      procedureCode: '1.001193',
    });
    dossierId = dossier.id;
    const scan = path.join(work, 'cccd.jpg');
    writeFileSync(scan, await renderIdCardPage({ rotateDeg: 2, moduleSize: 3, jpegQuality: 85 }));
    const [outcome] = await backend.importFiles([{ file: scan, name: 'cccd.jpg' }], { dossierId, citizenId: null });
    pageId = outcome?.ok ? (outcome.pageIds[0] ?? 0) : 0;
    await backend.ocr.waitForPages([pageId]);

    browser = await launchChromium();
    page = await openSignedInPage(browser, admin, DESKTOP_CONTEXT, pageErrors);
  });

  afterAll(async () => {
    await browser?.close();
    await closeApp?.();
    rmSync(work, { recursive: true, force: true });
  });

  it('shows the card read from the QR code and applies it to the dossier', async () => {
    if (!host) throw new Error('web host did not start');
    await page.goto(`${host.url}/#/pages/${pageId}`);
    const card = page.getByTestId('id-card');
    await card.waitFor();
    const shown = await card.innerText();
    for (const value of ['001085012345', 'Nguyễn Văn An', '15/03/1985', 'Nam', 'Số 12 Lê Lợi', '01/05/2021']) {
      expect(shown).toContain(value);
    }
    await page.getByTestId('id-card-apply').click();
    await page.getByTestId('id-card-applied').waitFor();
    expect(await page.getByTestId('id-card-applied').innerText()).toContain('Đã cập nhật thông tin công dân');
    expect((await callAs(backend, admin, 'dossiers.get', { id: dossierId })).dossier.citizenName).toBe('Nguyễn Văn An');
  });

  it('shows the suggested type, and confirms the one the clerk picks', async () => {
    await page.getByTestId('doc-type-panel').waitFor();
    expect(await page.getByTestId('doc-type-suggested').getAttribute('data-code')).toBe('cccd');
    expect(await page.getByTestId('doc-type-suggested').innerText()).toContain('Căn cước');
    await page.getByTestId('doc-type-select').selectOption('giay-khai-sinh');
    await page.getByTestId('doc-type-confirm').click();
    await page.getByTestId('doc-type-confirmed').waitFor();
    expect(await page.getByTestId('doc-type-confirmed').innerText()).toContain('Giấy khai sinh');
    const documentId = (await callAs(backend, admin, 'pages.get', { id: pageId })).documentId;
    expect(backend.db.prepare('SELECT doc_type FROM documents WHERE id = ?').get(documentId)).toEqual({
      doc_type: 'giay-khai-sinh',
    });
    await page.getByTestId('doc-type-clear').click();
    await page.getByTestId('doc-type-confirmed').waitFor({ state: 'detached' });
    expect(pageErrors).toEqual([]);
  });
});
