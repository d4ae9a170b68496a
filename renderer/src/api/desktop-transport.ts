import { DESKTOP_MEDIA_ORIGIN, pageImagePath, type SohoaBridge } from '../../../shared/api/bridge';
import type { CallInput, CallName } from '../../../shared/api/contract';
import type { Transport } from './transport';

/** Desktop: the preload's `window.sohoa` (IPC to the backend); images via sohoa-media://. */
export function createDesktopTransport(bridge: SohoaBridge): Transport {
  return {
    kind: 'desktop',
    call: (name, input) => bridge.call(name, input as CallInput<CallName>),
    subscribe: (event, listener) => bridge.subscribe(event, listener),
    async upload(file, onProgress) {
      onProgress?.(0);
      const bytes = await file.arrayBuffer();
      const result = await bridge.upload(file.name, bytes);
      onProgress?.(1);
      return result;
    },
    pageImageUrl: (pageId, variant) => DESKTOP_MEDIA_ORIGIN + pageImagePath(pageId, variant),
    deliver: (file, mode) => bridge.saveExport(file.downloadPath, mode),
  };
}
