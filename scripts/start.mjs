#!/usr/bin/env node
// `npm start`: the desktop window where the Electron binary is present; otherwise the same app in
// browser mode on 127.0.0.1, said in one line. Extra arguments (--data DIR, --port N) pass through.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import net from 'node:net';
import { setTimeout } from 'node:timers';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const args = process.argv.slice(2);

function electronBinary() {
  try {
    // The electron package exports the binary's path, and throws when the download was skipped.
    const binary = require('electron');
    return typeof binary === 'string' && existsSync(binary) ? binary : null;
  } catch {
    return null;
  }
}

function run(command, commandArgs) {
  const result = spawnSync(command, commandArgs, { cwd: root, stdio: 'inherit', shell: process.platform === 'win32' });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

const electron = electronBinary();
const bin = (name) => path.join(root, 'node_modules', '.bin', name);
if (electron) {
  run(bin('electron-vite'), ['build']);
  const child = spawn(electron, ['.', ...args], { cwd: root, stdio: 'inherit' });
  child.on('exit', (code) => process.exit(code ?? 0));
} else {
  console.log('Không có Electron trên máy này — SoHoa chạy ở chế độ trình duyệt (no Electron binary: browser mode).');
  run(bin('vite'), ['build', '--config', 'vite.web.config.ts', '--logLevel', 'warn']);
  const portGiven = args.some((arg) => arg === '--port' || arg.startsWith('--port='));
  keepServing(portGiven ? args : [...args, '--port', String(await freePort())]);
}

/**
 * Browser mode's server holds the backend: if it dies (a native crash on a damaged scan, memory
 * running out), it is started again on the same port, so the clerk's open tab carries on (its
 * calls say "offline" meanwhile; the session and the OCR queue are in the database). Five deaths
 * within two minutes and it is left stopped, saying so.
 */
function keepServing(serveArgs) {
  const deaths = [];
  let stopping = false;
  let child = null;
  for (const signal of ['SIGINT', 'SIGTERM'])
    process.on(signal, () => {
      stopping = true;
      child?.kill(signal);
    });
  const serve = () => {
    child = spawn(process.execPath, [path.join(root, 'bin', 'sohoa.mjs'), 'serve', ...serveArgs], {
      cwd: root,
      stdio: 'inherit',
    });
    child.on('exit', (code, signal) => {
      if (stopping || code === 0) process.exit(code ?? 0);
      const now = Date.now();
      deaths.splice(0, deaths.length, ...deaths.filter((at) => now - at < 120_000), now);
      if (deaths.length >= 5) {
        console.error('Máy chủ SoHoa liên tục bị dừng; không khởi động lại nữa (the server keeps stopping).');
        process.exit(code ?? 1);
      }
      console.error(
        `Máy chủ SoHoa vừa dừng (${signal ?? code}); đang khởi động lại trên cùng cổng (the server stopped; restarting).`,
      );
      setTimeout(serve, 1000);
    });
  };
  serve();
}

/** A port free on the loopback interface now, kept for every restart of the server. */
function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}
