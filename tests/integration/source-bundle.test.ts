import { execFile } from 'node:child_process';
import { cp, mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// bin/source-bundle.mjs, which the sohoa command and the sync server start through, on a small
// project of its own: real esbuild, real tsx, a real `node` for every start.
const HELPER = pathToFileURL(fileURLToPath(new URL('../../bin/source-bundle.mjs', import.meta.url))).href;
const run = promisify(execFile);

interface Report {
  version: number;
  /** The asset a module found through its own import.meta.url. */
  asset: string;
  /** Where the code ran from: the bundle or the .ts source. */
  stack: string;
}

let work: string;

beforeAll(async () => {
  work = await mkdtemp(path.join(tmpdir(), 'sohoa-source-bundle-'));
});
afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

async function makeProject(dir: string): Promise<void> {
  await mkdir(path.join(dir, 'src', 'lib'), { recursive: true });
  await mkdir(path.join(dir, 'assets'), { recursive: true });
  await writeFile(path.join(dir, 'package.json'), '{ "type": "module" }\n');
  await writeFile(path.join(dir, 'assets', 'greeting.txt'), 'xin chào');
  await writeFile(path.join(dir, 'src', 'lib', 'version.ts'), 'export const version: number = 1;\n');
  await writeFile(
    path.join(dir, 'src', 'lib', 'assets.ts'),
    `import { readFileSync } from 'node:fs';
export const asset = (): string => readFileSync(new URL('../../assets/greeting.txt', import.meta.url), 'utf8');
`,
  );
  await writeFile(
    path.join(dir, 'src', 'entry.ts'),
    `import { asset } from './lib/assets';
import { version } from './lib/version';
export function report(): { version: number; asset: string; stack: string } {
  return { version, asset: asset(), stack: new Error('where').stack ?? '' };
}
`,
  );
}

async function start(root: string, env: NodeJS.ProcessEnv = {}, bundledPackages: string[] = []): Promise<Report> {
  const script = `const m = await import(${JSON.stringify(HELPER)});
const entry = await m.importEntry({ root: ${JSON.stringify(root)}, entry: 'src/entry.ts', cacheDir: ${JSON.stringify(path.join(root, '.cache'))}, bundledPackages: ${JSON.stringify(bundledPackages)} });
process.stdout.write(JSON.stringify(entry.report()));`;
  const { SOHOA_FROM_SOURCE: _ignored, ...inherited } = process.env;
  const { stdout } = await run(process.execPath, ['--input-type=module', '-e', script], {
    env: { ...inherited, ...env },
  });
  return JSON.parse(stdout) as Report;
}

const bundlePath = (root: string): string => path.join(root, '.cache', 'src-entry.mjs');

describe('running TypeScript entries from a bundle (bin/source-bundle.mjs)', () => {
  it('builds the bundle on first start, and modules still find files next to their sources', async () => {
    const root = path.join(work, 'first');
    await makeProject(root);
    const report = await start(root);
    expect(report).toMatchObject({ version: 1, asset: 'xin chào' });
    expect(report.stack).toContain(bundlePath(root));
    const sources = JSON.parse(await readFile(`${bundlePath(root)}.sources.json`, 'utf8')) as { sources: string[] };
    expect(sources.sources).toEqual(
      expect.arrayContaining(['src/entry.ts', 'src/lib/assets.ts', 'src/lib/version.ts']),
    );
  });

  it('rebuilds when a source changes, and not otherwise', async () => {
    const root = path.join(work, 'edit');
    await makeProject(root);
    await start(root);
    const built = (await stat(bundlePath(root))).mtimeMs;
    expect((await start(root)).version).toBe(1);
    expect((await stat(bundlePath(root))).mtimeMs).toBe(built);

    await writeFile(path.join(root, 'src', 'lib', 'version.ts'), 'export const version: number = 2;\n');
    const report = await start(root);
    expect(report.version).toBe(2);
    expect(report.stack).toContain(bundlePath(root));
  });

  it('keeps working when the project folder is moved, without rebuilding', async () => {
    const root = path.join(work, 'before-move');
    await makeProject(root);
    await start(root);
    const moved = path.join(work, 'after-move');
    await cp(root, moved, { recursive: true, preserveTimestamps: true });
    await rm(root, { recursive: true });
    const built = (await stat(bundlePath(moved))).mtimeMs;
    const report = await start(moved);
    expect(report).toMatchObject({ version: 1, asset: 'xin chào' });
    expect(report.stack).toContain(bundlePath(moved));
    expect((await stat(bundlePath(moved))).mtimeMs).toBe(built);
  });

  it('builds in the packages it is told to (rebuilt when one is reinstalled) and leaves the rest to node_modules', async () => {
    const root = path.join(work, 'packages');
    await makeProject(root);
    async function writePackage(name: string, word: string): Promise<void> {
      const dir = path.join(root, 'node_modules', name);
      await mkdir(dir, { recursive: true });
      await writeFile(path.join(dir, 'package.json'), JSON.stringify({ name, version: '1.0.0', main: 'index.js' }));
      await writeFile(path.join(dir, 'index.js'), `module.exports = { word: ${JSON.stringify(word)} };\n`);
    }
    await writePackage('built-in', 'mot');
    await writePackage('left-out', 'hai');
    await writeFile(
      path.join(root, 'src', 'entry.ts'),
      `import builtIn from 'built-in';
import leftOut from 'left-out';
export function report(): { version: number; asset: string; stack: string } {
  return { version: 1, asset: builtIn.word + ' ' + leftOut.word, stack: new Error('where').stack ?? '' };
}
`,
    );
    expect((await start(root, {}, ['built-in'])).asset).toBe('mot hai');
    const bundle = await readFile(bundlePath(root), 'utf8');
    expect(bundle).toContain('"mot"');
    expect(bundle).not.toContain('"hai"');
    expect(bundle).toMatch(/from "left-out"/u);
    const manifest = JSON.parse(await readFile(`${bundlePath(root)}.sources.json`, 'utf8')) as { sources: string[] };
    expect(manifest.sources).toContain('node_modules/built-in/package.json');
    expect(manifest.sources.some((source) => source.includes('left-out'))).toBe(false);

    // A reinstall (npm rewrites the package.json) rebuilds with the new code.
    await writePackage('built-in', 'ba');
    expect((await start(root, {}, ['built-in'])).asset).toBe('ba hai');
  });

  it('runs the sources through tsx when asked to, or when the bundle cannot be built', async () => {
    const root = path.join(work, 'source');
    await makeProject(root);
    const fromSource = await start(root, { SOHOA_FROM_SOURCE: '1' });
    expect(fromSource).toMatchObject({ version: 1, asset: 'xin chào' });
    expect(fromSource.stack).toContain(path.join(root, 'src', 'entry.ts'));

    // import.meta.dirname cannot keep its meaning in a bundle: that project runs from source.
    await writeFile(
      path.join(root, 'src', 'lib', 'version.ts'),
      'export const version: number = import.meta.dirname ? 3 : 0;\n',
    );
    const unbundled = await start(root);
    expect(unbundled.version).toBe(3);
    expect(unbundled.stack).toContain(path.join(root, 'src', 'entry.ts'));
  });
});
