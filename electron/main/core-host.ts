/**
 * Entry of the utility process that runs the backend, so SQL and OCR never freeze a window.
 * It speaks the small message protocol of core-protocol.ts with the main process.
 */
import { EVENT_NAMES } from '../../shared/api/contract';
import { AppFailure } from '../../shared/api/errors';
import { openBackend } from '../core/backend';
import type { FromCore, ToCore } from './core-protocol';

interface ParentPort {
  on(event: 'message', listener: (message: { data: ToCore }) => void): void;
  postMessage(message: FromCore): void;
}

const port = (process as unknown as { parentPort: ParentPort }).parentPort;
const [dataDir, assetsDir] = process.argv.slice(2);
if (!dataDir || !assetsDir) throw new Error('core-host needs the data and assets folders');

const backend = await openBackend({ dataDir, assetsDir, host: 'desktop' });
for (const name of EVENT_NAMES)
  backend.events.on(name, (payload) => port.postMessage({ type: 'event', name, payload }));

port.on('message', ({ data }) => {
  void handle(data);
});
port.postMessage({ type: 'ready' });

async function handle(message: ToCore): Promise<void> {
  switch (message.type) {
    case 'call':
      port.postMessage({ type: 'result', id: message.id, result: await backend.call(message.name, message.input) });
      return;
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
