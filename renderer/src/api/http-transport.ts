import { HTTP_ROUTES, pageImagePath, type UploadReceipt } from '../../../shared/api/bridge';
import { EVENT_NAMES, type EventMap, type EventName } from '../../../shared/api/contract';
import { isAppError, type Result } from '../../../shared/api/errors';
import { BAD_RESPONSE_ERROR, OFFLINE_ERROR, SIGNED_OUT_ERROR, type Transport } from './transport';

type AnyListener = (payload: unknown) => void;

function asResult(body: unknown): Result<unknown> {
  if (typeof body === 'object' && body !== null && 'ok' in body) {
    const r = body as { ok: unknown; value?: unknown; error?: unknown };
    if (r.ok === true) return { ok: true, value: r.value };
    if (r.ok === false && isAppError(r.error)) return { ok: false, error: r.error };
  }
  return { ok: false, error: BAD_RESPONSE_ERROR };
}

/**
 * Browser mode: `POST /api/<name>` for calls, `POST /api/upload` for file bytes, and one shared
 * EventSource on `/api/events`, opened when the first listener subscribes.
 */
export function createHttpTransport(): Transport {
  const listeners = new Map<EventName, Set<AnyListener>>();
  let source: EventSource | null = null;

  function ensureEventSource(): void {
    // A stream refused while signed out stays closed: the next subscriber (after sign-in) reopens it.
    if (source && source.readyState !== EventSource.CLOSED) return;
    source = new EventSource(HTTP_ROUTES.events);
    for (const name of EVENT_NAMES) {
      source.addEventListener(name, (message) => {
        let payload: unknown;
        try {
          payload = JSON.parse((message as MessageEvent<string>).data);
        } catch {
          return;
        }
        for (const listener of listeners.get(name) ?? []) listener(payload);
      });
    }
  }

  return {
    kind: 'browser',

    async call(name, input) {
      let response: Response;
      try {
        response = await fetch(HTTP_ROUTES.call(name), {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(input ?? {}),
        });
      } catch {
        return { ok: false, error: OFFLINE_ERROR };
      }
      try {
        return asResult(await response.json());
      } catch {
        return { ok: false, error: BAD_RESPONSE_ERROR };
      }
    },

    subscribe<E extends EventName>(event: E, listener: (payload: EventMap[E]) => void) {
      ensureEventSource();
      const set = listeners.get(event) ?? new Set<AnyListener>();
      listeners.set(event, set);
      const wrapped: AnyListener = (payload) => listener(payload as EventMap[E]);
      set.add(wrapped);
      return () => {
        set.delete(wrapped);
      };
    },

    // XMLHttpRequest rather than fetch: it streams the File and reports upload progress.
    upload(file, onProgress) {
      return new Promise<Result<UploadReceipt>>((resolve) => {
        const xhr = new XMLHttpRequest();
        xhr.open('POST', HTTP_ROUTES.upload);
        xhr.setRequestHeader('x-file-name', encodeURIComponent(file.name));
        xhr.setRequestHeader('content-type', 'application/octet-stream');
        xhr.responseType = 'text';
        xhr.upload.onprogress = (e) => {
          if (e.lengthComputable && e.total > 0) onProgress?.(e.loaded / e.total);
        };
        xhr.onload = () => {
          // The host refuses the bytes before reading them when there is no session.
          if (xhr.status === 401) return resolve({ ok: false, error: SIGNED_OUT_ERROR });
          try {
            const result = asResult(JSON.parse(xhr.responseText));
            if (result.ok) {
              const value = result.value as Partial<UploadReceipt> | null;
              if (typeof value?.token === 'string') {
                onProgress?.(1);
                resolve({ ok: true, value: { token: value.token } });
                return;
              }
              resolve({ ok: false, error: BAD_RESPONSE_ERROR });
              return;
            }
            resolve(result);
          } catch {
            resolve({ ok: false, error: BAD_RESPONSE_ERROR });
          }
        };
        xhr.onerror = () => resolve({ ok: false, error: OFFLINE_ERROR });
        xhr.onabort = () => resolve({ ok: false, error: OFFLINE_ERROR });
        xhr.send(file);
      });
    },

    pageImageUrl: (pageId, variant) => pageImagePath(pageId, variant),
    async deliver(file) {
      // The host serves it as an attachment: the browser downloads it (and opens it to print).
      const link = document.createElement('a');
      link.href = file.downloadPath;
      link.download = file.fileName;
      link.hidden = true;
      document.body.append(link);
      link.click();
      link.remove();
      return { ok: true, value: null };
    },
  };
}
