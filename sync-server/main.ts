import { readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { DeviceScope } from '../shared/sync/protocol';
import { createEnrolCode } from './auth';
import { FolderBlobStore } from './blobs/blob-store';
import { startSyncServer } from './server';
import { openSyncStorage } from './storage/open-storage';

const USAGE = `sohoa-sync-server — máy chủ đồng bộ SoHoa / SoHoa sync server

Cách dùng / Usage:
  sohoa-sync-server serve [--data DIR] [--port N] [--host ADDR] [--database postgres://...]
                          [--blobs DIR] [--tls-key FILE --tls-cert FILE] [--scope unit|province]
                          [--province CODE] [--rate N]
  sohoa-sync-server enrol-code --unit UNIT [--province CODE] [--scope unit|province] [--ttl-hours N]
                          [--data DIR] [--database postgres://...]
  sohoa-sync-server revoke --device ID [--data DIR] [--database postgres://...]
  sohoa-sync-server devices [--data DIR] [--database postgres://...]

Môi trường / Environment: SOHOA_SYNC_DATA_DIR, SOHOA_SYNC_DATABASE, SOHOA_SYNC_ADMIN_TOKEN (bật các
lệnh quản trị qua HTTP / enables the admin endpoints).
`;

const STORE_OPTIONS = {
  data: { type: 'string' },
  database: { type: 'string' },
} as const;

/** Where the embedded database and the blob folder live unless --data says otherwise. */
function defaultDataDir(): string {
  if (process.env.SOHOA_SYNC_DATA_DIR) return path.resolve(process.env.SOHOA_SYNC_DATA_DIR);
  const base = process.env.XDG_DATA_HOME ?? path.join(os.homedir(), '.local', 'share');
  return path.join(base, 'sohoa-sync-server');
}

function storeOptions(values: { data?: string; database?: string }) {
  const dataDir = path.resolve(values.data ?? defaultDataDir());
  const database = values.database ?? process.env.SOHOA_SYNC_DATABASE;
  return { dataDir, ...(database ? { database } : {}) };
}

function scopeOf(value: string | undefined): DeviceScope | undefined {
  if (value === undefined) return undefined;
  const parsed = DeviceScope.safeParse(value);
  if (!parsed.success) throw new UsageError('--scope phải là unit hoặc province / --scope must be unit or province');
  return parsed.data;
}

class UsageError extends Error {}

async function serve(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      ...STORE_OPTIONS,
      port: { type: 'string' },
      host: { type: 'string' },
      blobs: { type: 'string' },
      'tls-key': { type: 'string' },
      'tls-cert': { type: 'string' },
      scope: { type: 'string' },
      province: { type: 'string' },
      rate: { type: 'string' },
    },
  });
  if (Boolean(values['tls-key']) !== Boolean(values['tls-cert'])) {
    throw new UsageError('--tls-key và --tls-cert đi cùng nhau / --tls-key and --tls-cert go together');
  }
  const store = storeOptions(values);
  const storage = await openSyncStorage(store);
  const blobs = new FolderBlobStore(path.resolve(values.blobs ?? path.join(store.dataDir, 'blobs')));
  await blobs.init();
  const WEEK = 7 * 24 * 3600_000;
  await blobs.sweepPartials(WEEK);
  const sweeper = setInterval(() => void blobs.sweepPartials(WEEK).catch(() => undefined), 24 * 3600_000);
  sweeper.unref();
  const rate = Number(values.rate ?? 200) || 200;
  const scope = scopeOf(values.scope);
  const server = await startSyncServer({
    storage,
    blobs,
    port: values.port === undefined ? 8787 : Number(values.port),
    host: values.host ?? '127.0.0.1',
    ...(values['tls-key'] && values['tls-cert']
      ? { tls: { key: await readFile(values['tls-key']), cert: await readFile(values['tls-cert']) } }
      : {}),
    ...(process.env.SOHOA_SYNC_ADMIN_TOKEN ? { adminToken: process.env.SOHOA_SYNC_ADMIN_TOKEN } : {}),
    rateLimit: { perSecond: rate, burst: rate * 4 },
    ...(scope ? { defaultScope: scope } : {}),
    ...(values.province ? { defaultProvince: values.province } : {}),
  });
  process.stdout.write(`Máy chủ đồng bộ SoHoa đang chạy / SoHoa sync server listening: ${server.url}\n`);
  process.stderr.write(
    `store: ${storage.dialect === 'postgres' ? 'PostgreSQL' : path.join(store.dataDir, 'sync-server.db')}; files: ${blobs.root}\n`,
  );
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  clearInterval(sweeper);
  await server.close();
  await storage.close();
  return 0;
}

async function enrolCode(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      ...STORE_OPTIONS,
      unit: { type: 'string' },
      province: { type: 'string' },
      scope: { type: 'string' },
      'ttl-hours': { type: 'string' },
    },
  });
  const unit = values.unit?.trim();
  if (!unit || unit.length > 64) throw new UsageError('Cần --unit (mã đơn vị) / --unit (the unit code) is required');
  const ttlHours = Number(values['ttl-hours'] ?? 72);
  if (!Number.isInteger(ttlHours) || ttlHours < 1 || ttlHours > 24 * 30) {
    throw new UsageError('--ttl-hours: 1..720');
  }
  const storage = await openSyncStorage(storeOptions(values));
  try {
    const { code } = await createEnrolCode(storage, {
      unit,
      province: values.province?.trim() || 'default',
      scope: scopeOf(values.scope) ?? 'unit',
      ttlHours,
    });
    // The code alone on stdout, so scripts can capture it.
    process.stdout.write(`${code}\n`);
    return 0;
  } finally {
    await storage.close();
  }
}

async function revoke(argv: string[]): Promise<number> {
  const { values } = parseArgs({ args: argv, options: { ...STORE_OPTIONS, device: { type: 'string' } } });
  if (!values.device) throw new UsageError('Cần --device / --device is required');
  const storage = await openSyncStorage(storeOptions(values));
  try {
    const revoked = await storage.revokeDevice(values.device);
    process.stdout.write(`${JSON.stringify({ device: values.device, revoked })}\n`);
    return revoked ? 0 : 1;
  } finally {
    await storage.close();
  }
}

async function devices(argv: string[]): Promise<number> {
  const { values } = parseArgs({ args: argv, options: STORE_OPTIONS });
  const storage = await openSyncStorage(storeOptions(values));
  try {
    for (const device of await storage.listDevices()) {
      const { secretHash: _hidden, ...shown } = device;
      process.stdout.write(`${JSON.stringify(shown)}\n`);
    }
    return 0;
  } finally {
    await storage.close();
  }
}

const COMMANDS: Record<string, (argv: string[]) => Promise<number>> = {
  serve,
  'enrol-code': enrolCode,
  revoke,
  devices,
};

export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  const run = command ? COMMANDS[command] : undefined;
  if (!run) {
    const help = command === undefined || command === 'help' || command === '--help' || command === '-h';
    (help ? process.stdout : process.stderr).write(help ? USAGE : `Lệnh không tồn tại: ${command}\n\n${USAGE}`);
    return help && command !== undefined ? 0 : 2;
  }
  try {
    return await run(rest);
  } catch (error) {
    if (error instanceof UsageError) {
      process.stderr.write(`${error.message}\n\n${USAGE}`);
      return 2;
    }
    if (error instanceof TypeError && 'code' in error && String(error.code).startsWith('ERR_PARSE_ARGS')) {
      process.stderr.write(`${error.message}\n\n${USAGE}`);
      return 2;
    }
    process.stderr.write(`Lỗi / Error: ${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  }
}
