import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const ADDRESS = /http:\/\/127\.0\.0\.1:\d+/g;

/** Polls until `check` returns a value (the child's output arrives in pieces). */
async function until<T>(check: () => T | undefined, what: string, ms = 120_000): Promise<T> {
  const giveUpAt = Date.now() + ms;
  for (;;) {
    const value = check();
    if (value !== undefined) return value;
    if (Date.now() > giveUpAt) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Whether `npm start` opens the desktop app here instead (as scripts/start.mjs decides). */
function electronPresent(): boolean {
  try {
    const binary: unknown = createRequire(import.meta.url)('electron');
    return typeof binary === 'string' && existsSync(binary);
  } catch {
    return false;
  }
}

// Linux: the server's pid is read from /proc. Without an Electron binary `npm start` is browser mode.
describe.runIf(process.platform === 'linux' && !electronPresent())('npm start in browser mode', () => {
  it('starts its server again on the same address when it dies, and stops with it', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'sohoa-start-'));
    const start = spawn(process.execPath, ['scripts/start.mjs', '--data', path.join(dir, 'data')], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    start.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    start.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => start.once('exit', (code) => resolve(code)));
    try {
      const address = await until(() => out.match(ADDRESS)?.[0], 'the address');
      expect((await fetch(`${address}/`)).status).toBe(200);

      // The server is start.mjs's only child by now (the web build has finished).
      const pid = start.pid ?? 0;
      const server = Number(readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(' ')[0]);
      process.kill(server, 'SIGKILL');
      await until(() => (out.match(ADDRESS)?.length === 2 ? true : undefined), 'the restarted server');
      expect(out.match(ADDRESS)).toEqual([address, address]);
      expect(err).toContain('đang khởi động lại trên cùng cổng');
      expect((await fetch(`${address}/`)).status).toBe(200);

      start.kill('SIGTERM');
      expect(await exited).toBe(0);
    } finally {
      start.kill('SIGKILL');
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
