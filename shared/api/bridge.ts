/**
 * What the desktop preload exposes as `window.sohoa`, and the browser-mode HTTP routes. The
 * renderer's client picks one of the two transports once, at start.
 */
import type { CallName, CallInput, CallOutput, EventMap, EventName } from './contract';
import type { Result } from './errors';

export interface UploadReceipt {
  token: string;
}

export interface SohoaBridge {
  call<N extends CallName>(name: N, input: CallInput<N>): Promise<Result<CallOutput<N>>>;
  subscribe<E extends EventName>(event: E, listener: (payload: EventMap[E]) => void): () => void;
  /** Hands a dropped or picked file's bytes to the backend; returns a token for `pages.import`. */
  upload(fileName: string, bytes: ArrayBuffer): Promise<Result<UploadReceipt>>;
  /**
   * Hands a prepared export (its `downloadPath`) to the shell: `save` asks where to save it,
   * `open` opens it in the system's PDF viewer (to print a receipt).
   */
  saveExport(downloadPath: string, mode: 'save' | 'open'): Promise<Result<{ file: string | null }>>;
}

/** Browser-mode routes served by electron/web. */
export const HTTP_ROUTES = {
  call: (name: CallName) => `/api/${name}`,
  /** POST raw bytes; header `x-file-name` carries the encodeURIComponent'd file name. */
  upload: '/api/upload',
  events: '/api/events',
} as const;

export type PageImageVariant = 'thumb' | 'full';

/**
 * Page images: browser mode serves them over HTTP; the desktop shell registers the
 * `sohoa-media:` scheme. Both take the same path.
 */
export function pageImagePath(pageId: number, variant: PageImageVariant): string {
  return `/media/pages/${pageId}/${variant}`;
}
export const DESKTOP_MEDIA_ORIGIN = 'sohoa-media://app';
