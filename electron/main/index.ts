/**
 * The Electron shell: one window, the app:// and sohoa-media:// protocols, and the IPC bridge to
 * the backend running in a utility process. Nothing here touches SQL, files or OCR itself.
 */
import { app, BrowserWindow, dialog, ipcMain, net, protocol, safeStorage, shell, utilityProcess } from 'electron';
import { mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { AppError, Result } from '../../shared/api/errors';
import type { FromCore } from './core-protocol';
import { CoreStopped, CoreSupervisor, type CoreRequest } from './core-supervisor';
import { CrashBudget } from './crash-budget';
import { installSecurity } from './security';
import {
  APP_ORIGIN,
  APP_SCHEME,
  MEDIA_SCHEME,
  isTrustedSender,
  parseMediaUrl,
  resolveAppFile,
  secureWebPreferences,
} from './security-policy';

protocol.registerSchemesAsPrivileged([
  { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true, corsEnabled: true } },
  { scheme: MEDIA_SCHEME, privileges: { standard: true, secure: true } },
]);

const rendererDir = path.join(import.meta.dirname, '../renderer');
const assetsDir = app.isPackaged ? path.join(process.resourcesPath, 'assets') : path.join(app.getAppPath(), 'assets');
const dataDir = process.env.SOHOA_DATA_DIR ?? argValue('--data') ?? app.getPath('userData');

let core: CoreSupervisor | null = null;
let nextId = 1;

function startCore(): Promise<void> {
  // Where the OS offers no keychain (a bare Linux session), the credential stays a 0600 file.
  const sealing = safeStorage.isEncryptionAvailable() ? 'safeStorage' : 'file';
  core = new CoreSupervisor({
    start: () =>
      utilityProcess.fork(path.join(import.meta.dirname, 'core-host.js'), [dataDir, assetsDir, sealing], {
        serviceName: 'SoHoa backend',
      }),
    onNotice: (message, reply) => {
      if (message.type === 'seal') reply({ type: 'sealed', id: message.id, text: sealed(message) });
      else
        for (const window of BrowserWindow.getAllWindows())
          window.webContents.send('sohoa:event', message.name, message.payload);
    },
    onExit: (code) => console.warn(`SoHoa backend process stopped (exit code ${code})`),
    onHang: () => console.warn('SoHoa backend process stopped answering; ending it'),
    onGiveUp: () => {
      tellClerk(CORE_GAVE_UP);
      app.quit();
    },
  });
  return core.start();
}

function sealed(message: Extract<FromCore, { type: 'seal' }>): string | null {
  try {
    return message.op === 'seal'
      ? safeStorage.encryptString(message.text).toString('base64')
      : safeStorage.decryptString(Buffer.from(message.text, 'base64'));
  } catch {
    return null;
  }
}

/** The backend's answer, or CoreStopped when its process stopped before answering (coreStoppedError). */
async function request<T extends FromCore>(message: CoreRequest): Promise<T | CoreStopped> {
  if (!core) return new CoreStopped(false);
  return core.request<T>(message).catch((error: unknown) => {
    if (error instanceof CoreStopped) return error;
    throw error;
  });
}

const CORE_RESTARTING: AppError = {
  code: 'INTERNAL',
  message:
    'Bộ xử lý nền của SoHoa vừa dừng đột ngột và đang được khởi động lại. Những gì đã lưu không bị mất; hãy thử lại sau giây lát.',
  messageEn:
    "SoHoa's background process stopped unexpectedly and is restarting. Nothing saved was lost; try again in a moment.",
};
const CORE_GAVE_UP: AppError = {
  code: 'INTERNAL',
  message:
    'Bộ xử lý nền của SoHoa không chạy được. Hãy đóng và mở lại ứng dụng; nếu vẫn lỗi, hãy báo cho quản trị viên.',
  messageEn:
    "SoHoa's background process cannot run. Close and reopen the app; if this persists, tell your administrator.",
};

const WINDOW_GAVE_UP: AppError = {
  code: 'INTERNAL',
  message: 'Cửa sổ SoHoa liên tục bị dừng. Hãy đóng và mở lại ứng dụng; nếu vẫn lỗi, hãy báo cho quản trị viên.',
  messageEn: "SoHoa's window keeps stopping. Close and reopen the app; if this persists, tell your administrator.",
};

/** A message box in both languages, for what the shell cannot carry on from. */
function tellClerk(error: AppError): void {
  dialog.showErrorBox('SoHoa', `${error.message}\n\n${error.messageEn ?? ''}`);
}

function coreStoppedError(stopped: CoreStopped): Result<never> {
  return { ok: false, error: stopped.gaveUp ? CORE_GAVE_UP : CORE_RESTARTING };
}

/** Each window's session token: kept here, never handed to the page. */
const sessions = new Map<number, string>();

const refused: Result<never> = { ok: false, error: { code: 'FORBIDDEN', message: 'Yêu cầu không hợp lệ.' } };

function registerIpc(): void {
  ipcMain.handle('sohoa:call', async (event, name: unknown, input: unknown) => {
    if (!isTrustedSender(event.senderFrame?.url) || typeof name !== 'string') return refused;
    const token = sessions.get(event.sender.id) ?? null;
    const reply = await request<Extract<FromCore, { type: 'result' }>>({
      type: 'call',
      id: nextId++,
      name,
      input,
      token,
    });
    if (reply instanceof CoreStopped) return coreStoppedError(reply);
    if (reply.session === null) sessions.delete(event.sender.id);
    else if (reply.session !== undefined) sessions.set(event.sender.id, reply.session);
    return reply.result;
  });
  ipcMain.handle('sohoa:upload', async (event, fileName: unknown, bytes: unknown) => {
    if (!isTrustedSender(event.senderFrame?.url) || typeof fileName !== 'string' || !(bytes instanceof Uint8Array))
      return refused;
    if (!sessions.has(event.sender.id)) return refused;
    const reply = await request<Extract<FromCore, { type: 'result' }>>({
      type: 'upload',
      id: nextId++,
      fileName,
      bytes,
    });
    return reply instanceof CoreStopped ? coreStoppedError(reply) : reply.result;
  });
}

/** Exports and receipts: the shell saves them where the clerk says, or opens them to print. */
function registerExports(): void {
  ipcMain.handle('sohoa:export', async (event, downloadPath: unknown, mode: unknown) => {
    const token = typeof downloadPath === 'string' ? /^\/exports\/([a-f0-9]{32})$/.exec(downloadPath)?.[1] : undefined;
    if (!isTrustedSender(event.senderFrame?.url) || !token || (mode !== 'save' && mode !== 'open')) return refused;
    const reply = await request<Extract<FromCore, { type: 'export' }>>({
      type: 'export',
      id: nextId++,
      downloadToken: token,
      token: sessions.get(event.sender.id) ?? null,
    });
    if (reply instanceof CoreStopped) return coreStoppedError(reply);
    if (!reply.bytes) {
      return {
        ok: false,
        error: {
          code: 'NOT_FOUND',
          message: 'Liên kết tải đã hết hạn; hãy xuất lại.',
          messageEn: 'The export expired.',
        },
      };
    }
    const fileName = path.basename(reply.fileName) || 'sohoa.pdf';
    if (mode === 'open') {
      // The system's PDF viewer prints with the counter's own printer settings.
      const file = path.join(await mkdtemp(path.join(os.tmpdir(), 'sohoa-')), fileName);
      await writeFile(file, reply.bytes);
      await shell.openPath(file);
      return { ok: true, value: { file } };
    }
    const window = BrowserWindow.fromWebContents(event.sender);
    const options = { defaultPath: path.join(app.getPath('documents'), fileName) };
    const choice = window ? await dialog.showSaveDialog(window, options) : await dialog.showSaveDialog(options);
    if (choice.canceled || !choice.filePath) return { ok: true, value: { file: null } };
    await writeFile(choice.filePath, reply.bytes);
    return { ok: true, value: { file: choice.filePath } };
  });
}

function registerProtocols(): void {
  protocol.handle(APP_SCHEME, async (req) => {
    const file = resolveAppFile(rendererDir, req.url);
    if (!file) return new Response('Not found', { status: 404 });
    return net.fetch(pathToFileURL(file).toString());
  });
  protocol.handle(MEDIA_SCHEME, async (req) => {
    const media = parseMediaUrl(req.url);
    if (!media) return new Response('Not found', { status: 404 });
    // One window: its session lets its <img> tags load page images.
    const token = [...sessions.values()][0] ?? null;
    const reply = await request<Extract<FromCore, { type: 'media' }>>({ type: 'media', id: nextId++, ...media, token });
    if (reply instanceof CoreStopped) return new Response('Backend restarting', { status: 503 });
    if (!reply.bytes) return new Response('Not found', { status: 404 });
    return new Response(new Uint8Array(reply.bytes), { headers: { 'content-type': reply.mime } });
  });
}

async function createWindow(): Promise<void> {
  const window = new BrowserWindow({
    width: 1360,
    height: 860,
    minWidth: 1024,
    minHeight: 640,
    title: 'SoHoa — Số hóa hồ sơ một cửa',
    show: false,
    webPreferences: secureWebPreferences(path.join(import.meta.dirname, '../preload/index.cjs')),
  });
  window.once('ready-to-show', () => window.show());
  // A renderer that dies (memory running out on a huge scan, a crash in Chromium) left a blank
  // window: the page is loaded again, the clerk still signed in (the session is kept here).
  const reloads = new CrashBudget(3, 60_000);
  window.webContents.on('render-process-gone', (_event, details) => {
    if (details.reason === 'clean-exit') return;
    console.warn(`SoHoa window stopped (${details.reason}); loading it again`);
    if (reloads.spent(reloads.record())) tellClerk(WINDOW_GAVE_UP);
    else window.webContents.reload();
  });
  await window.loadURL(`${APP_ORIGIN}/index.html`);
}

function argValue(flag: string): string | undefined {
  const index = process.argv.indexOf(flag);
  return index >= 0 ? process.argv[index + 1] : undefined;
}

if (!app.requestSingleInstanceLock()) app.quit();
app.on('second-instance', () => BrowserWindow.getAllWindows()[0]?.focus());
app.on('window-all-closed', () => app.quit());
app.on('before-quit', () => core?.stop());

void app.whenReady().then(async () => {
  installSecurity();
  registerProtocols();
  registerIpc();
  registerExports();
  try {
    await startCore();
  } catch {
    return; // given up on: onGiveUp has told the clerk and quits
  }
  await createWindow();
});
