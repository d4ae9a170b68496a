import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pipeline } from 'node:stream/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { EVENT_NAMES, EXPORT_ROUTE } from '../../shared/api/contract';
import { AppFailure, type Result } from '../../shared/api/errors';
import { openBackend, type Backend } from '../core/backend';
import { log } from '../core/log';
import { CONTENT_SECURITY_POLICY } from './csp';

export const DEFAULT_RENDERER_DIR = fileURLToPath(new URL('../../out/renderer', import.meta.url));
const MAX_JSON_BYTES = 1024 * 1024;

export interface WebHostOptions {
  dataDir: string;
  port?: number;
  rendererDir?: string;
  /** Serve an already-open backend instead of opening one. */
  backend?: Backend;
  ocrWorkers?: number;
}

export interface WebHost {
  url: string;
  backend: Backend;
  close(): Promise<void>;
}

const STATIC_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.json': 'application/json',
};

/**
 * Browser mode: the same backend as the desktop app, over HTTP on 127.0.0.1 only. Calls are
 * `POST /api/<name>`, events a server-sent stream, files raw uploads exchanged for tokens.
 */
export async function startWebHost(options: WebHostOptions): Promise<WebHost> {
  const backend =
    options.backend ??
    (await openBackend({
      dataDir: options.dataDir,
      host: 'browser',
      ...(options.ocrWorkers ? { ocrWorkers: options.ocrWorkers } : {}),
    }));
  const rendererDir = path.resolve(options.rendererDir ?? DEFAULT_RENDERER_DIR);
  const streams = new Set<ServerResponse>();
  let origin = '';

  const server = http.createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      log.error('web', `${req.method ?? '?'} request failed`, error);
      if (!res.headersSent) sendJson(res, 500, internalError());
      else res.end();
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    // DNS rebinding: a page on another site resolving to 127.0.0.1 still names its own host.
    const hostHeader = req.headers.host ?? '';
    if (!/^(127\.0\.0\.1|localhost)(:\d+)?$/.test(hostHeader)) return void sendText(res, 403, 'Forbidden host');
    if (
      req.method === 'POST' &&
      req.headers.origin &&
      req.headers.origin !== origin &&
      !isLoopbackOrigin(req.headers.origin)
    )
      return void sendText(res, 403, 'Forbidden origin');

    const token = sessionToken(req);
    if (url.pathname.startsWith('/api/') && req.method === 'POST' && url.pathname !== '/api/upload') {
      const name = decodeURIComponent(url.pathname.slice('/api/'.length));
      const body = await readJson(req);
      let session: string | null | undefined;
      const result = body.ok
        ? await backend.call(name, body.value, { token, onSession: (next) => (session = next), fromPerson: true })
        : body;
      // The session lives in an HttpOnly cookie: page scripts never see the token.
      if (session !== undefined) res.setHeader('set-cookie', sessionCookie(session));
      return sendJson(res, 200, result);
    }
    const media = /^\/media\/pages\/(\d+)\/(thumb|full)$/.exec(url.pathname);
    const needsSession = url.pathname.startsWith('/api/') || media !== null || EXPORT_ROUTE.test(url.pathname);
    if (needsSession && !backend.userForToken(token)) return void sendText(res, 401, 'Hãy đăng nhập / Sign in');
    if (url.pathname === '/api/events' && req.method === 'GET') return openEventStream(res);
    if (url.pathname === '/api/upload' && req.method === 'POST') return upload(req, res);
    if (media && req.method === 'GET') {
      try {
        const image = await backend.pageImage(Number(media[1]), media[2] as 'thumb' | 'full');
        res.writeHead(200, {
          'content-type': image.mime,
          'content-length': image.bytes.length,
          'cache-control': 'private, max-age=31536000, immutable',
          'x-content-type-options': 'nosniff',
        });
        return void res.end(image.bytes);
      } catch {
        return void sendText(res, 404, 'Not found');
      }
    }
    const exported = EXPORT_ROUTE.exec(url.pathname);
    if (exported && req.method === 'GET') return serveExport(exported[1] ?? '', res);
    if (req.method === 'GET' || req.method === 'HEAD') return serveStatic(url.pathname, res);
    sendText(res, 405, 'Method not allowed');
  }

  function openEventStream(res: ServerResponse): void {
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache',
      connection: 'keep-alive',
    });
    res.write(': connected\n\n');
    streams.add(res);
    const offs = EVENT_NAMES.map((event) =>
      backend.events.on(event, (payload) => res.write(`event: ${event}\ndata: ${JSON.stringify(payload)}\n\n`)),
    );
    const keepAlive = setInterval(() => res.write(': ping\n\n'), 25_000);
    res.on('close', () => {
      clearInterval(keepAlive);
      for (const off of offs) off();
      streams.delete(res);
    });
  }

  async function upload(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const rawName = String(req.headers['x-file-name'] ?? 'upload');
    let name: string;
    try {
      name = decodeURIComponent(rawName);
    } catch {
      name = rawName;
    }
    try {
      const token = await backend.uploads.receive(name, req);
      sendJson(res, 200, { ok: true, value: { token } });
    } catch (error) {
      sendJson(res, 200, error instanceof AppFailure ? { ok: false, error: error.appError } : internalError());
    }
  }

  /** A prepared export (exports.* calls hand out the token): a PDF from the store or a streamed ZIP. */
  async function serveExport(token: string, res: ServerResponse): Promise<void> {
    const download = backend.exports.download(token);
    if (!download)
      return void sendText(res, 404, 'Liên kết tải đã hết hạn; hãy xuất lại. / The download link has expired.');
    res.writeHead(200, {
      'content-type': download.mime,
      ...(download.size !== null ? { 'content-length': download.size } : {}),
      'content-disposition': attachment(download.fileName),
      'cache-control': 'no-store',
      'x-content-type-options': 'nosniff',
    });
    await pipeline(download.open(), res).catch((error: unknown) => {
      // The clerk may cancel the download: the stream ends, nothing else to do.
      log.warn('web', 'export download ended early', error);
    });
  }

  async function serveStatic(pathname: string, res: ServerResponse): Promise<void> {
    const relative = path.normalize(decodeURIComponent(pathname)).replace(/^([/\\])+/, '');
    let file = path.join(rendererDir, relative);
    // Never outside the renderer's folder.
    if (!file.startsWith(rendererDir + path.sep) && file !== rendererDir) return void sendText(res, 404, 'Not found');
    let info = await stat(file).catch(() => null);
    if (!info || info.isDirectory()) {
      // The app is a single page: unknown paths get index.html.
      file = path.join(rendererDir, 'index.html');
      info = await stat(file).catch(() => null);
      if (!info) {
        return void sendText(
          res,
          503,
          'Giao diện chưa được dựng (npm run build:web). / The UI is not built yet (npm run build:web).',
        );
      }
    }
    const type = STATIC_TYPES[path.extname(file)] ?? 'application/octet-stream';
    res.writeHead(200, {
      'content-type': type,
      'content-length': info.size,
      'x-content-type-options': 'nosniff',
      ...(type.startsWith('text/html')
        ? { 'content-security-policy': CONTENT_SECURITY_POLICY, 'cache-control': 'no-cache' }
        : { 'cache-control': 'public, max-age=3600' }),
    });
    createReadStream(file).pipe(res);
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  origin = `http://127.0.0.1:${port}`;

  return {
    url: origin,
    backend,
    async close() {
      for (const stream of streams) stream.end();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      if (!options.backend) await backend.close();
    },
  };
}

/** Content-Disposition with an ASCII fallback and the exact UTF-8 name (RFC 6266). */
function attachment(fileName: string): string {
  const ascii = fileName.replace(/[^\x20-\x7e]|["\\]/g, '_');
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(fileName)}`;
}

const SESSION_COOKIE = 'sohoa_session';

/** The caller's session: the HttpOnly cookie browsers send, or a bearer token (scripts, tests). */
function sessionToken(req: IncomingMessage): string | null {
  const bearer = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '');
  if (bearer) return bearer[1] ?? null;
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const [key, ...value] = part.trim().split('=');
    if (key === SESSION_COOKIE) return decodeURIComponent(value.join('='));
  }
  return null;
}

function sessionCookie(token: string | null): string {
  const base = `${SESSION_COOKIE}=${token ? encodeURIComponent(token) : ''}; HttpOnly; SameSite=Strict; Path=/`;
  return token ? base : `${base}; Max-Age=0`;
}

function isLoopbackOrigin(value: string): boolean {
  return /^http:\/\/(127\.0\.0\.1|localhost)(:\d+)?$/.test(value);
}

async function readJson(req: IncomingMessage): Promise<Result<unknown>> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_JSON_BYTES) {
      return { ok: false, error: { code: 'VALIDATION', message: 'Yêu cầu quá lớn.', messageEn: 'Request too large.' } };
    }
    chunks.push(chunk as Buffer);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  if (text.trim() === '') return { ok: true, value: {} };
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch {
    return {
      ok: false,
      error: { code: 'VALIDATION', message: 'Yêu cầu không phải JSON hợp lệ.', messageEn: 'Invalid JSON.' },
    };
  }
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
  res.end(text);
}

function sendText(res: ServerResponse, status: number, text: string): void {
  res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8' });
  res.end(text);
}

function internalError(): Result<never> {
  return { ok: false, error: { code: 'INTERNAL', message: 'Đã xảy ra lỗi nội bộ.', messageEn: 'Internal error.' } };
}
