/**
 * The central sync server over real HTTP, against each metadata store (SQLite always; PostgreSQL
 * when SOHOA_TEST_PG is set): the protocol version, enrolment and authentication, idempotent
 * push, resumable and verified uploads, unit and province scopes, the pull cursor, reuse
 * look-ups, limits, and paths that must never reach the file system.
 */
import { execFileSync } from 'node:child_process';
import { createHash, randomUUID } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HEADERS, SYNC_PROTOCOL_VERSION } from '../../shared/sync/protocol';
import type { DocumentRecordInput, DossierRecordInput } from '../../shared/sync/records';
import { SyncHttp } from '../../electron/core/sync/sync-http';
import { FolderBlobStore } from '../../sync-server/blobs/blob-store';
import { startSyncServer } from '../../sync-server/server';
import { openSyncStorage } from '../../sync-server/storage/open-storage';
import { tempDir } from '../support/temp-backend';
import {
  createPgDatabase,
  enrolCode,
  PG_URL,
  rawRequest,
  startTestServer,
  STORE_KINDS,
  type TestServer,
} from '../support/sync-support';

const sha = (bytes: Buffer | string): string => createHash('sha256').update(bytes).digest('hex');
const CITIZEN = '001085012345';

interface Device {
  id: string;
  secret: string;
  bearer: string;
}

async function enrol(server: TestServer, unit: string, scope: 'unit' | 'province' = 'unit'): Promise<Device> {
  const code = await enrolCode(server.storage, unit, scope);
  const answer = await rawRequest(server.url, 'POST', '/v1/enrol', {
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ code, deviceName: `máy ${unit}` }),
  });
  expect(answer.status).toBe(201);
  const body = JSON.parse(answer.body) as { deviceId: string; secret: string };
  return { id: body.deviceId, secret: body.secret, bearer: `Bearer ${body.deviceId}.${body.secret}` };
}

function json(server: TestServer, device: Device | null, method: string, route: string, body?: unknown) {
  return rawRequest(server.url, method, route, {
    headers: {
      ...(device ? { authorization: device.bearer } : {}),
      ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
    },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
}

function putRange(server: TestServer, device: Device, hash: string, bytes: Buffer, start: number, total: number) {
  return rawRequest(server.url, 'PUT', `/v1/blobs/${hash}`, {
    headers: {
      authorization: device.bearer,
      'content-type': 'application/octet-stream',
      'content-range': `bytes ${start}-${start + bytes.length - 1}/${total}`,
    },
    body: bytes,
  });
}

async function upload(server: TestServer, device: Device, bytes: Buffer): Promise<string> {
  const hash = sha(bytes);
  const answer = await putRange(server, device, hash, bytes, 0, bytes.length);
  expect([200, 201]).toContain(answer.status);
  return hash;
}

function dossierRecord(dossierId: string, code: string): DossierRecordInput {
  return {
    dossierId,
    code,
    procedureCode: '1.001193',
    channel: 3,
    owner: { citizenId: CITIZEN, name: 'Nguyễn Văn An' },
    status: 'received',
    receivedAt: '2025-03-01T01:02:03.000Z',
    components: [
      {
        code: 'TP1',
        name: 'Giấy khai sinh',
        state: 'digitized',
        digitized: true,
        reused: false,
        fromNationalStore: false,
        replacedByResult: null,
        documentIds: [],
      },
    ],
    results: [],
  };
}

function documentRecord(
  documentId: string,
  files: { source: string; image: string; thumb: string },
): DocumentRecordInput {
  return {
    documentId,
    kind: 'component',
    dossierId: null,
    dossierCode: '000.00.01.H26-250301-0001',
    procedureCode: '1.001193',
    owner: { citizenId: CITIZEN, name: 'Nguyễn Văn An' },
    title: 'Giấy khai sinh',
    pageCount: 1,
    digitizedAt: '2025-03-01T01:05:00.000Z',
    source: { sha256: files.source, size: 10, mime: 'image/png', name: 'khai-sinh.png' },
    pages: [
      {
        pageNo: 1,
        width: 10,
        height: 10,
        image: { sha256: files.image, size: 10, mime: 'image/png' },
        thumb: { sha256: files.thumb, size: 10, mime: 'image/jpeg' },
      },
    ],
  };
}

const change = (entity: string, entityId: string, op: string, record: object, files: string[] = []) => ({
  id: randomUUID(),
  entity,
  entityId,
  op,
  at: new Date().toISOString(),
  files,
  record,
});

if (PG_URL) {
  // Counted as a failed test, not only as a failed hook: CI meant to test PostgreSQL must say so.
  it('reaches the PostgreSQL server SOHOA_TEST_PG names', async () => {
    const database = await createPgDatabase();
    await database.drop();
  });
}

for (const kind of STORE_KINDS) {
  describe(`sync server on ${kind}`, () => {
    let server: TestServer;
    let cleanup: () => void;
    let a: Device;

    beforeAll(async () => {
      const dir = tempDir('sohoa-sync-server-');
      cleanup = dir.cleanup;
      server = await startTestServer(kind, dir.dir, { enrolPerMinute: 1000 });
      a = await enrol(server, '000.00.01.H26');
    });

    afterAll(async () => {
      await server?.close();
      cleanup?.();
    });

    it('publishes its API as OpenAPI and states the protocol version in every answer', async () => {
      const doc = await rawRequest(server.url, 'GET', '/openapi.json', { protocol: null });
      expect(doc.status).toBe(200);
      expect(doc.headers[HEADERS.protocol]).toBe(SYNC_PROTOCOL_VERSION);
      const api = JSON.parse(doc.body) as {
        openapi: string;
        paths: Record<string, unknown>;
        components: { schemas: Record<string, unknown> };
      };
      expect(api.openapi).toBe('3.1.0');
      for (const route of ['/v1/enrol', '/v1/changes', '/v1/blobs/{sha256}', '/v1/blobs/missing', '/v1/reuse/lookup']) {
        expect(api.paths).toHaveProperty([route]);
      }
      expect(Object.keys(api.components.schemas)).toEqual(expect.arrayContaining(['DossierRecord', 'DocumentRecord']));
      const refused = await json(server, null, 'GET', '/v1/device');
      expect(refused.headers[HEADERS.protocol]).toBe(SYNC_PROTOCOL_VERSION);
    });

    it('refuses a request without the protocol header or with another major version, clearly', async () => {
      const missing = await rawRequest(server.url, 'GET', '/v1/device', {
        protocol: null,
        headers: { authorization: a.bearer },
      });
      expect(missing.status).toBe(400);
      expect(JSON.parse(missing.body).error).toMatchObject({ code: 'PROTOCOL' });
      const future = await rawRequest(server.url, 'GET', '/v1/device', {
        protocol: '2.0',
        headers: { authorization: a.bearer },
      });
      expect(future.status).toBe(400);
      const error = JSON.parse(future.body).error as { code: string; message: string; messageEn: string };
      expect(error.code).toBe('PROTOCOL');
      expect(error.message).toContain('2');
      expect(error.messageEn).toMatch(/version 2 is not supported/);
      // A newer minor version of the same major is understood.
      const minor = await rawRequest(server.url, 'GET', '/v1/device', {
        protocol: '1.9',
        headers: { authorization: a.bearer },
      });
      expect(minor.status).toBe(200);
    });

    it('enrols with a one-time code only, authenticates every request and refuses a revoked device', async () => {
      const code = await enrolCode(server.storage, '000.00.01.H26');
      const first = await json(server, null, 'POST', '/v1/enrol', { code: code.toLowerCase() });
      expect(first.status).toBe(201);
      const again = await json(server, null, 'POST', '/v1/enrol', { code });
      expect(again.status).toBe(403);
      expect(JSON.parse(again.body).error.message).toMatch(/đã được dùng/);
      const wrong = await json(server, null, 'POST', '/v1/enrol', { code: 'AAAA-BBBB-CCCC' });
      expect(wrong.status).toBe(403);

      const expiredHash = sha('EXPIREDCODE1');
      await server.storage.createEnrolCode({
        codeHash: expiredHash,
        unit: 'X',
        province: 'P01',
        scope: 'unit',
        expiresAt: new Date(Date.now() - 1000).toISOString(),
      });
      const expired = await json(server, null, 'POST', '/v1/enrol', { code: 'EXPI-REDC-ODE1' });
      expect(JSON.parse(expired.body).error.message).toMatch(/hết hạn/);

      const device = JSON.parse(first.body) as { deviceId: string; secret: string };
      expect((await json(server, null, 'GET', '/v1/device')).status).toBe(401);
      const forged = { id: device.deviceId, secret: 'x', bearer: `Bearer ${device.deviceId}.${'A'.repeat(43)}` };
      expect((await json(server, forged, 'GET', '/v1/device')).status).toBe(401);
      const real = { id: device.deviceId, secret: device.secret, bearer: `Bearer ${device.deviceId}.${device.secret}` };
      expect((await json(server, real, 'GET', '/v1/device')).status).toBe(200);
      // Only a hash of the secret is stored.
      const stored = await server.storage.findDevice(device.deviceId);
      expect(stored?.secretHash).toBe(sha(device.secret));
      expect(JSON.stringify(await server.storage.listDevices())).not.toContain(device.secret);

      expect(await server.storage.revokeDevice(device.deviceId)).toBe(true);
      const revoked = await json(server, real, 'POST', '/v1/changes', {
        changes: [change('note', 'n1', 'create', {})],
      });
      expect(revoked.status).toBe(403);
      expect(JSON.parse(revoked.body).error).toMatchObject({ code: 'FORBIDDEN' });
    });

    it('applies each change once and answers a repeated batch with the same results', async () => {
      const dossierId = randomUUID();
      const batch = [
        change('dossier', dossierId, 'create', dossierRecord(dossierId, '000.00.01.H26-250301-0001')),
        change('dossier', dossierId, 'status', {
          dossierId,
          code: '000.00.01.H26-250301-0001',
          status: 'digitizing',
          at: '2025-03-01T01:10:00.000Z',
        }),
        change('component_item', randomUUID(), 'create', { anything: 'a kind this server does not know' }),
      ];
      const before = await server.storage.stats();
      const first = await json(server, a, 'POST', '/v1/changes', { changes: batch });
      expect(first.status).toBe(200);
      const results = JSON.parse(first.body).results as { id: string; status: string; seq: number }[];
      expect(results.map((r) => r.status)).toEqual(['applied', 'applied', 'applied']);
      const second = await json(server, a, 'POST', '/v1/changes', { changes: batch });
      expect(JSON.parse(second.body).results).toEqual(results);
      const after = await server.storage.stats();
      expect(after.records - before.records).toBe(3);
      expect(after.statuses - before.statuses).toBe(1);

      // An id taken by another device is not quietly answered as if it were this one's.
      const b = await enrol(server, '000.00.01.H26');
      const stolen = await json(server, b, 'POST', '/v1/changes', { changes: [batch[0]] });
      expect(JSON.parse(stolen.body).results[0]).toMatchObject({ status: 'rejected', error: { code: 'CONFLICT' } });
      // Two copies of one id in a batch are a malformed request.
      const doubled = await json(server, a, 'POST', '/v1/changes', { changes: [batch[0], batch[0]] });
      expect(doubled.status).toBe(400);
    });

    it('refuses a malformed record of a known kind, naming the field, and stores nothing', async () => {
      const before = await server.storage.stats();
      const bad = change('dossier', 'd-bad', 'create', { ...dossierRecord('d-bad', 'X'), channel: 7 });
      const answer = await json(server, a, 'POST', '/v1/changes', { changes: [bad] });
      const result = JSON.parse(answer.body).results[0];
      expect(result).toMatchObject({ status: 'rejected', error: { code: 'VALIDATION' } });
      expect(result.error.message).toContain('record.channel');
      expect((await server.storage.stats()).records).toBe(before.records);
    });

    it('takes files by hash in resumable ranges, verifies them, and holds a document until its files are in', async () => {
      const source = Buffer.from(`nguồn ${randomUUID()} `.repeat(2000));
      const image = Buffer.from(`trang ${randomUUID()}`);
      const thumb = Buffer.from(`ảnh nhỏ ${randomUUID()}`);
      const files = { source: sha(source), image: sha(image), thumb: sha(thumb) };
      const documentId = randomUUID();
      const create = change('document', documentId, 'create', documentRecord(documentId, files));

      const early = await json(server, a, 'POST', '/v1/changes', { changes: [create] });
      const held = JSON.parse(early.body).results[0];
      expect(held.status).toBe('missing-files');
      expect(new Set(held.missing)).toEqual(new Set(Object.values(files)));

      // First part of the source, as if the connection dropped there.
      const half = Math.floor(source.length / 2);
      expect((await putRange(server, a, files.source, source.subarray(0, half), 0, source.length)).status).toBe(200);
      const head = await rawRequest(server.url, 'HEAD', `/v1/blobs/${files.source}`, {
        headers: { authorization: a.bearer },
      });
      expect(head.status).toBe(404);
      expect(head.headers[HEADERS.blobState]).toBe('partial');
      expect(Number(head.headers[HEADERS.uploadOffset])).toBe(half);
      const missing = await json(server, a, 'POST', '/v1/blobs/missing', { sha256: [files.source] });
      expect(JSON.parse(missing.body).missing).toEqual([{ sha256: files.source, offset: half }]);
      // Resuming at the wrong place is refused with the right place.
      const wrongPlace = await putRange(server, a, files.source, source.subarray(10), 10, source.length);
      expect(wrongPlace.status).toBe(409);
      expect(Number(wrongPlace.headers[HEADERS.uploadOffset])).toBe(half);
      const rest = await putRange(server, a, files.source, source.subarray(half), half, source.length);
      expect(rest.status).toBe(201);
      expect(JSON.parse(rest.body)).toMatchObject({ complete: true, offset: source.length });
      expect(
        createHash('sha256')
          .update(readFileSync(blobPath(server, files.source)))
          .digest('hex'),
      ).toBe(files.source);

      // Bytes that do not hash to the name are discarded, whatever they claim.
      const forged = Buffer.from(image);
      forged[0] = forged[0]! ^ 0xff;
      const refused = await putRange(server, a, files.image, forged, 0, forged.length);
      expect(refused.status).toBe(422);
      expect(JSON.parse(refused.body).error.code).toBe('HASH_MISMATCH');
      const after = await rawRequest(server.url, 'HEAD', `/v1/blobs/${files.image}`, {
        headers: { authorization: a.bearer },
      });
      expect(after.headers[HEADERS.blobState]).toBe('absent');

      // A copy whose last byte arrived but whose check a crash cut short is finished on request.
      const partial = path.join(server.dataDir, 'blobs', 'partial', `${files.image}.${a.id}`);
      writeFileSync(partial, image);
      const stalled = await rawRequest(server.url, 'HEAD', `/v1/blobs/${files.image}`, {
        headers: { authorization: a.bearer },
      });
      expect(Number(stalled.headers[HEADERS.uploadOffset])).toBe(image.length);
      const finished = await rawRequest(server.url, 'PUT', `/v1/blobs/${files.image}`, {
        headers: { authorization: a.bearer, 'content-range': `bytes */${image.length}` },
      });
      expect(finished.status).toBe(201);
      expect(readFileSync(blobPath(server, files.image))).toEqual(image);

      await upload(server, a, thumb);
      const applied = await json(server, a, 'POST', '/v1/changes', { changes: [create] });
      expect(JSON.parse(applied.body).results[0].status).toBe('applied');
      // The same file again is answered at once.
      const again = await putRange(server, a, files.thumb, thumb, 0, thumb.length);
      expect(JSON.parse(again.body)).toMatchObject({ complete: true });
    });

    it('never lets a request path reach the file system: only a well-formed hash names a file', async () => {
      const auth = { authorization: a.bearer };
      for (const bad of [
        '/v1/blobs/../../sync-server.db',
        '/v1/blobs/%2e%2e%2f%2e%2e%2fsync-server.db',
        `/v1/blobs/${'A'.repeat(64)}`,
        `/v1/blobs/${'a'.repeat(63)}/`,
        `/v1/blobs/${'a'.repeat(64)}%00`,
        '/v1/blobs/',
      ]) {
        const answer = await rawRequest(server.url, 'GET', bad, { headers: auth });
        expect([400, 404]).toContain(answer.status);
        expect(answer.body).not.toContain('SQLite');
      }
      const put = await rawRequest(server.url, 'PUT', '/v1/blobs/..%2F..%2Fescape', {
        headers: { ...auth, 'content-range': 'bytes 0-2/3' },
        body: 'abc',
      });
      expect(put.status).toBe(400);
    });

    it('shows a device only its unit’s documents, or its province’s when enrolled so, and keeps other units’ records', async () => {
      const image = Buffer.from(`scope ${randomUUID()}`);
      const hash = await upload(server, a, image);
      const documentId = randomUUID();
      const record = documentRecord(documentId, { source: hash, image: hash, thumb: hash });
      const pushed = await json(server, a, 'POST', '/v1/changes', {
        changes: [change('document', documentId, 'create', record)],
      });
      expect(JSON.parse(pushed.body).results[0].status).toBe('applied');

      const sameUnit = await enrol(server, '000.00.01.H26');
      const otherUnit = await enrol(server, '000.00.02.H26');
      const province = await enrol(server, '000.00.03.H26', 'province');
      const ids = async (device: Device) => {
        const answer = await json(server, device, 'POST', '/v1/reuse/lookup', { citizenId: CITIZEN });
        return (JSON.parse(answer.body).documents as { record: { documentId: string } }[]).map(
          (d) => d.record.documentId,
        );
      };
      expect(await ids(sameUnit)).toContain(documentId);
      expect(await ids(province)).toContain(documentId);
      expect(await ids(otherUnit)).not.toContain(documentId);

      const get = (device: Device) =>
        rawRequest(server.url, 'GET', `/v1/blobs/${hash}`, { headers: { authorization: device.bearer } });
      const fetched = await get(sameUnit);
      expect(fetched.status).toBe(200);
      expect(fetched.body).toBe(image.toString());
      expect((await get(otherUnit)).status).toBe(404);
      const ranged = await rawRequest(server.url, 'GET', `/v1/blobs/${hash}`, {
        headers: { authorization: sameUnit.bearer, range: 'bytes=6-' },
      });
      expect(ranged.status).toBe(206);
      expect(ranged.body).toBe(image.subarray(6).toString());

      // Another unit's device cannot overwrite this unit's document.
      const takeover = await json(server, otherUnit, 'POST', '/v1/changes', {
        changes: [change('document', documentId, 'update', { ...record, title: 'Sửa trái phép' })],
      });
      expect(JSON.parse(takeover.body).results[0]).toMatchObject({ status: 'rejected', error: { code: 'FORBIDDEN' } });
    });

    it('pages through the change log with a cursor, without the device’s own changes', async () => {
      const writer = await enrol(server, '000.00.09.H26');
      const reader = await enrol(server, '000.00.09.H26');
      const pushed: string[] = [];
      for (let i = 0; i < 5; i++) {
        const id = randomUUID();
        const c = change('note', id, 'create', { n: i });
        pushed.push(c.id);
        await json(server, writer, 'POST', '/v1/changes', { changes: [c] });
      }
      const seen: string[] = [];
      let after = 0;
      for (let page = 0; page < 10; page++) {
        const answer = await json(server, reader, 'GET', `/v1/changes?after=${after}&limit=2`);
        const body = JSON.parse(answer.body) as {
          entries: { entityId: string; record: { n: number } }[];
          next: number;
          more: boolean;
        };
        seen.push(...body.entries.map((e) => String(e.record.n)));
        expect(body.next).toBeGreaterThanOrEqual(after);
        after = body.next;
        if (!body.more) break;
      }
      expect(seen).toEqual(['0', '1', '2', '3', '4']);
      const own = await json(server, writer, 'GET', `/v1/changes?after=0&limit=1000`);
      expect(JSON.parse(own.body).entries).toHaveLength(0);
      const filtered = await json(server, reader, 'GET', `/v1/changes?after=0&entities=document`);
      expect(JSON.parse(filtered.body).entries).toHaveLength(0);
    });
  });
}

describe('sync server limits', () => {
  let cleanup: () => void;
  let server: TestServer;

  beforeAll(async () => {
    const dir = tempDir('sohoa-sync-limits-');
    cleanup = dir.cleanup;
    server = await startTestServer('sqlite', dir.dir, {
      jsonBodyBytes: 16 * 1024,
      rateLimit: { perSecond: 1, burst: 5 },
      enrolPerMinute: 3,
    });
  });

  afterAll(async () => {
    await server?.close();
    cleanup?.();
  });

  it('refuses a body over the limit and a device that sends too fast, with a time to come back', async () => {
    const device = await enrol(server, 'U-LIMITS');
    const big = await json(server, device, 'POST', '/v1/changes', {
      changes: [change('note', 'n', 'create', { text: 'x'.repeat(20 * 1024) })],
    });
    expect(big.status).toBe(413);
    expect(JSON.parse(big.body).error.code).toBe('TOO_LARGE');
    const statuses: number[] = [];
    let retryAfter: string | undefined;
    for (let i = 0; i < 10; i++) {
      const answer = await json(server, device, 'GET', '/v1/device');
      statuses.push(answer.status);
      if (answer.status === 429) retryAfter = answer.headers['retry-after'] as string;
    }
    expect(statuses).toContain(429);
    expect(Number(retryAfter)).toBeGreaterThan(0);
  });

  it('slows down guessing of enrolment codes from one address', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) {
      statuses.push((await json(server, null, 'POST', '/v1/enrol', { code: `GUES-SCOD-E00${i}` })).status);
    }
    // The first attempts are judged (wrong code), then the address must wait.
    expect(statuses).toContain(403);
    expect(statuses.at(-1)).toBe(429);
  });
});

describe('sync server over TLS', () => {
  it('serves HTTPS with the configured key and certificate, and the client trusts a given CA', async () => {
    const { dir, cleanup } = tempDir('sohoa-sync-tls-');
    try {
      const key = path.join(dir, 'key.pem');
      const cert = path.join(dir, 'cert.pem');
      execFileSync(
        'openssl',
        [
          'req',
          '-x509',
          '-newkey',
          'rsa:2048',
          '-nodes',
          '-keyout',
          key,
          '-out',
          cert,
          '-days',
          '1',
          '-subj',
          '/CN=127.0.0.1',
          '-addext',
          'subjectAltName=IP:127.0.0.1',
        ],
        { stdio: 'ignore' },
      );
      const storage = await openSyncStorage({ dataDir: dir });
      const blobs = new FolderBlobStore(path.join(dir, 'blobs'));
      await blobs.init();
      const server = await startSyncServer({
        storage,
        blobs,
        tls: { key: readFileSync(key), cert: readFileSync(cert) },
        log: () => undefined,
      });
      try {
        expect(server.url).toMatch(/^https:/);
        const trusting = new SyncHttp({ server: server.url, ca: readFileSync(cert, 'utf8') });
        const health = await trusting.request('GET', '/v1/health');
        expect(health.status).toBe(200);
        trusting.close();
        const untrusting = new SyncHttp({ server: server.url });
        await expect(untrusting.request('GET', '/v1/health')).rejects.toMatchObject({ code: 'OFFLINE' });
        untrusting.close();
      } finally {
        await server.close();
        await storage.close();
      }
    } finally {
      cleanup();
    }
  });
});

function blobPath(server: TestServer, hash: string): string {
  return path.join(server.dataDir, 'blobs', 'objects', hash.slice(0, 2), hash);
}
