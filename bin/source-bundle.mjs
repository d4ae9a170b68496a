// Runs a TypeScript entry point (the sohoa command, the sync server) from one bundled file, built
// from the sources on first use and again whenever one of them is newer. Loading the sources one
// by one through tsx's loader cost every start about 0.9 CPU-s more (the CLI's 189 files and the
// packages' ES modules, each resolved and loaded through tsx's hooks thread). The bundle keeps
// node_modules external: native modules, tesseract.js's worker and the WebAssembly files load
// from node_modules as before. The pure-JavaScript packages in BUNDLED_PACKAGES are the exception.
// When the bundle cannot be built (no write access, a build error) or SOHOA_FROM_SOURCE is set,
// the sources run through tsx, as they always could.
import { accessSync, constants, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/**
 * Pure-JavaScript packages built into the bundle, with what they import. pdf-lib is some 200
 * CommonJS files: loaded from node_modules it cost every start about 0.25 CPU-s (each file
 * resolved, read, lexed for its exports and compiled), bundled about 0.04.
 */
export const BUNDLED_PACKAGES = ['pdf-lib'];

/**
 * The entry's exports, from its fresh bundle or else from its sources through tsx.
 * @param {{ root: string, entry: string, cacheDir?: string, bundledPackages?: string[] }} where
 *   root: the project folder; entry: the TypeScript entry, relative to root; cacheDir: where
 *   bundles are kept (default root/node_modules/.cache/sohoa, which packaging leaves out);
 *   bundledPackages: packages built in (default BUNDLED_PACKAGES).
 * @returns {Promise<Record<string, unknown>>}
 */
export async function importEntry({ root, entry, cacheDir, bundledPackages }) {
  if (!process.env.SOHOA_FROM_SOURCE) {
    const bundle = await freshBundle({ root, entry, cacheDir, bundledPackages }).catch(() => null);
    if (bundle) return import(pathToFileURL(bundle).href);
  }
  const { register } = await import('tsx/esm/api');
  register();
  return import(pathToFileURL(path.join(root, entry)).href);
}

/**
 * The path of the entry's bundle, built first when missing or older than any of its sources (and
 * of the package.json of any package built in: a reinstall rebuilds).
 * @param {{ root: string, entry: string, cacheDir?: string, bundledPackages?: string[] }} where
 * @returns {Promise<string>}
 */
export async function freshBundle({
  root,
  entry,
  cacheDir = path.join(root, 'node_modules', '.cache', 'sohoa'),
  bundledPackages = BUNDLED_PACKAGES,
}) {
  const name = entry
    .replace(/\.[cm]?tsx?$/u, '')
    .split(/[\\/]/u)
    .join('-'); // electron-cli-main
  const bundle = path.join(cacheDir, `${name}.mjs`);
  const manifest = `${bundle}.sources.json`;
  if (isFresh(root, manifest)) return bundle;
  // Sources saved while the build reads them are newer than this and trigger the next rebuild.
  const builtFrom = Date.now();
  // A folder it cannot write to (a read-only install) fails here, before any time goes into a build.
  mkdirSync(cacheDir, { recursive: true });
  accessSync(cacheDir, constants.W_OK);
  const { build } = await import('esbuild');
  const result = await build({
    absWorkingDir: root,
    entryPoints: [path.join(root, entry)],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: `node${process.versions.node}`,
    // A package built in comes as its ES modules where it has them (pdf-lib does).
    mainFields: ['module', 'main'],
    keepNames: true,
    write: false,
    metafile: true,
    logLevel: 'silent',
    plugins: [externalPackages(bundledPackages), sourceRelativeUrls(cacheDir)],
  });
  const code = result.outputFiles?.[0]?.contents;
  if (!code) throw new Error(`esbuild wrote nothing for ${entry}`);
  const inputs = Object.keys(result.metafile.inputs);
  const sources = inputs.filter((input) => !input.includes('node_modules'));
  sources.push(...builtInPackageFiles(inputs));
  // A change to how bundles are built rebuilds them too.
  sources.push(path.relative(root, fileURLToPath(import.meta.url)));
  // Written aside and renamed: a command starting meanwhile reads the old bundle or the new one,
  // never half of one. Two builds at once write the same bytes.
  const tmp = `.${process.pid}.tmp`;
  writeFileSync(bundle + tmp, code);
  renameSync(bundle + tmp, bundle);
  writeFileSync(manifest + tmp, JSON.stringify({ builtFrom, sources }));
  renameSync(manifest + tmp, manifest);
  return bundle;
}

/** True when the manifest's bundle was built after the last change to every one of its sources. */
function isFresh(root, manifest) {
  let built;
  try {
    built = JSON.parse(readFileSync(manifest, 'utf8'));
  } catch {
    return false;
  }
  if (typeof built?.builtFrom !== 'number' || !Array.isArray(built.sources) || built.sources.length === 0) return false;
  for (const source of built.sources) {
    const changed = statSync(path.join(root, String(source)), { throwIfNoEntry: false })?.mtimeMs;
    if (changed === undefined || changed >= built.builtFrom) return false;
  }
  return true;
}

/**
 * Leaves every package the sources import to node_modules, except `bundled` and what those import.
 */
function externalPackages(bundled) {
  return {
    name: 'external-packages',
    setup(build) {
      // Bare specifiers: 'sharp', '@scope/name/sub', 'node:fs'.
      build.onResolve({ filter: /^[^./]/ }, (args) => {
        if (args.importer.split(path.sep).includes('node_modules')) return undefined;
        const parts = args.path.split('/');
        const name = args.path.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
        return bundled.includes(name) ? undefined : { path: args.path, external: true };
      });
    },
  };
}

/** The package.json of each package with files in the bundle (esbuild's input paths). */
function builtInPackageFiles(inputs) {
  const files = new Set();
  for (const input of inputs) {
    const parts = input.split('/');
    const at = parts.lastIndexOf('node_modules');
    if (at < 0) continue;
    const name = parts[at + 1]?.startsWith('@') ? 2 : 1;
    files.add([...parts.slice(0, at + 1 + name), 'package.json'].join('/'));
  }
  return [...files];
}

/**
 * Keeps `import.meta.url` meaning the source file it is written in (modules find their assets and
 * packages relative to it), as a URL relative to the bundle's own: the project may move. Sources
 * using import.meta.dirname or import.meta.filename fail the build, and so run through tsx.
 */
function sourceRelativeUrls(bundleDir) {
  return {
    name: 'source-relative-import-meta-url',
    setup(build) {
      // esbuild runs the filter as a Go regular expression: no JavaScript flags.
      build.onLoad({ filter: /\.[cm]?tsx?$/ }, (args) => {
        const source = readFileSync(args.path, 'utf8');
        if (/import\.meta\.(dirname|filename)/u.test(source))
          throw new Error(`${args.path}: import.meta.dirname/filename cannot be bundled`);
        const relative = path.relative(bundleDir, args.path).split(path.sep).join('/');
        const url = `new URL(${JSON.stringify(relative)}, import.meta.url).href`;
        return { contents: source.replaceAll('import.meta.url', url), loader: args.path.endsWith('x') ? 'tsx' : 'ts' };
      });
    },
  };
}
