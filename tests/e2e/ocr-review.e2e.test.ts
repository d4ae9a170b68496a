/**
 * OCR review and the OCR queue controls in a real Chromium against browser mode: low-confidence
 * words are marked on the page image and corrected by the clerk; queued pages are cancelled from
 * the dossier view and queued again from the page view.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../support/browser';
import { DESKTOP_CONTEXT, keepScreenshot, openSignedInPage, startServingHost, type WebHost } from '../support/e2e-app';
import { renderMultiPageTiff, renderTextPage, SAMPLE_PAGES } from '../fixtures/scans';
import { callAs, type WebSession } from '../support/web-session';

const dense = SAMPLE_PAGES.find((sample) => sample.kind === 'dense');
if (!dense) throw new Error('sample pages missing');

describe('OCR review and queue controls in the browser (browser mode, real backend)', () => {
  const work = mkdtempSync(path.join(os.tmpdir(), 'sohoa-e2e-ocr-'));
  const inputs = path.join(work, 'inputs');
  let host: WebHost | undefined;
  let browser: Browser | undefined;
  let admin: WebSession;
  let page: Page;
  let dossierId = '';
  let pageId = 0;
  let smallPage: Buffer;
  /** The dense page and the copy of the small one, imported by the queue test. */
  let stack: number[] = [];

  async function importFile(name: string, bytes: Buffer): Promise<number[]> {
    if (!host) throw new Error('no host');
    const file = path.join(inputs, name);
    writeFileSync(file, bytes);
    const [outcome] = await host.backend.importFiles([{ file, name }], { dossierId, citizenId: null });
    if (!outcome?.ok) throw new Error(`import of ${name} failed`);
    return outcome.pageIds;
  }

  beforeAll(async () => {
    mkdirSync(inputs);
    ({ host, admin } = await startServingHost(work));
    const dossier = await callAs(host.backend, admin, 'dossiers.create', {
      citizenId: '048085006789',
      citizenName: 'Lê Văn Cường',
      procedureCode: '1.001193',
    });
    dossierId = dossier.id;
    smallPage = await renderTextPage({
      lines: ['GIẤY XÁC NHẬN', 'Họ và tên: Lê Văn Cường'],
      widthPx: 1000,
      heightPx: 500,
    });
    // A TIFF page: archived as lossless PNG, so the same page in another TIFF is the same image.
    const ids = await importFile('xac-nhan.tif', await renderMultiPageTiff([smallPage]));
    pageId = ids[0] ?? 0;
    await host.backend.ocr.waitForPages(ids);
    // Every word counts as doubtful: the review list and overlay do not depend on OCR's scores.
    await callAs(host.backend, admin, 'ocr.setReviewThreshold', { threshold: 100 });

    browser = await launchChromium();
    page = await openSignedInPage(browser, admin, DESKTOP_CONTEXT);
  });

  afterAll(async () => {
    await browser?.close();
    await host?.close();
    rmSync(work, { recursive: true, force: true });
  });

  it('marks doubtful words on the image and saves a correction into the page text', async () => {
    await page.goto(`${host?.url}/#/pages/${pageId}`);
    await page.getByTestId('ocr-review').waitFor();
    await expect(page.getByTestId('page-needs-review').isVisible()).resolves.toBe(true);
    const boxes = page.getByTestId('ocr-overlay-word');
    await boxes.first().waitFor();
    const review = await callAs(host!.backend, admin, 'pages.ocrReview', { pageId });
    expect(await boxes.count()).toBe(review.words.length);

    // The overlay sits on the displayed image and is scaled to it.
    const image = await page.getByTestId('page-image').boundingBox();
    const overlay = await page.getByTestId('ocr-overlay').boundingBox();
    expect(image && overlay).toBeTruthy();
    expect(Math.abs((overlay?.x ?? 0) - (image?.x ?? 0))).toBeLessThan(2);
    expect(Math.abs((overlay?.width ?? 0) - (image?.width ?? 0))).toBeLessThan(2);

    const target = review.words.find((word) => word.text === 'Cường') ?? review.words.at(-1);
    if (!target) throw new Error('no words recognized');
    await page.locator(`[data-testid="ocr-overlay-word"][data-word-index="${target.index}"]`).click();
    const input = page.getByTestId('ocr-review-input');
    await expect(input.inputValue()).resolves.toBe(target.text);
    // The word as scanned, enlarged beside its editor, cut from the very image the pane shows.
    const snippet = page.getByTestId('ocr-review-snippet');
    const shown = await page.getByTestId('page-image').getAttribute('src');
    expect(await snippet.evaluate((el) => getComputedStyle(el).backgroundImage)).toContain(shown ?? 'no image');
    expect((await snippet.boundingBox())?.height).toBeGreaterThan(20);
    await keepScreenshot(page, 'ocr-review');
    await input.fill('Quỳnh');
    await page.getByTestId('ocr-review-save').click();
    await page.getByTestId('ocr-review-saved').waitFor();
    expect(await page.getByTestId('ocr-review-saved').textContent()).toBe(`Đã sửa “${target.text}” thành “Quỳnh”.`);
    // The review moves on to the next doubtful word (every word is, at this threshold), ready to
    // type over; Enter confirms it as read and moves on again; Esc lets go of the word.
    const following = review.words.find((word) => word.index > target.index) ?? review.words[0];
    if (!following) throw new Error('only one word recognized');
    await expect.poll(() => input.inputValue()).toBe(following.text);
    expect(await input.evaluate((el) => el === document.activeElement)).toBe(true);
    await input.press('Enter');
    await expect
      .poll(() => page.getByTestId('ocr-review-saved').textContent())
      .toBe(`Đã xác nhận “${following.text}”.`);
    await expect.poll(() => input.evaluate((el) => el === document.activeElement)).toBe(true);
    await input.press('Escape');
    await expect.poll(() => input.count()).toBe(0);
    // Esc let go of the word only: the page view (whose own Esc goes back to the dossier) stays.
    expect(page.url()).toContain(`#/pages/${pageId}`);
    await expect(page.getByTestId('ocr-review').isVisible()).resolves.toBe(true);
    await page.waitForFunction(() =>
      document.querySelector('[data-testid="page-text"]')?.textContent?.includes('Quỳnh'),
    );
    const hits = await callAs(host!.backend, admin, 'search.query', { q: 'Quỳnh' });
    expect(hits.map((hit) => hit.pageId)).toContain(pageId);
  });

  it('cancels waiting pages from the dossier view and queues a cancelled page again', async () => {
    // A dense page keeps the single worker busy while the copy of the small page waits.
    const [denseId, copyId] = await importFile(
      'ho-so.tif',
      await renderMultiPageTiff([await renderTextPage({ lines: dense.lines }), smallPage]),
    );
    await page.goto(`${host?.url}/#/dossiers/${encodeURIComponent(dossierId)}`);
    // On a 1366 px counter screen the top bar's queue count and cancel button leave the account
    // and sign-out in view.
    await page.setViewportSize({ width: 1366, height: 768 });
    await page.getByTestId('ocr-queue').getByTestId('ocr-cancel').waitFor();
    const signOut = await page.getByTestId('sign-out').boundingBox();
    expect(signOut && signOut.x + signOut.width).toBeLessThanOrEqual(1366);
    await page.setViewportSize(DESKTOP_CONTEXT.viewport ?? { width: 1440, height: 900 });
    await page.getByTestId('dossier-view').getByTestId('ocr-cancel').click();
    await page.getByTestId('ocr-actions-note').waitFor();
    expect(await page.getByTestId('ocr-actions-note').textContent()).toMatch(/Đã hủy nhận dạng 1 trang/);

    await page.goto(`${host?.url}/#/pages/${copyId}`);
    await page.getByTestId('page-ocr-cancelled').waitFor();
    await keepScreenshot(page, 'ocr-cancelled');
    expect(await page.getByTestId('page-ocr-cancelled').textContent()).toContain('Đã hủy nhận dạng');
    await page.getByTestId('ocr-retry').click();
    // The click only sends the request: wait until the backend has queued the page again, or
    // waitForPages finds nothing to wait for and the page is still cancelled.
    await expect
      .poll(async () => (await callAs(host!.backend, admin, 'pages.get', { id: copyId ?? 0 })).ocrStatus, {
        timeout: 20_000,
      })
      .not.toBe('cancelled');
    await host!.backend.ocr.waitForPages([copyId ?? 0]);
    const copy = await callAs(host!.backend, admin, 'pages.get', { id: copyId ?? 0 });
    expect(copy.ocrStatus).toBe('done');
    expect(copy.ocrCancelled).toBe(false);
    stack = [denseId ?? 0, copyId ?? 0];
  });

  it('goes from page to page needing a check with N, round the dossier, until none is left', async () => {
    const [denseId, copyId] = stack;
    if (!denseId || !copyId) throw new Error('the queue test imported no pages');
    // At a threshold of 100 every recognized page needs checking: the small page, the dense page
    // and the copy, in that order in the dossier.
    // Each N is pressed as soon as the page it moved to is on screen, before that page has loaded:
    // the dossier's order must already count then (it used to wait for the page, and lost keys).
    const showing = (id: number) => page.locator(`[data-testid="page-view"][data-page-id="${id}"]`).waitFor();
    // From the dossier, N (or the button) opens its first page to check.
    await page.goto(`${host?.url}/#/dossiers/${encodeURIComponent(dossierId)}`);
    const toReview = page.getByTestId('next-to-review');
    await expect.poll(() => toReview.textContent()).toBe('Cần kiểm tra: 3 trang');
    // The dossier list says so too, for a clerk coming back to the batch later.
    const listed = page
      .locator(`[data-testid="dossier-item"][data-dossier-id="${dossierId}"]`)
      .getByTestId('dossier-item-to-review');
    await expect.poll(() => listed.textContent()).toBe('3 cần kiểm tra');
    // On a 1366 px counter screen the dossier's actions stay on one row beside the link (the
    // export buttons took a second row, pushing the pages down, before they became a menu).
    await page.setViewportSize({ width: 1366, height: 768 });
    const rowTops = await page
      .locator('.dossier-view .toolbar > *')
      .evaluateAll((els) => els.map((el) => Math.round(el.getBoundingClientRect().top)));
    expect(Math.max(...rowTops) - Math.min(...rowTops)).toBeLessThan(20);
    await page.setViewportSize(DESKTOP_CONTEXT.viewport ?? { width: 1440, height: 900 });
    await page.keyboard.press('n');
    await showing(pageId);
    await expect.poll(() => toReview.textContent()).toBe('Cần kiểm tra: 2 trang');
    await page.keyboard.press('n');
    await showing(denseId);
    await page.keyboard.press('n');
    await showing(copyId);
    // Past the last page it comes round to the first one still flagged.
    await page.keyboard.press('n');
    await showing(pageId);

    // The clerk confirms every word of the copy: it no longer needs checking, and the count
    // follows as soon as the clerk moves on.
    const copyReview = await callAs(host!.backend, admin, 'pages.ocrReview', { pageId: copyId });
    for (const word of copyReview.words) {
      await callAs(host!.backend, admin, 'pages.correctWord', { pageId: copyId, index: word.index, text: word.text });
    }
    expect((await callAs(host!.backend, admin, 'pages.get', { id: copyId })).needsReview).toBe(false);
    // The list follows the corrections as they are saved, with nothing reloaded.
    await expect.poll(() => listed.textContent()).toBe('2 cần kiểm tra');
    // On that page the review has nothing left, and says how to go on.
    await page.goto(`${host?.url}/#/pages/${copyId}`);
    await expect
      .poll(() => page.getByTestId('ocr-review-none').textContent())
      .toBe('Không có từ nào dưới ngưỡng tin cậy. Nhấn N để mở trang cần kiểm tra tiếp theo.');
    await page.getByTestId('prev-page').click();
    await showing(denseId);
    await expect.poll(() => toReview.textContent()).toBe('Cần kiểm tra: 1 trang');
    await toReview.click();
    await showing(pageId);
    await expect.poll(() => toReview.textContent()).toBe('Cần kiểm tra: 1 trang');
  });
});
