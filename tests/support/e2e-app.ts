/**
 * The set-up the end-to-end tests share: the renderer built and served by a web host on a real
 * backend, the administrator signed in over HTTP, and a Chromium page carrying that session.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Browser, BrowserContextOptions, Page } from 'playwright-core';
import type { Backend, BackendOptions } from '../../electron/core/backend';
import { startWebHost } from '../../electron/web/server';
import { buildRenderer } from './browser';
import { openTempBackend } from './temp-backend';
import { setUpAdmin, type WebSession } from './web-session';

export type WebHost = Awaited<ReturnType<typeof startWebHost>>;

/** The window every screen is designed for, in Vietnamese. */
export const DESKTOP_CONTEXT: BrowserContextOptions = { viewport: { width: 1440, height: 900 }, locale: 'vi-VN' };

/**
 * Builds the renderer into `work/renderer`, opens a browser-mode backend on `work/data` and serves
 * both; the administrator is set up and signed in. `close` stops the host and the backend (close the
 * browser first); removing `work` stays with the test that made it.
 */
export async function startSignedInHost(
  work: string,
  backendOptions: Partial<BackendOptions> = {},
): Promise<{ backend: Backend; host: WebHost; admin: WebSession; close: () => Promise<void> }> {
  const rendererDir = path.join(work, 'renderer');
  await buildRenderer(rendererDir);
  const dataDir = path.join(work, 'data');
  const { backend, close: closeBackend } = await openTempBackend({ dataDir, host: 'browser', ...backendOptions });
  let host: WebHost | undefined;
  const close = async () => {
    await host?.close();
    await closeBackend();
  };
  try {
    host = await startWebHost({ dataDir, port: 0, rendererDir, backend });
    // Signed in as the administrator over HTTP: for the test's own calls and, as a cookie, for the browser.
    const admin = await setUpAdmin(host.url);
    return { backend, host, admin, close };
  } catch (error) {
    // Nothing is left open when the set-up fails half-way.
    await close();
    throw error;
  }
}

/**
 * As `startSignedInHost`, but the host opens its own backend on `work/data` as `sohoa serve` does
 * (`host.close` closes both).
 */
export async function startServingHost(work: string, ocrWorkers = 1): Promise<{ host: WebHost; admin: WebSession }> {
  const rendererDir = path.join(work, 'renderer');
  await buildRenderer(rendererDir);
  const host = await startWebHost({ dataDir: path.join(work, 'data'), port: 0, rendererDir, ocrWorkers });
  return { host, admin: await setUpAdmin(host.url) };
}

/** A new page in its own context with the session's cookie; uncaught page errors go to `pageErrors`. */
export async function openSignedInPage(
  browser: Browser,
  session: WebSession,
  contextOptions: BrowserContextOptions = DESKTOP_CONTEXT,
  pageErrors?: string[],
): Promise<Page> {
  const context = await browser.newContext(contextOptions);
  await context.addCookies([session.cookie]);
  const page = await context.newPage();
  if (pageErrors) page.on('pageerror', (error) => pageErrors.push(String(error)));
  return page;
}

/** SOHOA_E2E_SCREENSHOTS=/some/dir keeps screenshots of the screens under test; otherwise nothing is written. */
export async function keepScreenshot(page: Page, name: string, fullPage = false): Promise<void> {
  const dir = process.env.SOHOA_E2E_SCREENSHOTS;
  if (!dir) return;
  mkdirSync(dir, { recursive: true });
  await page.screenshot({ path: path.join(dir, `${name}.png`), ...(fullPage ? { fullPage: true } : {}) });
}
