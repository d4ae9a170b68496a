/**
 * What every end-to-end test needs: the renderer built as browser mode serves it, and Debian's
 * Chromium driven by playwright-core (Playwright never downloads a browser here).
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser } from 'playwright-core';
import { build } from 'vite';

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));

export const CHROMIUM = process.env.SOHOA_CHROMIUM ?? '/usr/bin/chromium';

/** Headless, no sandbox (CI runs as root), and none of Chromium's calls home: the network is closed. */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
];

/** `extraArgs`: more switches for one test, e.g. a fake camera fed from a file. */
export function launchChromium(extraArgs: readonly string[] = []): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: [...CHROMIUM_ARGS, ...extraArgs] });
}

/**
 * Builds the renderer into `outDir` with the production config (minified, CSP meta tag) and
 * production React, as clerks run it: under vitest NODE_ENV is 'test', and Vite would otherwise
 * bundle React's development build (slower, and in StrictMode every effect runs twice).
 */
export async function buildRenderer(outDir: string): Promise<void> {
  // The React plugin picks its JSX runtime from NODE_ENV too: set it for the build, as `vite build` would.
  const testEnv = process.env.NODE_ENV;
  process.env.NODE_ENV = 'production';
  try {
    await build({
      configFile: path.join(repoRoot, 'vite.web.config.ts'),
      mode: 'production',
      logLevel: 'warn',
      build: { outDir, emptyOutDir: true },
    });
  } finally {
    if (testEnv === undefined) delete process.env.NODE_ENV;
    else process.env.NODE_ENV = testEnv;
  }
}
