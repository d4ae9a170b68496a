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

/** Builds the renderer into `outDir` with the production config (minified, CSP meta tag). */
export async function buildRenderer(outDir: string): Promise<void> {
  await build({
    configFile: path.join(repoRoot, 'vite.web.config.ts'),
    logLevel: 'warn',
    build: { outDir, emptyOutDir: true },
  });
}
