import react from '@vitejs/plugin-react';
import { defineConfig } from 'electron-vite';

// The desktop build: main (shell + the backend's utility-process entry), the one-file preload,
// and the renderer. Dependencies stay external: better-sqlite3 and sharp are native, tesseract.js
// starts its own worker script from node_modules.
export default defineConfig({
  main: {
    build: {
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
