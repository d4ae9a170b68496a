/** Messages between the Electron main process and the backend in its utility process. */
import type { PageImageVariant } from '../../shared/api/bridge';
import type { Result } from '../../shared/api/errors';

export type ToCore =
  | { type: 'call'; id: number; name: string; input: unknown }
  | { type: 'upload'; id: number; fileName: string; bytes: Uint8Array }
  | { type: 'media'; id: number; pageId: number; variant: PageImageVariant };

export type FromCore =
  | { type: 'ready' }
  | { type: 'result'; id: number; result: Result<unknown> }
  | { type: 'media'; id: number; bytes: Uint8Array | null; mime: string }
  | { type: 'event'; name: string; payload: unknown };
