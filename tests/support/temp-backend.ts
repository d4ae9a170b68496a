import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openBackend, type Backend, type BackendOptions } from '../../electron/core/backend';
import type { CallName, CallInput, CallOutput } from '../../shared/api/contract';

/** The synthetic data passphrase (vitest.config.ts hands it to every test as SOHOA_PASSPHRASE). */
export const TEST_PASSPHRASE = 'cum-mat-khau-thu-nghiem';

/** A fresh data folder in the system temp dir; removed by `cleanup`. */
export function tempDir(prefix = 'sohoa-test-'): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(path.join(os.tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** A real backend (SQLite, blob store, tesseract.js) on a temp folder, one OCR worker by default. */
export async function openTempBackend(
  options: Partial<BackendOptions> = {},
): Promise<{ backend: Backend; dir: string; close: () => Promise<void> }> {
  const { dir, cleanup } = options.dataDir ? { dir: options.dataDir, cleanup: () => undefined } : tempDir();
  const backend = await openBackend({
    dataDir: dir,
    host: 'cli',
    ocrWorkers: 1,
    passphrase: TEST_PASSPHRASE,
    ...options,
  });
  return {
    backend,
    dir,
    close: async () => {
      await backend.close();
      cleanup();
    },
  };
}

/**
 * Writes a scan into `dir`, imports it for `target` (a dossier, or the inbox) and waits until its
 * pages are recognized; their ids, in order. A failed import fails the test.
 */
export async function importRecognized(
  backend: Backend,
  dir: string,
  file: { name: string; bytes: Buffer },
  target: { dossierId: string | null; citizenId: string | null },
): Promise<number[]> {
  const at = path.join(dir, file.name);
  writeFileSync(at, file.bytes);
  const [outcome] = await backend.importFiles([{ file: at, name: file.name }], target);
  if (!outcome?.ok) throw new Error(`import of ${file.name} failed`);
  await backend.ocr.waitForPages(outcome.pageIds);
  return outcome.pageIds;
}

/** Calls the backend through dispatch and unwraps the result, failing the test on an error. */
export async function call<N extends CallName>(backend: Backend, name: N, input: CallInput<N>): Promise<CallOutput<N>> {
  const result = await backend.call(name, input);
  if (!result.ok) throw new Error(`${name} failed: ${result.error.code} ${result.error.message}`);
  return result.value as CallOutput<N>;
}

/**
 * Calls as named people through a host's path (the HTTP and IPC hosts pass the session token like
 * this): each person's token is kept from their sign-in on; an error fails the test. `backend` is
 * read at each call, so a test may open it later in beforeAll.
 */
export function personCalls(backend: () => Backend) {
  const tokens: Record<string, string> = {};
  return async function callAs<N extends CallName>(who: string, name: N, input: CallInput<N>): Promise<CallOutput<N>> {
    const result = await backend().call(name, input, {
      token: tokens[who] ?? null,
      fromPerson: true,
      onSession: (token) => {
        if (token) tokens[who] = token;
      },
    });
    if (!result.ok) throw new Error(`${name} failed: ${result.error.code} ${result.error.message}`);
    return result.value as CallOutput<N>;
  };
}
