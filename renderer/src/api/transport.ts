import type { CallName, EventMap, EventName } from '../../../shared/api/contract';
import type { Result } from '../../../shared/api/errors';
import type { PageImageVariant, UploadReceipt } from '../../../shared/api/bridge';

export type UploadProgress = (fraction: number) => void;

/** What the client needs from a host: desktop (window.sohoa) or browser mode (HTTP + SSE). */
export interface Transport {
  readonly kind: 'desktop' | 'browser';
  call(name: CallName, input: unknown): Promise<Result<unknown>>;
  subscribe<E extends EventName>(event: E, listener: (payload: EventMap[E]) => void): () => void;
  upload(file: File, onProgress?: UploadProgress): Promise<Result<UploadReceipt>>;
  pageImageUrl(pageId: number, variant: PageImageVariant): string;
  /** Hands a prepared export to the person: a download (browser), a save dialog or the PDF viewer (desktop). */
  deliver(file: { downloadPath: string; fileName: string }, mode: 'save' | 'open'): Promise<Result<unknown>>;
}

export const OFFLINE_ERROR = {
  code: 'OFFLINE',
  message: 'Không kết nối được với dịch vụ của ứng dụng. Vui lòng thử lại.',
  messageEn: 'Cannot reach the application service. Please try again.',
} as const;

export const BAD_RESPONSE_ERROR = {
  code: 'INTERNAL',
  message: 'Dịch vụ của ứng dụng trả lời không hợp lệ.',
  messageEn: 'The application service sent an invalid answer.',
} as const;

/** A plain 401 from the browser-mode host (uploads, which it refuses before any JSON answer). */
export const SIGNED_OUT_ERROR = {
  code: 'UNAUTHORIZED',
  message: 'Hãy đăng nhập để tiếp tục.',
  messageEn: 'Please sign in to continue.',
} as const;
