import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { z } from 'zod';
import {
  BlobPutResponse,
  DeviceScope,
  EnrolRequest,
  HEADERS,
  LIMITS,
  MissingBlobsRequest,
  protocolMajor,
  PushRequest,
  ReuseLookupRequest,
  ROUTES,
  SHA256_PATTERN,
  SYNC_PROTOCOL_MAJOR,
  SYNC_PROTOCOL_VERSION,
  type EnrolResponse,
} from '../shared/sync/protocol';
import {
  authenticateDevice,
  checkAdmin,
  createEnrolCode,
  newDeviceSecret,
  normalizeEnrolCode,
  sha256Hex,
} from './auth';
import { OffsetMismatch, type ServerBlobStore } from './blobs/blob-store';
import { applyBatch } from './changes';
import { HttpError, readJson, refuse, sendError, sendJson } from './http/http-util';
import { RateLimiter } from './http/rate-limit';
import { openApiDocument } from './openapi';
import type { Device, SyncStorage } from './storage/sync-storage';

export interface SyncServerOptions {
  storage: SyncStorage;
  blobs: ServerBlobStore;
  port?: number;
  /** Interface to listen on (default 127.0.0.1; `0.0.0.0` behind a load balancer). */
  host?: string;
  /** PEM key and certificate: serve HTTPS. */
  tls?: { key: Buffer; cert: Buffer };
  /** Enables the admin endpoints (enrolment codes, revocation) for this bearer token. */
  adminToken?: string;
  /** Requests per second and burst, per device. */
  rateLimit?: { perSecond: number; burst: number };
  /** Enrolment attempts per minute, per client address. */
  enrolPerMinute?: number;
  /** Largest JSON body; defaults to LIMITS.jsonBodyBytes. */
  jsonBodyBytes?: number;
  /** Scope of devices enrolled through the admin endpoint when it names none. */
  defaultScope?: DeviceScope;
  /** Province of units enrolled without one. */
  defaultProvince?: string;
  /** Server log lines (stderr by default); never carries personal data. */
  log?: (line: string) => void;
}

export interface RunningSyncServer {
  url: string;
  port: number;
  close(): Promise<void>;
}

const AdminEnrolRequest = z.object({
  unit: z.string().min(1).max(64),
  province: z.string().min(1).max(64).optional(),
  scope: DeviceScope.optional(),
  ttlHours: z
    .number()
    .int()
    .min(1)
    .max(24 * 30)
    .default(72),
});

const PULL_QUERY = z.object({
  after: z.coerce.number().int().min(0).default(0),
  limit: z.coerce.number().int().min(1).max(LIMITS.pullPage).default(500),
  entities: z
    .string()
    .regex(/^[a-z][a-z0-9_.,-]{0,200}$/)
    .optional(),
});

/** `bytes START-END/TOTAL`. */
const CONTENT_RANGE = /^bytes (\d{1,15})-(\d{1,15})\/(\d{1,15})$/;

/**
 * The central sync service. It keeps no state of its own between requests (all of it is in the
 * storage and the blob store), so instances can run side by side behind a load balancer.
 */
export async function startSyncServer(options: SyncServerOptions): Promise<RunningSyncServer> {
  const { storage, blobs } = options;
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  // Enough for a counter's backlog of small scans at full speed; a runaway client is still bounded.
  const perDevice = new RateLimiter(options.rateLimit?.perSecond ?? 200, options.rateLimit?.burst ?? 1000);
  const enrolLimit = new RateLimiter((options.enrolPerMinute ?? 10) / 60, options.enrolPerMinute ?? 10);
  const jsonLimit = options.jsonBodyBytes ?? LIMITS.jsonBodyBytes;
  const openapi = JSON.stringify(openApiDocument());

  async function route(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    const method = req.method ?? 'GET';
    const pathName = url.pathname;
    if (pathName === ROUTES.openapi && method === 'GET') {
      res.writeHead(200, {
        'content-type': 'application/json; charset=utf-8',
        [HEADERS.protocol]: SYNC_PROTOCOL_VERSION,
      });
      res.end(openapi);
      return;
    }
    if (pathName === ROUTES.health && method === 'GET') {
      sendJson(res, 200, { ok: true, protocol: SYNC_PROTOCOL_VERSION });
      return;
    }
    if (!pathName.startsWith('/v1/')) throw refuse.notFound();
    checkProtocol(req);

    if (pathName === ROUTES.enrol) {
      if (method !== 'POST') throw refuse.method();
      const wait = enrolLimit.take(req.socket.remoteAddress ?? 'unknown');
      if (wait > 0) throw refuse.rateLimited(wait);
      return enrol(req, res);
    }
    if (pathName.startsWith('/v1/admin/')) {
      checkAdmin(req, options.adminToken);
      return admin(req, res, pathName, method);
    }

    const device = await authenticateDevice(req, storage);
    const wait = perDevice.take(device.id);
    if (wait > 0) throw refuse.rateLimited(wait);

    if (pathName === ROUTES.device && method === 'GET') {
      sendJson(res, 200, { deviceId: device.id, unit: device.unit, province: device.province, scope: device.scope });
      return;
    }
    if (pathName === ROUTES.changes) {
      if (method === 'POST') return push(req, res, device);
      if (method === 'GET') return pull(res, device, url);
      throw refuse.method();
    }
    if (pathName === ROUTES.blobsMissing) {
      if (method !== 'POST') throw refuse.method();
      return missingBlobs(req, res, device);
    }
    if (pathName.startsWith(ROUTES.blobs)) {
      // The hash is the whole remaining path and must be exactly 64 lowercase hex digits: nothing
      // else from a request ever reaches the file system.
      const sha256 = pathName.slice(ROUTES.blobs.length);
      if (!SHA256_PATTERN.test(sha256)) throw refuse.invalid('sha256');
      if (method === 'HEAD') return headBlob(res, device, sha256);
      if (method === 'PUT') return putBlob(req, res, device, sha256, url);
      if (method === 'GET') return getBlob(req, res, device, sha256);
      throw refuse.method();
    }
    if (pathName === ROUTES.reuseLookup) {
      if (method !== 'POST') throw refuse.method();
      // The citizen's ID number travels in the body, never in a URL that proxies log.
      const { citizenId } = await readJson(req, ReuseLookupRequest, jsonLimit);
      sendJson(res, 200, { documents: await storage.reuseLookup(device, citizenId) });
      return;
    }
    throw refuse.notFound();
  }

  function checkProtocol(req: IncomingMessage): void {
    const major = protocolMajor(req.headers[HEADERS.protocol]);
    if (major === SYNC_PROTOCOL_MAJOR) return;
    throw new HttpError(
      400,
      'PROTOCOL',
      major === null
        ? `Yêu cầu thiếu phiên bản giao thức đồng bộ (tiêu đề ${HEADERS.protocol}). Máy chủ dùng phiên bản ${SYNC_PROTOCOL_VERSION}.`
        : `Phiên bản giao thức đồng bộ ${major} không được hỗ trợ; máy chủ dùng phiên bản ${SYNC_PROTOCOL_VERSION}. Hãy cập nhật ứng dụng SoHoa hoặc máy chủ đồng bộ.`,
      major === null
        ? `The request does not state the sync protocol version (${HEADERS.protocol} header). The server speaks ${SYNC_PROTOCOL_VERSION}.`
        : `Sync protocol version ${major} is not supported; the server speaks ${SYNC_PROTOCOL_VERSION}. Update the SoHoa app or the sync server.`,
    );
  }

  async function enrol(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const input = await readJson(req, EnrolRequest, 64 * 1024);
    const credential = newDeviceSecret();
    const outcome = await storage.redeemEnrolCode(sha256Hex(normalizeEnrolCode(input.code)), {
      id: credential.id,
      secretHash: credential.secretHash,
      name: input.deviceName,
    });
    if (!outcome.ok) {
      throw new HttpError(
        403,
        'FORBIDDEN',
        outcome.reason === 'used'
          ? 'Mã đăng ký đã được dùng. Mỗi mã chỉ dùng được một lần; hãy xin mã mới.'
          : outcome.reason === 'expired'
            ? 'Mã đăng ký đã hết hạn; hãy xin mã mới.'
            : 'Mã đăng ký không đúng.',
        outcome.reason === 'used'
          ? 'The enrolment code was already used. Each code works once; ask for a new one.'
          : outcome.reason === 'expired'
            ? 'The enrolment code has expired; ask for a new one.'
            : 'The enrolment code is wrong.',
      );
    }
    log(`enrol device=${outcome.device.id} unit=${outcome.device.unit}`);
    const body: EnrolResponse = {
      deviceId: credential.id,
      secret: credential.secret,
      unit: outcome.device.unit,
      province: outcome.device.province,
      scope: outcome.device.scope,
    };
    sendJson(res, 201, body);
  }

  async function admin(req: IncomingMessage, res: ServerResponse, pathName: string, method: string): Promise<void> {
    if (pathName === ROUTES.adminEnrolCodes && method === 'POST') {
      const input = await readJson(req, AdminEnrolRequest, 64 * 1024);
      const created = await createEnrolCode(storage, {
        unit: input.unit,
        province: input.province ?? options.defaultProvince ?? 'default',
        scope: input.scope ?? options.defaultScope ?? 'unit',
        ttlHours: input.ttlHours,
      });
      sendJson(res, 201, created);
      return;
    }
    const revoke = /^\/v1\/admin\/devices\/([0-9a-f-]{36})\/revoke$/.exec(pathName);
    if (revoke && method === 'POST') {
      sendJson(res, 200, { revoked: await storage.revokeDevice(revoke[1]!) });
      return;
    }
    throw refuse.notFound();
  }

  async function push(req: IncomingMessage, res: ServerResponse, device: Device): Promise<void> {
    const { changes } = await readJson(req, PushRequest, jsonLimit);
    const ids = new Set(changes.map((change) => change.id));
    if (ids.size !== changes.length) throw refuse.invalid('changes.id');
    const results = await applyBatch(storage, blobs, device, changes);
    sendJson(res, 200, { results });
  }

  async function pull(res: ServerResponse, device: Device, url: URL): Promise<void> {
    const query = PULL_QUERY.safeParse(Object.fromEntries(url.searchParams));
    if (!query.success) throw refuse.invalid(query.error.issues[0]?.path.map(String).join('.'));
    const { after, limit, entities } = query.data;
    sendJson(res, 200, await storage.pull(device, after, limit, entities ? entities.split(',') : null));
  }

  async function missingBlobs(req: IncomingMessage, res: ServerResponse, device: Device): Promise<void> {
    const { sha256 } = await readJson(req, MissingBlobsRequest, jsonLimit);
    const missing: { sha256: string; offset: number }[] = [];
    for (const hash of new Set(sha256)) {
      if ((await blobs.size(hash)) === null)
        missing.push({ sha256: hash, offset: await blobs.partialSize(hash, device.id) });
    }
    sendJson(res, 200, { missing });
  }

  async function headBlob(res: ServerResponse, device: Device, sha256: string): Promise<void> {
    const size = await blobs.size(sha256);
    const offset = size ?? (await blobs.partialSize(sha256, device.id));
    const state = size !== null ? 'complete' : offset > 0 ? 'partial' : 'absent';
    res.writeHead(size !== null ? 200 : 404, {
      [HEADERS.protocol]: SYNC_PROTOCOL_VERSION,
      [HEADERS.blobState]: state,
      [HEADERS.uploadOffset]: String(offset),
      'cache-control': 'no-store',
    });
    res.end();
  }

  async function putBlob(
    req: IncomingMessage,
    res: ServerResponse,
    device: Device,
    sha256: string,
    url: URL,
  ): Promise<void> {
    const range = parseRange(req, url);
    const done = (offset: number, complete: boolean, status = 200) =>
      sendJson(res, status, BlobPutResponse.parse({ sha256, offset, complete }));
    if ((await blobs.size(sha256)) !== null) {
      // Someone sent these bytes already: nothing to read (the connection closes, not drains).
      if (range.start !== null) res.setHeader('connection', 'close');
      return done(range.total, true);
    }
    let received: Awaited<ReturnType<ServerBlobStore['receive']>>;
    try {
      received = await blobs.receive(
        sha256,
        device.id,
        range.start,
        range.start === null ? null : req,
        range.start === null ? 0 : range.end - range.start + 1,
        range.total,
      );
    } catch (error) {
      if (error instanceof OffsetMismatch) {
        throw new HttpError(
          409,
          'CONFLICT',
          'Vị trí tải tiếp không khớp với phần máy chủ đã nhận; hãy hỏi lại vị trí và gửi tiếp.',
          'The upload offset does not match what the server holds; ask for the offset and resume.',
          { [HEADERS.uploadOffset]: String(error.held) },
        );
      }
      throw error;
    }
    if (received.state === 'mismatch') {
      throw new HttpError(
        422,
        'HASH_MISMATCH',
        'Tệp nhận được không khớp mã băm; phần đã nhận bị hủy, hãy gửi lại từ đầu.',
        'The received file does not match its hash; it was discarded, send it again from the start.',
        { [HEADERS.uploadOffset]: '0' },
      );
    }
    if (received.state === 'partial') return done(received.held, false);
    done(range.total, true, 201);
  }

  // `Content-Range: bytes START-END/TOTAL` (or `?offset=START&total=TOTAL` with Content-Length),
  // or `bytes */TOTAL` with no body: "finish what you hold", for a copy whose last byte arrived
  // but whose check a crash interrupted.
  function parseRange(req: IncomingMessage, url: URL): { start: number | null; end: number; total: number } {
    const header = req.headers['content-range'];
    const length = Number(req.headers['content-length'] ?? 0);
    const finish = /^bytes \*\/(\d{1,15})$/.exec(header ?? '');
    if (finish) {
      const total = Number(finish[1]);
      if (length !== 0 || total < 1 || total > LIMITS.blobBytes) throw refuse.invalid('content-range');
      return { start: null, end: -1, total };
    }
    let start: number;
    let total: number;
    let end: number;
    if (header) {
      const match = CONTENT_RANGE.exec(header);
      if (!match) throw refuse.invalid('content-range');
      [start, end, total] = [Number(match[1]), Number(match[2]), Number(match[3])];
    } else {
      start = Number(url.searchParams.get('offset') ?? 0);
      total = Number(url.searchParams.get('total'));
      if (!Number.isFinite(length) || length < 1) throw refuse.invalid('content-length');
      end = start + length - 1;
    }
    const valid =
      Number.isSafeInteger(start) &&
      Number.isSafeInteger(end) &&
      Number.isSafeInteger(total) &&
      start >= 0 &&
      end >= start &&
      total > end &&
      total <= LIMITS.blobBytes &&
      length === end - start + 1;
    if (!valid) throw refuse.invalid('content-range');
    if (end - start + 1 > LIMITS.blobChunkBytes) throw refuse.tooLarge(LIMITS.blobChunkBytes);
    return { start, end, total };
  }

  async function getBlob(req: IncomingMessage, res: ServerResponse, device: Device, sha256: string): Promise<void> {
    const size = await blobs.size(sha256);
    // Unknown and not-yours look the same: a hash alone reveals nothing.
    if (size === null || !(await storage.canReadBlob(device, sha256))) throw refuse.notFound();
    const match = /^bytes=(\d{1,15})-$/.exec(req.headers.range ?? '');
    const start = match ? Math.min(Number(match[1]), size) : 0;
    res.writeHead(match ? 206 : 200, {
      'content-type': 'application/octet-stream',
      'content-length': size - start,
      'cache-control': 'no-store',
      [HEADERS.protocol]: SYNC_PROTOCOL_VERSION,
      ...(match ? { 'content-range': `bytes ${start}-${size - 1}/${size}` } : {}),
    });
    if (start >= size) return void res.end();
    const stream = blobs.read(sha256, start);
    stream.on('error', () => res.destroy());
    stream.pipe(res);
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const started = Date.now();
    let url: URL;
    try {
      url = new URL(req.url ?? '/', 'http://sync.invalid');
    } catch {
      return sendError(req, res, refuse.invalid());
    }
    try {
      await route(req, res, url);
    } catch (error) {
      const refusal = error instanceof HttpError ? error : classify(error);
      if (refusal.status >= 500) log(`error ${req.method} ${url.pathname}: ${describe(error)}`);
      sendError(req, res, refusal);
    } finally {
      if (process.env.SOHOA_SYNC_LOG_REQUESTS) {
        log(`${req.method} ${url.pathname} ${res.statusCode} ${Date.now() - started}ms`);
      }
    }
  }

  const listener = (req: IncomingMessage, res: ServerResponse): void => void handle(req, res);
  const server = options.tls ? https.createServer({ ...options.tls }, listener) : http.createServer(listener);
  // Slow clients may upload big files; a silent one is dropped.
  server.requestTimeout = 10 * 60_000;
  server.headersTimeout = 30_000;
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return {
    url: `${options.tls ? 'https' : 'http'}://${host}:${address.port}`,
    port: address.port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** Errors that are not refusals: an unreachable database is "try later", anything else internal. */
function classify(error: unknown): HttpError {
  const code = String((error as { code?: unknown } | null)?.code ?? '');
  if (['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', '57P01', '57P03', '08006', '08001', 'SQLITE_BUSY'].includes(code)) {
    return refuse.unavailable();
  }
  if (code === 'ERR_STREAM_PREMATURE_CLOSE' || code === 'ECONNABORTED') {
    return refuse.invalid();
  }
  return refuse.internal();
}

function describe(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : 'unknown error';
}
