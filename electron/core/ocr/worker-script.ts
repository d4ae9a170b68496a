import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

let script: URL | null = null;

/**
 * The script each tesseract.js worker thread runs: tesseract.js's own worker, given the LSTM-only
 * WebAssembly build of tesseract. tesseract.js 7.0.0's Node worker picks its build from the `oem`
 * but is handed a boolean, so it always loads the larger build that carries the legacy engine
 * too (about 0.5 s more CPU at every worker start, and more memory); SoHoa only ever runs LSTM.
 * It never fetches anything: the models are local files (language-data.ts).
 *
 * A `data:` URL, so nothing is written to disk and the bundled desktop build needs no extra file;
 * the modules it loads are resolved here, to absolute paths, from this package's node_modules.
 */
export function lstmWorkerScript(): string {
  script ??= new URL(`data:text/javascript,${encodeURIComponent(source())}`);
  // tesseract.js hands `workerPath` to `new Worker()` unchanged, which takes a URL; its typings say string.
  return script as unknown as string;
}

let heldCore: Promise<WebAssembly.Module | null> | null = null;

/**
 * Compiles the tesseract core the workers load and keeps it for the life of the process. V8 shares
 * one compiled WebAssembly module, and the optimized code workers have produced for it, among the
 * threads that load the same bytes while any of them holds it. Workers close when idle (and are
 * recycled): without this, the next one compiled and optimized tesseract all over again, and its
 * first page cost 2.4-2.7 CPU-s (1.6-1.9 s) instead of 1.1-1.3 (1.1-1.2 s); its start, 0.5 CPU-s
 * instead of 0.3. Compiling here costs about 40 ms (V8 compiles functions when first called).
 */
export function holdCompiledCore(): void {
  heldCore ??= (async () => {
    const { simd } = workerRequire()('wasm-feature-detect') as { simd: () => Promise<boolean> };
    const file = (await simd()) ? corePaths().simd : corePaths().plain;
    return WebAssembly.compile(await readFile(file.replace(/\.js$/u, '.wasm')));
  })().catch(() => null); // only a saving: the workers load the core themselves either way
}

/** Resolves modules as tesseract.js's own worker does. */
function workerRequire(): NodeJS.Require {
  return createRequire(require.resolve('tesseract.js/src/worker-script/index.js'));
}

function corePaths(): { simd: string; plain: string } {
  return {
    simd: require.resolve('tesseract.js-core/tesseract-core-simd-lstm.js'),
    plain: require.resolve('tesseract.js-core/tesseract-core-lstm.js'),
  };
}

/**
 * The nice value of OCR worker threads on Linux (0 is the default, 19 the lowest). A batch keeps
 * every core busy with OCR; the backend's own thread answers the clerk and feeds OCR its pages.
 * Other systems have no per-thread setting in Node: there the whole backend process steps below
 * the window (process-priority.ts), and its long steps step aside for the clerk's calls (letOthersIn).
 */
export const OCR_THREAD_NICE = 10;

function source(): string {
  const paths = {
    worker: require.resolve('tesseract.js/src/worker-script/index.js'),
    gunzip: require.resolve('tesseract.js/src/worker-script/node/gunzip.js'),
    cache: require.resolve('tesseract.js/src/worker-script/node/cache.js'),
    ...corePaths(),
  };
  return `import { createRequire } from 'node:module';
import { readlinkSync } from 'node:fs';
import { getPriority, setPriority } from 'node:os';
import { parentPort } from 'node:worker_threads';
// Linux gives each thread its own nice value: this OCR thread yields the cores to the backend's
// main thread (the clerk's calls), and to the app's window, whenever they want them.
if (process.platform === 'linux') {
  try {
    const thread = Number(readlinkSync('/proc/thread-self').split('/').pop());
    // Never above the priority it started with (the app itself may run niced).
    setPriority(thread, Math.max(getPriority(thread), ${OCR_THREAD_NICE}));
  } catch {
    // Only a courtesy: OCR reads as well at the usual priority.
  }
}
const paths = ${JSON.stringify(paths)};
const require = createRequire(paths.worker);
const worker = require(paths.worker);
const status = 'loading tesseract core';
let core = null;
async function getCore(_lstmOnly, _corePath, res) {
  if (core === null) {
    res.progress({ status, progress: 0 });
    const simd = await require('wasm-feature-detect').simd();
    core = require(simd ? paths.simd : paths.plain);
    res.progress({ status, progress: 1 });
  }
  return core;
}
parentPort.on('message', (packet) => worker.dispatchHandlers(packet, (reply) => parentPort.postMessage(reply)));
worker.setAdapter({
  getCore,
  gunzip: require(paths.gunzip),
  fetch: () => Promise.reject(new Error('SoHoa reads OCR models from local files only')),
  ...require(paths.cache),
});
`;
}
