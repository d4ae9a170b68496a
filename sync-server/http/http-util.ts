import type { IncomingMessage, ServerResponse } from 'node:http';
import type { z, ZodType } from 'zod';
import { HEADERS, SYNC_PROTOCOL_VERSION, type SyncError, type SyncErrorCode } from '../../shared/sync/protocol';

/** A refusal with its HTTP status and a message in Vietnamese and English. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: SyncErrorCode,
    readonly messageVi: string,
    readonly messageEn: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(messageEn);
  }

  get body(): { error: SyncError } {
    return { error: { code: this.code, message: this.messageVi, messageEn: this.messageEn } };
  }
}

export const refuse = {
  notFound: () => new HttpError(404, 'NOT_FOUND', 'Không có đường dẫn này.', 'No such route.'),
  method: () => new HttpError(405, 'VALIDATION', 'Phương thức không được hỗ trợ.', 'Method not allowed.'),
  tooLarge: (limit: number) =>
    new HttpError(
      413,
      'TOO_LARGE',
      `Dữ liệu gửi lên quá lớn (tối đa ${limit} byte).`,
      `The request body is too large (at most ${limit} bytes).`,
    ),
  invalid: (field?: string) =>
    new HttpError(
      400,
      'VALIDATION',
      field ? `Dữ liệu không hợp lệ ở trường “${field}”.` : 'Dữ liệu gửi lên không hợp lệ.',
      field ? `Invalid data in “${field}”.` : 'Invalid request data.',
    ),
  unauthorized: () =>
    new HttpError(
      401,
      'UNAUTHORIZED',
      'Thiết bị chưa được xác thực. Hãy đăng ký lại máy trạm với máy chủ đồng bộ.',
      'The device is not authenticated. Enrol the workstation with the sync server again.',
    ),
  revoked: () =>
    new HttpError(
      403,
      'FORBIDDEN',
      'Thiết bị này đã bị thu hồi quyền đồng bộ. Hãy liên hệ quản trị viên.',
      'This device has been revoked. Contact the administrator.',
    ),
  rateLimited: (retryAfterSeconds: number) =>
    new HttpError(
      429,
      'RATE_LIMITED',
      'Thiết bị gửi quá nhiều yêu cầu; hãy thử lại sau ít phút.',
      'Too many requests from this device; try again shortly.',
      { 'retry-after': String(retryAfterSeconds) },
    ),
  internal: () =>
    new HttpError(
      500,
      'INTERNAL',
      'Máy chủ đồng bộ gặp lỗi nội bộ; dữ liệu chưa được ghi nhận, hãy gửi lại.',
      'The sync server failed internally; nothing was recorded, send again.',
    ),
  unavailable: () =>
    new HttpError(
      503,
      'UNAVAILABLE',
      'Máy chủ đồng bộ tạm thời không truy cập được kho dữ liệu; hãy thử lại sau.',
      'The sync server cannot reach its store right now; try again later.',
      { 'retry-after': '5' },
    ),
};

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
    'cache-control': 'no-store',
    [HEADERS.protocol]: SYNC_PROTOCOL_VERSION,
    ...headers,
  });
  res.end(text);
}

export function sendError(req: IncomingMessage, res: ServerResponse, error: HttpError): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  // A body we did not read would be taken for the next request on this connection.
  const unread = !req.readableEnded && req.method !== 'GET' && req.method !== 'HEAD';
  const headers = { ...error.headers, ...(unread ? { connection: 'close' } : {}) };
  if (req.method === 'HEAD') {
    res.writeHead(error.status, { [HEADERS.protocol]: SYNC_PROTOCOL_VERSION, ...headers });
    res.end();
  } else {
    sendJson(res, error.status, error.body, headers);
  }
}

/** Reads a body of at most `limit` bytes, refusing a bigger one before reading it when it says so. */
export async function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) throw refuse.tooLarge(limit);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) throw refuse.tooLarge(limit);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

/** Reads and validates a JSON body; a refusal names the first bad field, never its value. */
export async function readJson<S extends ZodType>(
  req: IncomingMessage,
  schema: S,
  limit: number,
): Promise<z.output<S>> {
  const type = req.headers['content-type'] ?? '';
  if (!/^application\/json\b/i.test(type)) throw refuse.invalid();
  const raw = await readBody(req, limit);
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw.toString('utf8'));
  } catch {
    throw refuse.invalid();
  }
  const result = schema.safeParse(parsed);
  if (!result.success) {
    const field = result.error.issues[0]?.path.map(String).join('.');
    throw refuse.invalid(field || undefined);
  }
  return result.data;
}
