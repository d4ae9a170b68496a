/**
 * Page editing in a real Chromium against browser mode: a page dragged to a new place, a page
 * deleted and brought back with "Hoàn tác", a page rotated (its thumbnail re-made), Alt+→ moving
 * the focused page, and a blank page answered with one click.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openBackend } from '../../electron/core/backend';
import { startWebHost } from '../../electron/web/server';
import { renderMultiPageTiff, renderTextPage } from '../fixtures/scans';
import { buildRenderer, launchChromium } from '../support/browser';
import { keepScreenshot, openSignedInPage } from '../support/e2e-app';
import { callAs, setUpAdmin, type WebSession } from '../support/web-session';

describe('page editing in the browser (browser mode, real backend)', () => {
  const work = mkdtempSync(path.join(os.tmpdir(), 'sohoa-e2e-pages-'));
  let host: Awaited<ReturnType<typeof startWebHost>> | undefined;
  let browser: Browser | undefined;
  let admin: WebSession;
  let page: Page;
  let dossierId = '';
  let pageIds: number[] = [];
  let blankPageId = 0;

  beforeAll(async () => {
    const rendererDir = path.join(work, 'renderer');
    await buildRenderer(rendererDir);
    // OCR is not what is tested here: pages stay queued, so no page is "being recognized" when rotated.
    const backend = await openBackend({
      dataDir: path.join(work, 'data'),
      host: 'browser',
      ocrWorkers: 1,
      runOcr: false,
    });
    await backend.ocr.stop();
    host = await startWebHost({ dataDir: path.join(work, 'data'), port: 0, rendererDir, backend });
    admin = await setUpAdmin(host.url);
    const dossier = await callAs(host.backend, admin, 'dossiers.create', {
      citizenId: '079190123456',
      citizenName: 'Trần Thị Bình',
      procedureCode: '1.001193',
    });
    dossierId = dossier.id;
    const small = (text: string) =>
      renderTextPage({ lines: [text, 'Tờ khai đăng ký khai sinh'], widthPx: 827, heightPx: 1170, dpi: 100 });
    mkdirSync(path.join(work, 'inputs'));
    const tiff = path.join(work, 'inputs', 'to-khai.tif');
    writeFileSync(
      tiff,
      await renderMultiPageTiff([await small('Trang một'), await small('Trang hai'), await small('Trang ba')]),
    );
    const blank = path.join(work, 'inputs', 'mat-sau.png');
    writeFileSync(blank, await renderTextPage({ lines: [], widthPx: 827, heightPx: 1170, dpi: 100 }));
    const outcomes = await host.backend.importFiles(
      [
        { file: tiff, name: 'to-khai.tif' },
        { file: blank, name: 'mat-sau.png' },
      ],
      { dossierId, citizenId: null },
    );
    const [first, second] = outcomes;
    if (!first?.ok || !second?.ok) throw new Error('import failed');
    pageIds = first.pageIds;
    blankPageId = second.pageIds[0] ?? 0;

    browser = await launchChromium();
    page = await openSignedInPage(browser, admin, { locale: 'vi-VN', viewport: { width: 1440, height: 1000 } });
    await page.goto(`${host.url}/#/dossiers/${encodeURIComponent(dossierId)}`);
    await page.getByTestId('page-grid').waitFor();
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await host?.close();
    rmSync(work, { recursive: true, force: true });
  });

  /** The grid's page ids, left to right. */
  async function gridOrder(): Promise<number[]> {
    return page
      .getByTestId('page-thumb')
      .evaluateAll((items) => items.map((item) => Number(item.getAttribute('data-page-id'))));
  }

  async function waitForOrder(expected: number[]): Promise<void> {
    try {
      await page.waitForFunction(
        (want) =>
          JSON.stringify(
            Array.from(document.querySelectorAll('[data-testid="page-thumb"]')).map((item) =>
              Number(item.getAttribute('data-page-id')),
            ),
          ) === JSON.stringify(want),
        expected,
      );
    } catch (error) {
      // Say what the grid shows instead, and any refusal on screen.
      const notice = await page.getByTestId('page-edit-error').allInnerTexts();
      throw new Error(
        `grid shows ${JSON.stringify(await gridOrder())}, expected ${JSON.stringify(expected)} ${notice.join(' ')}`,
        {
          cause: error,
        },
      );
    }
  }

  /** The order the backend holds, not only what the screen shows. */
  async function storedOrder(): Promise<number[]> {
    const detail = await callAs(host!.backend, admin, 'dossiers.get', { id: dossierId });
    return detail.documents.flatMap((doc) => doc.pages.map((p) => p.id));
  }

  const thumb = (id: number) => page.locator(`[data-testid="page-thumb"][data-page-id="${id}"]`);

  it('drags a page to a new place', async () => {
    const [a, b, c] = pageIds as [number, number, number];
    await waitForOrder([a, b, c, blankPageId]);
    // Page 3 dropped on the left half of page 1: it becomes the first page.
    await thumb(c).dragTo(thumb(a), { targetPosition: { x: 10, y: 60 } });
    await waitForOrder([c, a, b, blankPageId]);
    expect(await storedOrder()).toEqual([c, a, b, blankPageId]);
  });

  it('moves the focused page with Alt+→', async () => {
    const before = await gridOrder();
    const first = before[0]!;
    await thumb(first).locator('.thumb__link').focus();
    await page.keyboard.press('Alt+ArrowRight');
    const expected = [before[1]!, first, ...before.slice(2)];
    await waitForOrder(expected);
    expect(await storedOrder()).toEqual(expected);
  });

  it('deletes a page and brings it back with “Hoàn tác”, then with Ctrl+Z', async () => {
    const before = await gridOrder();
    const victim = before[1]!;
    await thumb(victim).getByTestId('page-delete').click();
    await page.getByTestId('undo-toast').waitFor();
    expect(await page.getByTestId('undo-toast').innerText()).toContain('Đã xóa trang 2');
    await keepScreenshot(page, 'page-deleted-undo', true);
    await waitForOrder(before.filter((id) => id !== victim));
    expect(await storedOrder()).toEqual(before.filter((id) => id !== victim));

    await page.getByTestId('undo-delete').click();
    await waitForOrder(before);
    expect(await storedOrder()).toEqual(before);

    // Ctrl+Z while the toast is up does the same.
    await thumb(victim).getByTestId('page-delete').click();
    await page.getByTestId('undo-toast').waitFor();
    await waitForOrder(before.filter((id) => id !== victim));
    await page.keyboard.press('Control+z');
    await waitForOrder(before);
    expect(await storedOrder()).toEqual(before);
  });

  it('rotates a page: the working copy and its thumbnail are made again', async () => {
    const target = pageIds[0]!;
    const image = thumb(target).locator('img.thumb__image');
    const srcBefore = await image.getAttribute('src');
    await expect.poll(() => image.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0)).toBe(true);
    const sizeBefore = await image.evaluate((img: HTMLImageElement) => [img.naturalWidth, img.naturalHeight]);
    await thumb(target).getByTestId('page-rotate-right').click();
    await page.waitForFunction(
      (id) =>
        document.querySelector(`[data-testid="page-thumb"][data-page-id="${id}"]`)?.getAttribute('data-rotation') ===
        '90',
      target,
    );
    await expect.poll(() => image.getAttribute('src')).not.toBe(srcBefore);
    // Portrait became landscape, once the new thumbnail has loaded.
    expect(sizeBefore[0]! < sizeBefore[1]!).toBe(true);
    await expect
      .poll(() => image.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > img.naturalHeight))
      .toBe(true);
    const stored = await callAs(host!.backend, admin, 'pages.get', { id: target });
    expect(stored.rotation).toBe(90);
    expect(stored.ocrStatus).toBe('queued');
  });

  it('splits a document at a page and merges it back', async () => {
    const before = await gridOrder();
    const second = before[1]!;
    const docOf = (id: number) => thumb(id).getAttribute('data-document-id');
    const parent = await docOf(before[0]!);
    expect(await docOf(second)).toBe(parent);
    await thumb(second).getByTestId('document-split').click();
    await expect.poll(() => docOf(second)).not.toBe(parent);
    expect(await gridOrder()).toEqual(before);
    // The page now starts a document: it offers to merge back instead of splitting.
    await thumb(second).getByTestId('document-merge').click();
    await expect.poll(() => docOf(second)).toBe(parent);
    expect(await gridOrder()).toEqual(before);
    expect(await storedOrder()).toEqual(before);
  });

  it('deletes the focused page with the Delete key and undoes it', async () => {
    const before = await gridOrder();
    const victim = before[0]!;
    await thumb(victim).locator('.thumb__link').focus();
    await page.keyboard.press('Delete');
    await waitForOrder(before.slice(1));
    await page.keyboard.press('Control+z');
    await waitForOrder(before);
    expect(await storedOrder()).toEqual(before);
  });

  it('puts ticked pages under a checklist component, which then shows digitized', async () => {
    const [first, second] = await gridOrder();
    await thumb(first!).getByTestId('page-select').check();
    await thumb(second!).getByTestId('page-select').check();
    await page.getByTestId('page-assign-component').selectOption({ label: 'Giấy chứng sinh' });
    await page.getByTestId('page-assign').click();
    const component = page.getByTestId('checklist-component').filter({ hasText: 'Giấy chứng sinh' });
    await expect.poll(() => component.getAttribute('data-state')).toBe('digitized');
    // The two pages now form a document of their own, first in the dossier, order kept.
    await expect.poll(() => gridOrder()).toEqual(await storedOrder());
    const detail = await callAs(host!.backend, admin, 'dossiers.get', { id: dossierId });
    const assigned = detail.documents.find((doc) => doc.title === 'Giấy chứng sinh');
    expect(assigned?.pages.map((p) => p.id)).toEqual([first, second]);
  });

  it('flags a blank page and keeps it with one click', async () => {
    const blank = thumb(blankPageId);
    await expect.poll(() => blank.getByTestId('page-blank').innerText()).toBe('Trang trắng?');
    // Done without OCR for want of text: not shown as a page whose text was read.
    expect(await blank.getByTestId('ocr-status').innerText()).toBe('Không có chữ');
    expect(await blank.getByTestId('blank-not').innerText()).toBe('Đọc chữ');
    await blank.getByTestId('blank-keep').click();
    await expect.poll(() => blank.getByTestId('page-blank').innerText()).toBe('Trang trắng (giữ)');
    const stored = await callAs(host!.backend, admin, 'pages.get', { id: blankPageId });
    expect(stored.blank).toBe(true);
    expect(stored.blankConfirmed).toBe(true);
    // Low resolution is shown with a rescan action.
    expect(await blank.getByTestId('page-quality').innerText()).toContain('dpi');
    expect(await blank.getByTestId('page-rescan').isVisible()).toBe(true);
    // "Quét lại": a sharp 200 dpi scan takes the page's place; the warning goes with the old page.
    const before = await gridOrder();
    const rescan = path.join(work, 'inputs', 'quet-lai.png');
    writeFileSync(rescan, await renderTextPage({ lines: ['Mặt sau đã quét lại'] }));
    await blank.locator('input[type="file"]').setInputFiles(rescan);
    await page.getByTestId('page-edit-notice').waitFor();
    const after = await storedOrder();
    expect(after).not.toContain(blankPageId);
    expect(after.length).toBe(before.length);
    expect(after.indexOf(after.find((id) => !before.includes(id))!)).toBe(before.indexOf(blankPageId));
    await waitForOrder(after);
    await thumb(pageIds[1]!).getByTestId('page-select').check();
    await page.getByTestId('page-assign-bar').waitFor();
    await keepScreenshot(page, 'page-grid-edit', true);
    expect(await page.getByTestId('page-quality').count()).toBe(3);
  });
});
