/** Messages between the Electron main process and the backend in its utility process. */
import type { PageImageVariant } from '../../shared/api/bridge';
import type { Result } from '../../shared/api/errors';

export type ToCore =
  | { type: 'export'; id: number; downloadToken: string; token: string | null }
  | { type: 'sealed'; id: number; text: string | null }
  /** The shell asks whether the backend's thread still answers (core-supervisor.ts). */
  | { type: 'ping'; id: number }
  | { type: 'call'; id: number; name: string; input: unknown; token: string | null }
  | { type: 'upload'; id: number; fileName: string; bytes: Uint8Array }
  | { type: 'media'; id: number; pageId: number; variant: PageImageVariant; token: string | null };

export type FromCore =
  | { type: 'export'; id: number; bytes: Uint8Array | null; fileName: string }
  /** The backend asks the shell to seal or open a secret with safeStorage. */
  | { type: 'seal'; id: number; op: 'seal' | 'open'; text: string }
  | { type: 'ready' }
  | { type: 'pong'; id: number }
  /** `session`: present when the call signed in (a token) or out (null). */
  | { type: 'result'; id: number; result: Result<unknown>; session?: string | null }
  | { type: 'media'; id: number; bytes: Uint8Array | null; mime: string }
  | { type: 'event'; name: string; payload: unknown };
