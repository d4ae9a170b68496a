import { z } from 'zod';
import type { PageImageVariant } from '../../../shared/api/bridge';
import {
  contract,
  type CallInput,
  type CallName,
  type CallOutput,
  type EventMap,
  type EventName,
} from '../../../shared/api/contract';
import type { AppError } from '../../../shared/api/errors';
import { ApiError } from './api-error';
import { createDesktopTransport } from './desktop-transport';
import { createHttpTransport } from './http-transport';
import { BAD_RESPONSE_ERROR, type Transport, type UploadProgress } from './transport';

// The CSP forbids eval: keep zod off its `new Function` fast path (it would log a CSP violation).
z.config({ jitless: true });

export interface ApiClient {
  readonly host: Transport['kind'];
  /** The call's parsed output; throws ApiError with the backend's AppError otherwise. */
  call<N extends CallName>(name: N, input: CallInput<N>): Promise<CallOutput<N>>;
  subscribe<E extends EventName>(event: E, listener: (payload: EventMap[E]) => void): () => void;
  /** Sends one file's bytes to the backend; resolves to the token `pages.import` takes. */
  upload(file: File, onProgress?: UploadProgress): Promise<string>;
  pageImageUrl(pageId: number, variant: PageImageVariant): string;
  /** Gives a prepared export to the person (download, save dialog, or the PDF viewer to print). */
  deliver(file: { downloadPath: string; fileName: string }, mode: 'save' | 'open'): Promise<void>;
  /** Told when a call answers UNAUTHORIZED: the session has ended (idle, signed out elsewhere). */
  onUnauthorized(listener: (error: AppError) => void): () => void;
}

/** Their UNAUTHORIZED is a wrong password (or no session to end), not a session that ended. */
const SIGN_IN_CALLS: ReadonlySet<CallName> = new Set(['auth.signIn', 'auth.setup', 'auth.signOut']);

export function createApiClient(transport: Transport): ApiClient {
  const unauthorizedListeners = new Set<(error: AppError) => void>();
  const failed = (error: AppError, name: CallName | null): ApiError => {
    if (error.code === 'UNAUTHORIZED' && (name === null || !SIGN_IN_CALLS.has(name))) {
      for (const listener of [...unauthorizedListeners]) listener(error);
    }
    return new ApiError(error);
  };
  return {
    host: transport.kind,
    async call<N extends CallName>(name: N, input: CallInput<N>): Promise<CallOutput<N>> {
      const result = await transport.call(name, input);
      if (!result.ok) throw failed(result.error, name);
      const parsed = contract[name].output.safeParse(result.value);
      if (!parsed.success) throw new ApiError(BAD_RESPONSE_ERROR);
      return parsed.data as CallOutput<N>;
    },
    subscribe: (event, listener) => transport.subscribe(event, listener),
    async upload(file, onProgress) {
      const result = await transport.upload(file, onProgress);
      if (!result.ok) throw failed(result.error, null);
      return result.value.token;
    },
    pageImageUrl: (pageId, variant) => transport.pageImageUrl(pageId, variant),
    async deliver(file, mode) {
      const result = await transport.deliver(file, mode);
      if (!result.ok) throw failed(result.error, null);
    },
    onUnauthorized(listener) {
      unauthorizedListeners.add(listener);
      return () => {
        unauthorizedListeners.delete(listener);
      };
    },
  };
}

/** Picked once: the desktop preload's bridge when present, HTTP otherwise. */
function pickTransport(): Transport {
  const bridge = typeof window !== 'undefined' ? window.sohoa : undefined;
  return bridge ? createDesktopTransport(bridge) : createHttpTransport();
}

export const api: ApiClient = createApiClient(pickTransport());
