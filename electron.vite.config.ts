import react from '@vitejs/plugin-react';
import { defineConfig } from 'electron-vite';

// The desktop build: main (shell + the backend's utility-process entry), the one-file preload,
// and the renderer. Dependencies stay external: better-sqlite3 and sharp are native, tesseract.js
// starts its own worker script from node_modules. pdf-lib is built in: loaded as its 200-odd
// CommonJS files it cost the backend's start about 0.25 CPU-s, bundled 0.04 (as in the CLI's
// bundle, bin/source-bundle.mjs).
export default defineConfig({
  main: {
    build: {
      externalizeDeps: { exclude: ['pdf-lib'] },
      rollupOptions: {
        input: { index: 'electron/main/index.ts', 'core-host': 'electron/main/core-host.ts' },
      },
    },
  },
  preload: {
    build: {
      rollupOptions: {
        input: { index: 'electron/preload/index.ts' },
        // A sandboxed preload must be a single CommonJS file.
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: 'renderer',
    base: './',
    plugins: [react()],
    build: { outDir: 'out/renderer', minify: true, rollupOptions: { input: 'renderer/index.html' } },
  },
});
