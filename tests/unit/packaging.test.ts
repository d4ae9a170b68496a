import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const require = createRequire(import.meta.url);
const root = path.resolve(import.meta.dirname, '../..');
const config = JSON.parse(readFileSync(path.join(root, 'electron-builder.json'), 'utf8')) as {
  files: string[];
  extraResources: { from: string; to: string }[];
  npmRebuild: boolean;
  beforePack: string;
  asarUnpack: string[];
  nsis: { oneClick: boolean; perMachine: boolean };
  linux: { target: string[] };
  win: { target: { target: string }[] };
};
const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as {
  main: string;
  dependencies: Record<string, string>;
  scripts: Record<string, string>;
};

/** Packages that load native code, WASM or data files from their own folder at run time. */
const LOADS_FILES_AT_RUN_TIME = [
  'better-sqlite3',
  'sharp',
  'tesseract.js',
  '@tesseract.js-data/vie',
  '@tesseract.js-data/eng',
  'zxing-wasm',
  'mupdf',
];

describe('installer configuration (electron-builder)', () => {
  it('keeps node_modules at Node ABI and rebuilds native modules for Electron only in a beforePack hook', () => {
    expect(config.npmRebuild).toBe(false);
    const hook = require(path.join(root, config.beforePack)) as {
      default: unknown;
      addonAbi: (file: string) => number | null;
      NATIVE_MODULES: string[];
    };
    expect(typeof hook.default).toBe('function');
    expect(hook.NATIVE_MODULES).toContain('better-sqlite3');
    // The hook's guard reads the ABI a built addon registers; here it is Node's, which is exactly
    // what it must refuse to ship inside Electron.
    const addon = path.join(root, 'node_modules/better-sqlite3/build/Release/better_sqlite3.node');
    expect(hook.addonAbi(addon)).toBe(Number(process.versions.modules));
  });

  it('unpacks every dependency that loads native code, WASM or data files from its folder', () => {
    for (const name of LOADS_FILES_AT_RUN_TIME) {
      if (!(name in pkg.dependencies)) continue;
      const covered = config.asarUnpack.some((pattern) => {
        const prefix = pattern.replace(/\/\*\*$/, '');
        return `node_modules/${name}`.startsWith(prefix);
      });
      expect(covered, name).toBe(true);
    }
    // tesseract.js starts its worker from tesseract.js-core's WASM build.
    expect(config.asarUnpack).toContain('node_modules/tesseract.js-core/**');
  });

  it('ships what the shell loads at run time: main, preload, renderer, backend entry and assets', () => {
    expect(pkg.main).toBe('out/main/index.js');
    expect(config.files).toContain('out/**');
    const shell = readFileSync(path.join(root, 'electron/main/index.ts'), 'utf8');
    expect(shell).toContain("'../preload/index.cjs'");
    expect(shell).toContain("'core-host.js'");
    expect(shell).toContain("path.join(process.resourcesPath, 'assets')");
    expect(config.extraResources).toContainEqual(expect.objectContaining({ from: 'assets', to: 'assets' }));
    const vite = readFileSync(path.join(root, 'electron.vite.config.ts'), 'utf8');
    expect(vite).toContain("entryFileNames: '[name].cjs'");
    expect(vite).toContain("'core-host': 'electron/main/core-host.ts'");
    for (const file of ['reference/sample-procedures.json', 'reference/cccd_province_prefixes.tsv'])
      expect(existsSync(path.join(root, 'assets', file)), file).toBe(true);
  });

  it('builds a Windows installer that offers per-user or per-machine, and Linux AppImage and deb', () => {
    expect(config.win.target.map((t) => t.target)).toContain('nsis');
    expect(config.nsis).toMatchObject({ oneClick: false, perMachine: false });
    expect(config.linux.target).toEqual(expect.arrayContaining(['AppImage', 'deb']));
    expect(pkg.scripts.dist).toMatch(/electron-builder/);
  });
});
