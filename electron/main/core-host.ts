/**
 * Entry of the utility process that runs the backend, so SQL and OCR never freeze a window.
 * It speaks the small message protocol of core-protocol.ts with the main process.
 */
import { EVENT_NAMES } from '../../shared/api/contract';
import { AppFailure } from '../../shared/api/errors';
import { openBackend } from '../core/backend';
import type { SecretSealer } from '../core/sync/credential';
import type { FromCore, ToCore } from './core-protocol';

interface ParentPort {
  on(event: 'message', listener: (message: { data: ToCore }) => void): void;
  postMessage(message: FromCore): void;
}

const port = (process as unknown as { parentPort: ParentPort }).parentPort;
const [dataDir, assetsDir, sealing] = process.argv.slice(2);
if (!dataDir || !assetsDir) throw new Error('core-host needs the data and assets folders');

// Secrets at rest are sealed by the shell's safeStorage (only the main process has it).
const sealRequests = new Map<number, (text: string | null) => void>();
let nextSealId = 1;
function askShell(op: 'seal' | 'open', text: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const id = nextSealId++;
    sealRequests.set(id, (result) => {
      sealRequests.delete(id);
      if (result === null) reject(new Error(`safeStorage could not ${op}`));
      else resolve(result);
    });
    port.postMessage({ type: 'seal', id, op, text });
  });
}
const secretSealer: SecretSealer | undefined =
  sealing === 'safeStorage'
    ? { name: 'electron-safeStorage', seal: (text) => askShell('seal', text), open: (text) => askShell('open', text) }
    : undefined;

// Listening before the backend opens: opening the data's key vault already asks the shell to
// open the keychain-sealed master key, and waits for the answer.
let markOpened: () => void = () => undefined;
const opened = new Promise<void>((resolve) => (markOpened = resolve));
port.on('message', ({ data }) => {
  if (data.type === 'sealed') sealRequests.get(data.id)?.(data.text);
  // Answered by this thread at once: a backend whose thread is stuck does not answer.
  else if (data.type === 'ping') port.postMessage({ type: 'pong', id: data.id });
  else void opened.then(() => handle(data));
});
const backend = await openBackend({ dataDir, assetsDir, host: 'desktop', ...(secretSealer ? { secretSealer } : {}) });
markOpened();
for (const name of EVENT_NAMES)
  backend.events.on(name, (payload) => port.postMessage({ type: 'event', name, payload }));
port.postMessage({ type: 'ready' });

async function handle(message: Exclude<ToCore, { type: 'sealed' | 'ping' }>): Promise<void> {
  switch (message.type) {
    case 'export': {
      const download = backend.userForToken(message.token) ? backend.exports.download(message.downloadToken) : null;
      if (!download) {
        port.postMessage({ type: 'export', id: message.id, bytes: null, fileName: '' });
        return;
      }
      const chunks: Buffer[] = [];
      for await (const chunk of download.open()) chunks.push(chunk as Buffer);
      port.postMessage({ type: 'export', id: message.id, bytes: Buffer.concat(chunks), fileName: download.fileName });
      return;
    }
    case 'call': {
      let session: string | null | undefined;
      const result = await backend.call(message.name, message.input, {
        token: message.token,
        onSession: (next) => (session = next),
        fromPerson: true,
      });
      port.postMessage({ type: 'result', id: message.id, result, ...(session !== undefined ? { session } : {}) });
      return;
    }
    case 'upload':
      try {
        const token = await backend.uploads.receive(message.fileName, Buffer.from(message.bytes));
        port.postMessage({ type: 'result', id: message.id, result: { ok: true, value: { token } } });
      } catch (error) {
        const appError =
          error instanceof AppFailure ? error.appError : { code: 'INTERNAL' as const, message: 'Không nhận được tệp.' };
        port.postMessage({ type: 'result', id: message.id, result: { ok: false, error: appError } });
      }
      return;
    case 'media':
      try {
        if (!backend.userForToken(message.token)) throw new Error('not signed in');
        const image = await backend.pageImage(message.pageId, message.variant);
        port.postMessage({ type: 'media', id: message.id, bytes: image.bytes, mime: image.mime });
      } catch {
        port.postMessage({ type: 'media', id: message.id, bytes: null, mime: 'text/plain' });
      }
      return;
  }
}

process.on('SIGTERM', () => {
  void backend.close().finally(() => process.exit(0));
});
