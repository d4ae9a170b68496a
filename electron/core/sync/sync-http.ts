import http from 'node:http';
import https from 'node:https';
import type { ZodType, z } from 'zod';
import { HEADERS, SYNC_PROTOCOL_VERSION, SyncErrorBody } from '../../../shared/sync/protocol';

export interface SyncHttpOptions {
  server: string;
  /** `<deviceId>.<secret>`; absent only for enrolment. */
  bearer?: string;
  /** PEM of a private CA to trust for the server's certificate. */
  ca?: string | null;
  /** Per request, from sending to the last byte of the answer. */
  timeoutMs?: number;
  onClose?: () => void;
}

export interface HttpAnswer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

/**
 * A failed exchange with the server. `retryable` says whether trying again later can help (the
 * network, a timeout, a 5xx, a rate limit); the message is shown to the clerk as it is.
 */
export class SyncRequestError extends Error {
  constructor(
    readonly code: string,
    readonly messageVi: string,
    readonly messageEn: string,
    readonly retryable: boolean,
    readonly status: number | null = null,
    readonly retryAfterMs: number | null = null,
    readonly headers: http.IncomingHttpHeaders = {},
  ) {
    super(messageEn);
    this.name = 'SyncRequestError';
  }
}

export function offline(detail: string): SyncRequestError {
  return new SyncRequestError(
    'OFFLINE',
    'Không kết nối được máy chủ đồng bộ; dữ liệu vẫn được giữ ở máy này và sẽ gửi lại sau.',
    `Cannot reach the sync server (${detail}); data stays on this computer and will be sent later.`,
    true,
  );
}

/** HTTP(S) to the sync server with the protocol header, the device's credential and a timeout. */
export class SyncHttp {
  private readonly base: URL;
  private readonly agent: http.Agent;
  private readonly timeoutMs: number;

  constructor(private readonly options: SyncHttpOptions) {
    this.base = new URL(options.server);
    this.timeoutMs = options.timeoutMs ?? 30_000;
    this.agent =
      this.base.protocol === 'https:'
        ? new https.Agent({ keepAlive: true, maxSockets: 8, ...(options.ca ? { ca: options.ca } : {}) })
        : new http.Agent({ keepAlive: true, maxSockets: 8 });
  }

  request(
    method: string,
    path: string,
    options: { body?: Buffer; headers?: Record<string, string>; maxAnswerBytes?: number } = {},
  ): Promise<HttpAnswer> {
    const url = new URL(path, this.base);
    const transport = url.protocol === 'https:' ? https : http;
    const maxAnswer = options.maxAnswerBytes ?? 64 * 1024 * 1024;
    return new Promise((resolve, reject) => {
      const req = transport.request(
        url,
        {
          method,
          agent: this.agent,
          headers: {
            [HEADERS.protocol]: SYNC_PROTOCOL_VERSION,
            ...(this.options.bearer ? { authorization: `Bearer ${this.options.bearer}` } : {}),
            ...(options.body ? { 'content-length': String(options.body.length) } : {}),
            ...options.headers,
          },
        },
        (res) => {
          const chunks: Buffer[] = [];
          let size = 0;
          res.on('data', (chunk: Buffer) => {
            size += chunk.length;
            if (size > maxAnswer) {
              req.destroy(offline('answer too large'));
              return;
            }
            chunks.push(chunk);
          });
          res.on('end', () =>
            resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }),
          );
          res.on('error', (error) => reject(offline(error.message)));
          // A connection cut mid-answer ends the stream without 'end' (a settled promise ignores this).
          res.on('close', () => {
            if (!res.complete) reject(offline('connection closed'));
          });
        },
      );
      req.setTimeout(this.timeoutMs, () => req.destroy(new SyncTimeout()));
      req.on('error', (error) => reject(error instanceof SyncRequestError ? error : offline(networkDetail(error))));
      req.end(options.body);
    });
  }

  /** A JSON exchange; a non-2xx answer becomes a SyncRequestError with the server's message. */
  async json<S extends ZodType>(method: string, path: string, schema: S, body?: unknown): Promise<z.output<S>> {
    const answer = await this.request(method, path, {
      ...(body !== undefined
        ? { body: Buffer.from(JSON.stringify(body)), headers: { 'content-type': 'application/json' } }
        : {}),
    });
    if (answer.status < 200 || answer.status >= 300) throw answerError(answer);
    let parsed: unknown;
    try {
      parsed = JSON.parse(answer.body.toString('utf8'));
    } catch {
      throw unexpectedAnswer();
    }
    const result = schema.safeParse(parsed);
    if (!result.success) throw unexpectedAnswer();
    return result.data;
  }

  /** Closes its connections, cutting any exchange in flight. */
  close(): void {
    this.agent.destroy();
    this.options.onClose?.();
  }
}

class SyncTimeout extends SyncRequestError {
  constructor() {
    super(
      'TIMEOUT',
      'Máy chủ đồng bộ không trả lời kịp; sẽ thử lại sau.',
      'The sync server did not answer in time; will try again later.',
      true,
    );
  }
}

function networkDetail(error: Error): string {
  return (error as NodeJS.ErrnoException).code ?? error.message;
}

function unexpectedAnswer(): SyncRequestError {
  return new SyncRequestError(
    'INTERNAL',
    'Máy chủ đồng bộ trả lời không đúng giao thức; sẽ thử lại sau.',
    'The sync server answered outside the protocol; will try again later.',
    true,
  );
}

/** The server's refusal as an error: its own message when it sent one. */
export function answerError(answer: HttpAnswer): SyncRequestError {
  const retryAfter = Number(answer.headers['retry-after']);
  const retryable = answer.status >= 500 || answer.status === 429 || answer.status === 408;
  let body: ReturnType<typeof SyncErrorBody.safeParse> | null = null;
  try {
    body = SyncErrorBody.safeParse(JSON.parse(answer.body.toString('utf8')));
  } catch {
    body = null;
  }
  const error = body?.success ? body.data.error : null;
  return new SyncRequestError(
    error?.code ?? (answer.status >= 500 ? 'UNAVAILABLE' : 'INTERNAL'),
    error?.message ?? `Máy chủ đồng bộ trả lời lỗi ${answer.status}.`,
    error?.messageEn ?? `The sync server answered ${answer.status}.`,
    retryable,
    answer.status,
    Number.isFinite(retryAfter) && retryAfter >= 0 ? retryAfter * 1000 : null,
    answer.headers,
  );
}
