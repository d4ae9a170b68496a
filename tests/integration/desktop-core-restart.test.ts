import { fork, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Result } from '../../shared/api/errors';
import type { FromCore } from '../../electron/main/core-protocol';
import { CoreStopped, CoreSupervisor, type CoreProcess } from '../../electron/main/core-supervisor';
import { TEST_PASSPHRASE } from '../support/temp-backend';

/**
 * The desktop shell's supervision of its backend process, with the real backend entry
 * (core-host.ts, a real data folder, SQLite, the OCR runner) in a Node child process: Electron's
 * utility process cannot run on this machine (no Electron binary), and the child gets the same
 * message port from tests/support/utility-process-port.mjs.
 */
const CORE_HOST = path.resolve('electron/main/core-host.ts');
const PORT_SHIM = path.resolve('tests/support/utility-process-port.mjs');

const folders: string[] = [];
const children: ChildProcess[] = [];
afterEach(() => {
  for (const child of children.splice(0)) child.kill('SIGKILL');
  for (const dir of folders.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** Starts core-host.ts as the shell does, with `args` in place of the data and assets folders. */
function backendProcess(args: string[]): { start: () => CoreProcess; started: ChildProcess[] } {
  const started: ChildProcess[] = [];
  const start = (): CoreProcess => {
    const child = fork(CORE_HOST, args, {
      execArgv: ['--import', 'tsx', '--import', PORT_SHIM],
      env: { ...process.env, SOHOA_PASSPHRASE: TEST_PASSPHRASE, SOHOA_OCR_WORKERS: '1' },
      serialization: 'advanced',
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
    });
    child.stderr?.resume();
    started.push(child);
    children.push(child);
    return {
      postMessage: (message) => child.send(message),
      on: (event: 'message' | 'exit', listener: (value: never) => void) =>
        event === 'exit'
          ? child.on('exit', (code) => listener((code ?? -1) as never))
          : child.on('message', (message) => listener(message as never)),
      kill: () => child.kill('SIGKILL'),
      pid: child.pid,
    } as CoreProcess;
  };
  return { start, started };
}

function dataFolder(): string[] {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'sohoa-core-restart-'));
  folders.push(dir);
  return [path.join(dir, 'data'), path.resolve('assets'), 'file'];
}

let nextId = 1;
function appInfo(supervisor: CoreSupervisor): Promise<Extract<FromCore, { type: 'result' }>> {
  return supervisor.request({ type: 'call', id: nextId++, name: 'app.info', input: {}, token: null });
}

function exited(child: ChildProcess): Promise<void> {
  return new Promise((resolve) =>
    child.exitCode !== null || child.signalCode !== null ? resolve() : child.once('exit', () => resolve()),
  );
}

describe('the desktop shell keeps its backend process running', () => {
  it('fails the call in flight when the backend dies, starts it again, and answers the next calls', async () => {
    const backend = backendProcess(dataFolder());
    const exits: number[] = [];
    const supervisor = new CoreSupervisor({
      start: backend.start,
      onNotice: () => undefined,
      onGiveUp: () => undefined,
      onExit: (code) => exits.push(code),
      restartDelayMs: [50, 50],
    });
    await supervisor.start();
    const first = await appInfo(supervisor);
    expect((first.result as Result<{ host: string }>).ok).toBe(true);

    // Frozen, so the call is surely in flight when the process dies.
    const [dying] = backend.started;
    dying?.kill('SIGSTOP');
    const inFlight = appInfo(supervisor);
    dying?.kill('SIGKILL');
    await expect(inFlight).rejects.toBeInstanceOf(CoreStopped);
    await exited(dying as ChildProcess);

    // Made while the backend is down: waits for the new process.
    const after = await appInfo(supervisor);
    expect(after.result).toEqual({ ok: true, value: expect.objectContaining({ host: 'desktop' }) });
    expect(backend.started).toHaveLength(2);
    expect(exits).toHaveLength(1);
    supervisor.stop();
    await exited(backend.started[1] as ChildProcess);
    // Stopped on purpose (the app quits): not started again, and calls are refused at once.
    expect(backend.started).toHaveLength(2);
    await expect(appInfo(supervisor)).rejects.toBeInstanceOf(CoreStopped);
  }, 60_000);

  it('ends a backend whose thread stops answering, and starts it again', async () => {
    const backend = backendProcess(dataFolder());
    let hangs = 0;
    const supervisor = new CoreSupervisor({
      start: backend.start,
      onNotice: () => undefined,
      onGiveUp: () => undefined,
      onHang: () => hangs++,
      restartDelayMs: [50, 50],
      heartbeat: { everyMs: 100, hangMs: 3_000 },
    });
    await supervisor.start();
    // Answers pings while idle: left alone longer than hangMs, it is not taken for stuck.
    await new Promise((resolve) => setTimeout(resolve, 4_000));
    expect(hangs).toBe(0);
    expect(backend.started).toHaveLength(1);

    // A thread that never comes back, as in an endless loop: frozen, and left to the heartbeat.
    backend.started[0]?.kill('SIGSTOP');
    await expect(appInfo(supervisor)).rejects.toBeInstanceOf(CoreStopped);
    expect(hangs).toBe(1);
    const after = await appInfo(supervisor);
    expect(after.result).toEqual({ ok: true, value: expect.objectContaining({ host: 'desktop' }) });
    expect(backend.started).toHaveLength(2);
    supervisor.stop();
  }, 60_000);

  it('gives up on a backend that keeps dying at start, and says so', async () => {
    // Without its folders core-host stops at once, as a backend that cannot open would.
    const backend = backendProcess([]);
    let gaveUp = 0;
    const supervisor = new CoreSupervisor({
      start: backend.start,
      onNotice: () => undefined,
      onGiveUp: () => gaveUp++,
      maxCrashes: 3,
      restartDelayMs: [10, 20],
    });
    await expect(supervisor.start()).rejects.toEqual(new CoreStopped(true));
    expect(backend.started).toHaveLength(3);
    expect(gaveUp).toBe(1);
    await expect(appInfo(supervisor)).rejects.toEqual(new CoreStopped(true));
  }, 60_000);
});
