#!/usr/bin/env node
// `npm start`: the desktop window where the Electron binary is present; otherwise the same app in
// browser mode on 127.0.0.1, said in one line. Extra arguments (--data DIR, --port N) pass through.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
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
  const child = spawn(process.execPath, [path.join(root, 'bin', 'sohoa.mjs'), 'serve', ...args], {
    cwd: root,
    stdio: 'inherit',
  });
  for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
  child.on('exit', (code) => process.exit(code ?? 0));
}
