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
}

export function createApiClient(transport: Transport): ApiClient {
  return {
    host: transport.kind,
    async call<N extends CallName>(name: N, input: CallInput<N>): Promise<CallOutput<N>> {
      const result = await transport.call(name, input);
      if (!result.ok) throw new ApiError(result.error);
      const parsed = contract[name].output.safeParse(result.value);
      if (!parsed.success) throw new ApiError(BAD_RESPONSE_ERROR);
      return parsed.data as CallOutput<N>;
    },
    subscribe: (event, listener) => transport.subscribe(event, listener),
    async upload(file, onProgress) {
      const result = await transport.upload(file, onProgress);
      if (!result.ok) throw new ApiError(result.error);
      return result.value.token;
    },
    pageImageUrl: (pageId, variant) => transport.pageImageUrl(pageId, variant),
  };
}

/** Picked once: the desktop preload's bridge when present, HTTP otherwise. */
function pickTransport(): Transport {
  const bridge = typeof window !== 'undefined' ? window.sohoa : undefined;
  return bridge ? createDesktopTransport(bridge) : createHttpTransport();
}

export const api: ApiClient = createApiClient(pickTransport());
