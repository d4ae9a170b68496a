/**
 * Helpers for the sync tests: a real sync server (in this process, or as a child process that a
 * test can kill), a fresh PostgreSQL database per test when SOHOA_TEST_PG is set, a loopback TCP
 * proxy that can cut connections, and small synthetic scans that are unique per seed.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import sharp from 'sharp';
import { HEADERS, SYNC_PROTOCOL_VERSION } from '../../shared/sync/protocol';
import { createEnrolCode } from '../../sync-server/auth';
import { FolderBlobStore } from '../../sync-server/blobs/blob-store';
import { startSyncServer, type SyncServerOptions } from '../../sync-server/server';
import { openSyncStorage } from '../../sync-server/storage/open-storage';
import type { SyncStorage } from '../../sync-server/storage/sync-storage';

export const REPO = fileURLToPath(new URL('../..', import.meta.url));
export const SOHOA_CLI = path.join(REPO, 'bin/sohoa.mjs');
export const SYNC_SERVER_CLI = path.join(REPO, 'bin/sohoa-sync-server.mjs');

/** The metadata back ends the server suite runs against: SQLite always, PostgreSQL when configured. */
export const PG_URL = process.env.SOHOA_TEST_PG || null;
export const STORE_KINDS: readonly ('sqlite' | 'postgres')[] = PG_URL ? ['sqlite', 'postgres'] : ['sqlite'];

/**
 * A fresh database on the PostgreSQL server SOHOA_TEST_PG points at, dropped by `drop`. When the
 * variable is set but the server cannot be reached this throws: a CI run that was meant to test
 * PostgreSQL must fail rather than quietly test SQLite only.
 */
export async function createPgDatabase(): Promise<{ url: string; drop: () => Promise<void> }> {
  if (!PG_URL) throw new Error('SOHOA_TEST_PG is not set');
  const admin = new pg.Client({ connectionString: PG_URL, connectionTimeoutMillis: 10_000 });
  try {
    await admin.connect();
  } catch (error) {
    throw new Error(
      `SOHOA_TEST_PG is set but PostgreSQL cannot be reached (${(error as Error).message}). ` +
        'Start it (pg_ctlcluster 15 main start) or unset SOHOA_TEST_PG.',
    );
  }
  const name = `sohoa_test_${randomBytes(6).toString('hex')}`;
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(PG_URL);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      const client = new pg.Client({ connectionString: PG_URL });
      await client.connect();
      await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await client.end();
    },
  };
}

export interface TestServer {
  url: string;
  storage: SyncStorage;
  blobs: FolderBlobStore;
  dataDir: string;
  /** `postgres://...` when the store is PostgreSQL. */
  database: string | null;
  close(): Promise<void>;
}

/** A sync server in this process on a fresh store of the given kind. */
export async function startTestServer(
  kind: 'sqlite' | 'postgres',
  dataDir: string,
  options: Partial<Omit<SyncServerOptions, 'storage' | 'blobs'>> = {},
): Promise<TestServer> {
  const pgDb = kind === 'postgres' ? await createPgDatabase() : null;
  const storage = await openSyncStorage({ dataDir, ...(pgDb ? { database: pgDb.url } : {}) });
  const blobs = new FolderBlobStore(path.join(dataDir, 'blobs'));
  await blobs.init();
  const server = await startSyncServer({ storage, blobs, log: () => undefined, ...options });
  return {
    url: server.url,
    storage,
    blobs,
    dataDir,
    database: pgDb?.url ?? null,
    close: async () => {
      await server.close();
      await storage.close();
      await pgDb?.drop();
    },
  };
}

export async function enrolCode(storage: SyncStorage, unit: string, scope: 'unit' | 'province' = 'unit') {
  return (await createEnrolCode(storage, { unit, province: 'P01', scope, ttlHours: 1 })).code;
}

/** One raw HTTP exchange (paths are sent as written: no normalisation of `..`). */
export function rawRequest(
  base: string,
  method: string,
  rawPath: string,
  options: { headers?: Record<string, string>; body?: Buffer | string; protocol?: string | null } = {},
): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }> {
  const url = new URL(base);
  const body = typeof options.body === 'string' ? Buffer.from(options.body) : options.body;
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: url.hostname,
        port: url.port,
        method,
        path: rawPath,
        agent: false,
        headers: {
          ...(options.protocol === null ? {} : { [HEADERS.protocol]: options.protocol ?? SYNC_PROTOCOL_VERSION }),
          ...(body ? { 'content-length': String(body.length) } : {}),
          ...options.headers,
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }),
        );
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

/** A sync server as a child process (`sohoa-sync-server serve`), so a test can SIGKILL it. */
export interface ServerProcess {
  url: string;
  child: ChildProcess;
  /** Ends it at once, as a crash or a pulled plug would. */
  kill(): Promise<void>;
}

export async function spawnSyncServer(dataDir: string, database: string | null, port = 0): Promise<ServerProcess> {
  const child = spawn(
    process.execPath,
    [
      SYNC_SERVER_CLI,
      'serve',
      '--data',
      dataDir,
      '--port',
      String(port),
      '--rate',
      '1000',
      ...(database ? ['--database', database] : []),
    ],
    { cwd: REPO, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`sync server did not start: ${stderr}`)), 30_000);
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const match = /(https?:\/\/127\.0\.0\.1:\d+)/.exec(out);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`sync server exited (${code}): ${stderr}`));
    });
  });
  return {
    url,
    child,
    kill: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGKILL');
      }),
  };
}

/** Runs `sohoa <args>` as a child process; resolves with its exit code and output. */
export function runCli(
  args: string[],
  options: { onStart?: (child: ChildProcess) => void; timeoutMs?: number } = {},
): Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, [SOHOA_CLI, ...args], {
    cwd: REPO,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, SOHOA_LOG_LEVEL: 'error' },
  });
  options.onStart?.(child);
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (c: Buffer) => (stdout += c.toString()));
  child.stderr!.on('data', (c: Buffer) => (stderr += c.toString()));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`sohoa ${args[0]} did not finish: ${stderr}`));
    }, options.timeoutMs ?? 60_000);
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
  });
}

/**
 * A TCP proxy on loopback between clients and the sync server. It forwards bytes unchanged and,
 * when asked, cuts connections: at random (a flaky network), or when a request line matches
 * (to crash a process at a chosen moment). It holds at most `maxConnections` at once.
 */
export class TcpProxy {
  private server: net.Server | null = null;
  private readonly sockets = new Set<net.Socket>();
  /** Probability that a chunk of traffic, either way, cuts its connection instead of passing. */
  dropRate = 0;
  drops = 0;
  private random: () => number;
  /** Called with the client's bytes before they are forwarded; may pause or cut the exchange. */
  onClientData: ((chunk: Buffer, connection: ProxyConnection) => void) | null = null;
  /** Called with the server's bytes before they are forwarded. */
  onServerData: ((chunk: Buffer, connection: ProxyConnection) => void) | null = null;

  constructor(
    public target: string,
    seed = 1,
    private readonly maxConnections = 64,
  ) {
    this.random = mulberry32(seed);
  }

  get url(): string {
    const address = this.server!.address() as net.AddressInfo;
    return `http://127.0.0.1:${address.port}`;
  }

  async start(): Promise<void> {
    this.server = net.createServer((client) => this.accept(client));
    this.server.maxConnections = this.maxConnections;
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
  }

  private accept(client: net.Socket): void {
    const target = new URL(this.target);
    const upstream = net.connect(Number(target.port), '127.0.0.1');
    const connection = new ProxyConnection(client, upstream);
    for (const socket of [client, upstream]) {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
      socket.on('error', () => connection.cut());
      socket.on('close', () => connection.cut());
    }
    client.on('data', (chunk: Buffer) => {
      if (this.shouldDrop()) return connection.cut();
      this.onClientData?.(chunk, connection);
      if (!connection.closed) connection.toServer(chunk);
    });
    upstream.on('data', (chunk: Buffer) => {
      if (this.shouldDrop()) return connection.cut();
      this.onServerData?.(chunk, connection);
      if (!connection.closed) connection.toClient(chunk);
    });
  }

  private shouldDrop(): boolean {
    if (this.dropRate <= 0 || this.random() >= this.dropRate) return false;
    this.drops++;
    return true;
  }

  /** Cuts every open connection (as a network outage would). */
  cutAll(): void {
    for (const socket of this.sockets) socket.destroy();
  }

  async close(): Promise<void> {
    this.cutAll();
    await new Promise<void>((resolve) => this.server?.close(() => resolve()) ?? resolve());
  }
}

export class ProxyConnection {
  closed = false;
  /** While held, the server's bytes are kept back (the client waits for an answer that the server sent). */
  held: Buffer[] | null = null;

  constructor(
    readonly client: net.Socket,
    readonly upstream: net.Socket,
  ) {}

  toServer(chunk: Buffer): void {
    this.upstream.write(chunk);
  }

  toClient(chunk: Buffer): void {
    if (this.held) this.held.push(chunk);
    else this.client.write(chunk);
  }

  hold(): void {
    this.held ??= [];
  }

  cut(): void {
    if (this.closed) return;
    this.closed = true;
    this.client.destroy();
    this.upstream.destroy();
  }
}

export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
}

/** A small PNG "scan" whose bytes depend only on the seed: distinct seeds, distinct files. */
export async function syntheticScan(seed: number, width = 160, height = 200): Promise<Buffer> {
  const random = mulberry32(seed);
  const pixels = Buffer.alloc(width * height);
  for (let i = 0; i < pixels.length; i++) pixels[i] = 200 + Math.floor(random() * 56);
  return sharp(pixels, { raw: { width, height, channels: 1 } })
    .png()
    .toBuffer();
}
