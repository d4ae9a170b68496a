/**
 * Builds the React renderer (renderer/) into out/renderer. One build serves both hosts: the
 * desktop shell loads it from app://, browser mode serves it over http from the local web host,
 * so every URL in it is relative (base './').
 *
 *   npx vite build --config vite.web.config.ts        (npm run build:web)
 *   npx vite --config vite.web.config.ts              (dev server; set SOHOA_API to a running web host)
 */
import { fileURLToPath } from 'node:url';
import { defineConfig, type Plugin } from 'vite';
import react from '@vitejs/plugin-react';

const repoRoot = fileURLToPath(new URL('.', import.meta.url));
const rendererRoot = fileURLToPath(new URL('./renderer', import.meta.url));
const outDir = fileURLToPath(new URL('./out/renderer', import.meta.url));

/**
 * The dev server injects an inline React Refresh preamble that the production CSP (script-src
 * 'self') would block. The CSP stays in index.html for every build; only `vite serve` drops it.
 */
function dropCspInDev(): Plugin {
  return {
    name: 'sohoa:drop-csp-in-dev',
    apply: 'serve',
    transformIndexHtml(html) {
      return html.replace(/<meta http-equiv="Content-Security-Policy"[^>]*>\s*/i, '');
    },
  };
}

const apiTarget = process.env.SOHOA_API ?? 'http://127.0.0.1:5175';

export default defineConfig({
  root: rendererRoot,
  base: './',
  publicDir: false,
  plugins: [react(), dropCspInDev()],
  build: {
    outDir,
    emptyOutDir: true,
    minify: true,
    sourcemap: false,
    // Electron 41 and current Chromium both support module preload natively.
    modulePreload: { polyfill: false },
    // Fonts and images are served as files (CSP font-src/img-src 'self'), never inlined as data: URLs.
    assetsInlineLimit: 0,
    chunkSizeWarningLimit: 1024,
    rollupOptions: {
      input: fileURLToPath(new URL('./renderer/index.html', import.meta.url)),
    },
  },
  server: {
    fs: { allow: [repoRoot] },
    proxy: {
      '/api': { target: apiTarget, changeOrigin: false },
      '/media': { target: apiTarget, changeOrigin: false },
    },
  },
});
