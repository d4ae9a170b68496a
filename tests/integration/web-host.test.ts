/**
 * Browser mode over real HTTP: the API dispatch, its guards against other sites (Host and Origin),
 * the session cookie (nothing but the public calls and the static files without it), uploads and
 * import, server-sent OCR progress, page images, the static file server's confinement to the
 * renderer folder, and the Content-Security-Policy on the HTML.
 *
 * A real backend (SQLite, sharp, tesseract.js) behind a real listening socket; requests are made
 * with fetch, or with node:http where a header fetch would not let us forge (Host, Origin) or a
 * raw path fetch would normalise (`/../`).
 */
import { mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import http, { type IncomingHttpHeaders } from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventMap, ImportOutcome } from '../../shared/api/contract';
import { CONTENT_SECURITY_POLICY } from '../../electron/web/csp';
import { startWebHost, type WebHost } from '../../electron/web/server';
import { renderTextPage } from '../fixtures/scans';
import { tempDir } from '../support/temp-backend';
import { SESSION_COOKIE, TEST_ADMIN, setUpAdmin, signIn, type WebSession } from '../support/web-session';

const VIETNAMESE_LETTER = /[ăâđêôơưáàảãạấầẩẫậắằẳẵặéèẻẽẹếềểễệíìỉĩịóòỏõọốồổỗộớờởỡợúùủũụứừửữựýỳỷỹỵ]/iu;
const INDEX_MARKER = 'sohoa-test-index-7f3a';
const DECOY_MARKER = 'decoy-outside-renderer-91c2';
const REPO_PACKAGE_JSON = readFileSync(fileURLToPath(new URL('../../package.json', import.meta.url)), 'utf8');

interface RawResponse {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

/** A request sent exactly as written: path not normalised, any Host or Origin header. */
function raw(
  baseUrl: string,
  options: { method?: string; path: string; headers?: Record<string, string>; body?: string | Buffer },
): Promise<RawResponse> {
  const { hostname, port } = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    const body = options.body === undefined ? undefined : Buffer.from(options.body);
    const req = http.request(
      {
        hostname,
        port,
        method: options.method ?? 'GET',
        path: options.path,
        headers: { ...(body ? { 'content-length': String(body.length) } : {}), ...options.headers },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }),
        );
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

type Json = { ok: boolean; value?: unknown; error?: { code: string; message: string; field?: string } };

/** The administrator's session, set up in the first beforeAll; `api` sends its cookie. */
let session: WebSession;

/** A call as the signed-in administrator (`cookie: null`: with no cookie at all). */
async function api(
  host: WebHost,
  name: string,
  input: unknown,
  cookie: string | null = session.cookieHeader,
): Promise<Json> {
  const res = await fetch(`${host.url}/api/${name}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(cookie ? { cookie } : {}) },
    body: JSON.stringify(input),
  });
  expect(res.status).toBe(200);
  return (await res.json()) as Json;
}

interface SseEvent {
  event: string;
  data: unknown;
}

/** A live `GET /api/events` stream, parsed as it arrives. */
class EventStream {
  readonly events: SseEvent[] = [];
  private readonly waiters: { test: (e: SseEvent) => boolean; resolve: (e: SseEvent) => void }[] = [];
  private req: http.ClientRequest | null = null;
  status = 0;
  contentType = '';

  /** Resolves once the server has sent its first comment, i.e. the stream is subscribed. */
  open(baseUrl: string, cookie: string): Promise<void> {
    return new Promise((resolve, reject) => {
      this.req = http.get(`${baseUrl}/api/events`, { headers: { accept: 'text/event-stream', cookie } }, (res) => {
        this.status = res.statusCode ?? 0;
        this.contentType = String(res.headers['content-type'] ?? '');
        res.setEncoding('utf8');
        let buffer = '';
        res.on('data', (chunk: string) => {
          buffer += chunk;
          let end: number;
          while ((end = buffer.indexOf('\n\n')) >= 0) {
            const block = buffer.slice(0, end);
            buffer = buffer.slice(end + 2);
            if (block.startsWith(': connected')) resolve();
            this.parse(block);
          }
        });
        res.on('error', () => undefined);
      });
      this.req.on('error', reject);
    });
  }

  private parse(block: string): void {
    let event = 'message';
    const data: string[] = [];
    for (const line of block.split('\n')) {
      if (line.startsWith(':')) continue;
      if (line.startsWith('event:')) event = line.slice(6).trim();
      else if (line.startsWith('data:')) data.push(line.slice(5).trimStart());
    }
    if (data.length === 0) return;
    const parsed: SseEvent = { event, data: JSON.parse(data.join('\n')) as unknown };
    this.events.push(parsed);
    for (const waiter of [...this.waiters]) {
      if (waiter.test(parsed)) {
        this.waiters.splice(this.waiters.indexOf(waiter), 1);
        waiter.resolve(parsed);
      }
    }
  }

  /** The first event (already received or still to come) that passes `test`. */
  next(test: (e: SseEvent) => boolean): Promise<SseEvent> {
    const seen = this.events.find(test);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve) => this.waiters.push({ test, resolve }));
  }

  close(): void {
    this.req?.destroy();
  }
}

describe('browser-mode web host', () => {
  let root: { dir: string; cleanup: () => void };
  let host: WebHost;
  let port: string;

  beforeAll(async () => {
    root = tempDir('sohoa-web-');
    // renderer/ is what the host may serve; a decoy sits right next to it, outside.
    const rendererDir = path.join(root.dir, 'renderer');
    mkdirSync(path.join(rendererDir, 'assets'), { recursive: true });
    writeFileSync(
      path.join(rendererDir, 'index.html'),
      `<!doctype html><html><head><title>SoHoa</title></head><body>${INDEX_MARKER}</body></html>`,
    );
    writeFileSync(path.join(rendererDir, 'assets', 'app.js'), 'console.log("sohoa");\n');
    writeFileSync(path.join(root.dir, 'package.json'), JSON.stringify({ name: DECOY_MARKER }));
    writeFileSync(path.join(root.dir, 'secret.txt'), DECOY_MARKER);
    host = await startWebHost({ dataDir: path.join(root.dir, 'data'), port: 0, rendererDir, ocrWorkers: 1 });
    port = new URL(host.url).port;
    session = await setUpAdmin(host.url);
  });

  afterAll(async () => {
    await host?.close();
    root?.cleanup();
  });

  describe('API dispatch', () => {
    it('answers app.info as the browser host', async () => {
      const result = await api(host, 'app.info', {});
      expect(result.ok).toBe(true);
      expect(result.value).toMatchObject({ host: 'browser', version: expect.any(String) });
    });

    it('refuses an unknown call with NOT_FOUND', async () => {
      const result = await api(host, 'dossiers.destroyEverything', {});
      expect(result.ok).toBe(false);
      expect(result.error?.code).toBe('NOT_FOUND');
      expect(result.error?.message).toMatch(VIETNAMESE_LETTER);
    });

    it('refuses a body that is not JSON with VALIDATION', async () => {
      const res = await fetch(`${host.url}/api/app.info`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{"citizenId": 0010850',
      });
      expect(res.status).toBe(200);
      const result = (await res.json()) as Json;
      expect(result.ok).toBe(false);
      expect(result.error?.code).toBe('VALIDATION');
      expect(result.error?.message).toMatch(VIETNAMESE_LETTER);
    });

    it('refuses a wrong personal ID number with a Vietnamese message on the citizenId field', async () => {
      const procedures = await api(host, 'procedures.list', {});
      const code = (procedures.value as { code: string }[])[0]?.code;
      expect(code).toBeDefined();
      for (const citizenId of ['12345', '00108501234X', '999085012345']) {
        const result = await api(host, 'dossiers.create', {
          citizenId,
          citizenName: 'Nguyễn Văn An',
          procedureCode: code,
        });
        expect(result.ok, citizenId).toBe(false);
        expect(result.error?.code, citizenId).toBe('VALIDATION');
        expect(result.error?.field, citizenId).toBe('citizenId');
        expect(result.error?.message, citizenId).toMatch(VIETNAMESE_LETTER);
        // The number itself is never echoed back (messages may be logged).
        expect(result.error?.message, citizenId).not.toContain(citizenId);
      }
      const list = await api(host, 'dossiers.list', {});
      expect(list.value).toEqual([]);
    });
  });

  describe('requests from other sites', () => {
    it('refuses a forged Host header (DNS rebinding) with 403', async () => {
      for (const forged of [
        `evil.example:${port}`,
        'evil.example',
        `127.0.0.1.evil.example:${port}`,
        `localhost.evil.example:${port}`,
      ]) {
        const page = await raw(host.url, { path: '/', headers: { host: forged } });
        expect(page.status, forged).toBe(403);
        expect(page.body.toString('utf8'), forged).not.toContain(INDEX_MARKER);
        const call = await raw(host.url, {
          method: 'POST',
          path: '/api/app.info',
          headers: { host: forged, 'content-type': 'application/json' },
          body: '{}',
        });
        expect(call.status, forged).toBe(403);
        const events = await raw(host.url, { path: '/api/events', headers: { host: forged } });
        expect(events.status, forged).toBe(403);
      }
      // The same requests with the real host go through.
      const ok = await raw(host.url, { path: '/', headers: { host: `127.0.0.1:${port}` } });
      expect(ok.status).toBe(200);
    });

    it('refuses a POST from a foreign Origin with 403, and stores nothing it sent', async () => {
      for (const origin of ['http://evil.example', 'null', `http://127.0.0.1.evil.example:${port}`]) {
        const call = await raw(host.url, {
          method: 'POST',
          path: '/api/app.info',
          headers: { origin, 'content-type': 'application/json' },
          body: '{}',
        });
        expect(call.status, origin).toBe(403);
        const upload = await raw(host.url, {
          method: 'POST',
          path: '/api/upload',
          headers: { origin, 'x-file-name': 'x.png', 'content-type': 'application/octet-stream' },
          body: Buffer.alloc(64, 1),
        });
        expect(upload.status, origin).toBe(403);
      }
      expect(readdirSync(host.backend.uploads.dir)).toEqual([]);
      // The app's own origin is allowed.
      const own = await raw(host.url, {
        method: 'POST',
        path: '/api/app.info',
        headers: { origin: host.url, 'content-type': 'application/json' },
        body: '{}',
      });
      expect(own.status).toBe(200);
      expect(JSON.parse(own.body.toString('utf8'))).toMatchObject({ ok: true });
    });
  });

  describe('upload, import, OCR progress and page images', () => {
    let stream: EventStream;
    let pageId: number;
    let dossierId: string;

    beforeAll(async () => {
      stream = new EventStream();
      await stream.open(host.url, session.cookieHeader);
    });

    afterAll(() => stream?.close());

    it('serves the event stream as text/event-stream', () => {
      expect(stream.status).toBe(200);
      expect(stream.contentType).toMatch(/^text\/event-stream/);
    });

    it('imports an uploaded scan into a new dossier', async () => {
      const procedures = await api(host, 'procedures.list', {});
      const procedureCode = (procedures.value as { code: string }[])[0]!.code;
      const created = await api(host, 'dossiers.create', {
        citizenId: '001085012345',
        citizenName: 'Nguyễn Văn An',
        procedureCode,
      });
      expect(created.ok).toBe(true);
      dossierId = (created.value as { id: string }).id;

      const scan = await renderTextPage({
        lines: [
          'TỜ KHAI ĐĂNG KÝ KHAI SINH',
          'Họ và tên: Nguyễn Văn An',
          'Số định danh cá nhân: 001085012345',
          'Nơi cư trú: phường Bến Nghé, Quận 1',
          'Mã thủ tục: 1.001193',
          'Ngày 01 tháng 12 năm 2023',
        ],
        widthPx: 1000,
        heightPx: 700,
        dpi: 150,
        jpegQuality: 85,
      });
      const name = 'Tờ khai khai sinh.jpg';
      const upload = await fetch(`${host.url}/api/upload`, {
        method: 'POST',
        headers: {
          'x-file-name': encodeURIComponent(name),
          'content-type': 'application/octet-stream',
          cookie: session.cookieHeader,
        },
        body: new Uint8Array(scan),
      });
      const uploaded = (await upload.json()) as Json;
      expect(uploaded.ok).toBe(true);
      const token = (uploaded.value as { token: string }).token;
      expect(token).toMatch(/^[a-f0-9]{32}$/);

      const imported = await api(host, 'pages.import', { dossierId, uploads: [token] });
      expect(imported.ok).toBe(true);
      const [outcome] = imported.value as ImportOutcome[];
      expect(outcome).toMatchObject({ ok: true, name, duplicate: false });
      if (!outcome?.ok) throw new Error('import failed');
      expect(outcome.pageIds).toHaveLength(1);
      pageId = outcome.pageIds[0]!;

      const detail = await api(host, 'dossiers.get', { id: dossierId });
      expect(detail.ok).toBe(true);
      const documents = (detail.value as { documents: { sourceName: string; pages: { id: number }[] }[] }).documents;
      expect(documents.map((doc) => doc.sourceName)).toEqual([name]);
      expect(documents[0]?.pages.map((page) => page.id)).toEqual([pageId]);
    });

    it('streams ocr.progress for the page through to done', async () => {
      expect(pageId).toBeTypeOf('number');
      const forPage = (status?: string) => (e: SseEvent) =>
        e.event === 'ocr.progress' &&
        (e.data as EventMap['ocr.progress']).pageId === pageId &&
        (status === undefined || (e.data as EventMap['ocr.progress']).status === status);
      const done = await stream.next(forPage('done'));
      expect(done.data).toMatchObject({ pageId, dossierId, status: 'done', progress: 1 });

      const progress = stream.events.filter(forPage()).map((e) => e.data as EventMap['ocr.progress']);
      // It was seen running before it was done, and done is the last word on it.
      const firstRunning = progress.findIndex((p) => p.status === 'running');
      expect(firstRunning).toBeGreaterThanOrEqual(0);
      expect(firstRunning).toBeLessThan(progress.findIndex((p) => p.status === 'done'));
      expect(progress.at(-1)?.status).toBe('done');
      for (const p of progress) {
        expect(p.progress).toBeGreaterThanOrEqual(0);
        expect(p.progress).toBeLessThanOrEqual(1);
      }
      // The dossier's change was announced too, and the page now carries its text.
      await stream.next(
        (e) => e.event === 'dossier.changed' && (e.data as { dossierId: string }).dossierId === dossierId,
      );
      const page = await api(host, 'pages.get', { id: pageId });
      expect(page.value).toMatchObject({ id: pageId, ocrStatus: 'done' });
      expect((page.value as { text: string }).text.trim()).not.toBe('');
    });

    it('serves the page thumbnail as a JPEG', async () => {
      const res = await fetch(`${host.url}/media/pages/${pageId}/thumb`, { headers: { cookie: session.cookieHeader } });
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('image/jpeg');
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      const bytes = Buffer.from(await res.arrayBuffer());
      expect([...bytes.subarray(0, 3)]).toEqual([0xff, 0xd8, 0xff]);
      const meta = await sharp(bytes).metadata();
      expect(meta.format).toBe('jpeg');
      expect(meta.width).toBeLessThanOrEqual(240);
      expect(meta.width).toBeGreaterThan(0);

      const missing = await fetch(`${host.url}/media/pages/999999/thumb`, {
        headers: { cookie: session.cookieHeader },
      });
      expect(missing.status).toBe(404);
    });

    it('refuses the page image without a session cookie (401), and with a made-up one', async () => {
      for (const variant of ['thumb', 'full']) {
        const bare = await fetch(`${host.url}/media/pages/${pageId}/${variant}`);
        expect(bare.status, variant).toBe(401);
        expect(bare.headers.get('content-type'), variant).not.toMatch(/^image\//);
        const forged = await fetch(`${host.url}/media/pages/${pageId}/${variant}`, {
          headers: { cookie: `${SESSION_COOKIE}=${'A'.repeat(43)}` },
        });
        expect(forged.status, variant).toBe(401);
      }
    });
  });

  describe('sign-in', () => {
    it('answers every non-public call without the cookie with UNAUTHORIZED in Vietnamese', async () => {
      for (const [name, input] of [
        ['dossiers.list', {}],
        ['procedures.list', {}],
        ['search.query', { q: 'khai sinh' }],
        ['users.list', {}],
        ['users.create', { username: 'ke-gian', password: 'mat-khau-gia-mao', role: 'admin' }],
      ] as const) {
        const result = await api(host, name, input, null);
        expect(result.ok, name).toBe(false);
        expect(result.error?.code, name).toBe('UNAUTHORIZED');
        expect(result.error?.message, name).toBe('Hãy đăng nhập để tiếp tục.');
      }
      // Nothing was created by the refused call.
      const users = await api(host, 'users.list', {});
      expect((users.value as { username: string }[]).map((u) => u.username)).toEqual([TEST_ADMIN.username]);
    });

    it('keeps the public calls open: app.info, and auth.status saying who is signed in', async () => {
      expect((await api(host, 'app.info', {}, null)).ok).toBe(true);
      expect((await api(host, 'auth.status', {}, null)).value).toEqual({ needsSetup: false, user: null });
      const mine = (await api(host, 'auth.status', {})).value as { needsSetup: boolean; user: { username: string } };
      expect(mine.needsSetup).toBe(false);
      expect(mine.user.username).toBe(TEST_ADMIN.username);
    });

    it('refuses the event stream and uploads without the cookie (401), storing nothing', async () => {
      const events = await raw(host.url, { path: '/api/events' });
      expect(events.status).toBe(401);
      const before = readdirSync(host.backend.uploads.dir).length;
      const upload = await raw(host.url, {
        method: 'POST',
        path: '/api/upload',
        headers: { 'x-file-name': 'x.png', 'content-type': 'application/octet-stream' },
        body: Buffer.alloc(64, 1),
      });
      expect(upload.status).toBe(401);
      expect(readdirSync(host.backend.uploads.dir)).toHaveLength(before);
    });

    it('refuses a second first-run set-up', async () => {
      const again = await api(host, 'auth.setup', { username: 'ke-gian', password: 'mat-khau-gia-mao' }, null);
      expect(again.ok).toBe(false);
      expect(again.error?.message).toMatch(VIETNAMESE_LETTER);
    });

    it('sets the session as an HttpOnly SameSite=Strict cookie; signing out clears it and ends the session', async () => {
      const res = await fetch(`${host.url}/api/auth.signIn`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username: TEST_ADMIN.username, password: TEST_ADMIN.password }),
      });
      const [cookie] = res.headers.getSetCookie();
      expect(cookie).toMatch(new RegExp(`^${SESSION_COOKIE}=[^;]+;`));
      expect(cookie).toMatch(/;\s*HttpOnly/i);
      expect(cookie).toMatch(/;\s*SameSite=Strict/i);
      // The renderer never sees the token: it is not in the answer's body.
      const body = await res.text();
      const second = await signIn(host.url, TEST_ADMIN);
      expect(body).not.toContain(second.token);
      expect(body).not.toContain(/^[^=]+=([^;]*)/.exec(cookie ?? '')?.[1] ?? '');

      expect((await api(host, 'dossiers.list', {}, second.cookieHeader)).ok).toBe(true);
      const out = await fetch(`${host.url}/api/auth.signOut`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', cookie: second.cookieHeader },
        body: '{}',
      });
      expect(out.headers.getSetCookie()[0]).toMatch(new RegExp(`^${SESSION_COOKIE}=;.*Max-Age=0`, 'i'));
      const after = await api(host, 'dossiers.list', {}, second.cookieHeader);
      expect(after.error?.code).toBe('UNAUTHORIZED');
      // Another session of the same account is unaffected.
      expect((await api(host, 'dossiers.list', {})).ok).toBe(true);
    });

    it('answers a wrong password with UNAUTHORIZED in Vietnamese and sets no cookie', async () => {
      const res = await fetch(`${host.url}/api/auth.signIn`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username: TEST_ADMIN.username, password: 'khong-dung-mat-khau' }),
      });
      expect(res.headers.getSetCookie()).toEqual([]);
      const result = (await res.json()) as Json;
      expect(result.error?.code).toBe('UNAUTHORIZED');
      expect(result.error?.message).toBe('Tên đăng nhập hoặc mật khẩu không đúng.');
    });
  });

  describe('static files', () => {
    it('serves files inside the renderer folder', async () => {
      const res = await fetch(`${host.url}/assets/app.js`);
      expect(res.status).toBe(200);
      expect(await res.text()).toContain('sohoa');
    });

    it('never serves a file outside the renderer folder', async () => {
      const attempts = [
        '/../package.json',
        '/%2e%2e/package.json',
        '/%2E%2E/package.json',
        '/..%2fpackage.json',
        '/%2e%2e%2fpackage.json',
        '/assets/..%2f..%2fpackage.json',
        '/..%5cpackage.json',
        '/../../package.json',
        '/%2e%2e/%2e%2e/package.json',
        '/..%2f..%2f..%2f..%2f..%2f..%2fetc%2fpasswd',
        '/../secret.txt',
        '/%2e%2e%2fsecret.txt',
        '/assets/%2e%2e/%2e%2e/secret.txt',
        '/package.json%00.html',
      ];
      for (const attempt of attempts) {
        const res = await raw(host.url, { path: attempt });
        const body = res.body.toString('utf8');
        expect(body, attempt).not.toContain(DECOY_MARKER);
        expect(body, attempt).not.toBe(REPO_PACKAGE_JSON);
        expect(body, attempt).not.toContain('"name": "sohoa"');
        expect(body, attempt).not.toContain('root:');
        // Either refused, or the single-page app's index.html.
        if (res.status === 200) expect(body, attempt).toContain(INDEX_MARKER);
        else expect(res.status, attempt).toBeGreaterThanOrEqual(400);
      }
      // Still serving afterwards.
      expect((await fetch(`${host.url}/`)).status).toBe(200);
    });

    it('sends the Content-Security-Policy with the HTML', async () => {
      for (const pathName of ['/', '/index.html', '/dossiers/some-client-route']) {
        const res = await fetch(`${host.url}${pathName}`);
        expect(res.status, pathName).toBe(200);
        expect(res.headers.get('content-type'), pathName).toMatch(/^text\/html/);
        expect(await res.text(), pathName).toContain(INDEX_MARKER);
        const csp = res.headers.get('content-security-policy');
        expect(csp, pathName).toBe(CONTENT_SECURITY_POLICY);
        expect(csp, pathName).toContain("script-src 'self'");
        expect(csp, pathName).toContain("object-src 'none'");
        expect(csp, pathName).toContain("frame-ancestors 'none'");
      }
    });
  });
});
