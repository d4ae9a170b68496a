/**
 * The desktop shell's security rules as plain functions, so they are tested under Node without
 * the Electron binary. `security.ts` applies them to Electron's objects.
 */
import path from 'node:path';

export const APP_SCHEME = 'app';
export const APP_ORIGIN = `${APP_SCHEME}://sohoa`;
export const MEDIA_SCHEME = 'sohoa-media';

/** Electron's checklist: every window gets exactly these. */
export function secureWebPreferences(preloadPath: string) {
  return {
    preload: preloadPath,
    sandbox: true,
    contextIsolation: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webviewTag: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    experimentalFeatures: false,
    navigateOnDragDrop: false,
    spellcheck: false,
  } as const;
}

/** Only the app's own pages may talk to the backend. */
export function isTrustedSender(frameUrl: string | undefined): boolean {
  if (!frameUrl) return false;
  try {
    const url = new URL(frameUrl);
    return `${url.protocol}//${url.host}` === APP_ORIGIN;
  } catch {
    return false;
  }
}

/** Links a clerk may open in the system browser: the national portal, over https only. */
const EXTERNAL_ALLOW = [/^https:\/\/([a-z0-9-]+\.)*dichvucong\.gov\.vn(\/|$)/i];
export function isAllowedExternal(url: string): boolean {
  return EXTERNAL_ALLOW.some((pattern) => pattern.test(url));
}

/**
 * Maps an app:// URL to a file inside the renderer folder, or null. Decodes first, then checks
 * the resolved path, so `..`, `%2e%2e` and encoded separators cannot climb out.
 */
export function resolveAppFile(rendererDir: string, requestUrl: string): string | null {
  let url: URL;
  try {
    url = new URL(requestUrl);
  } catch {
    return null;
  }
  if (url.protocol !== `${APP_SCHEME}:` || url.host !== 'sohoa') return null;
  let pathname: string;
  try {
    pathname = decodeURIComponent(url.pathname);
  } catch {
    return null;
  }
  if (pathname.includes('\0')) return null;
  const root = path.resolve(rendererDir);
  const file = path.resolve(root, `.${path.posix.normalize(`/${pathname}`)}`);
  if (file !== root && !file.startsWith(root + path.sep)) return null;
  return file === root || pathname.endsWith('/') ? path.join(root, 'index.html') : file;
}

/** `sohoa-media://app/media/pages/<id>/<variant>` → the page and variant, or null. */
export function parseMediaUrl(requestUrl: string): { pageId: number; variant: 'thumb' | 'full' } | null {
  // `?v=` only keys the cache (a rotated page keeps its id); the image served is always the current one.
  const match = /^sohoa-media:\/\/app\/media\/pages\/(\d{1,12})\/(thumb|full)(?:\?v=[0-9a-z]{1,16})?$/.exec(requestUrl);
  return match ? { pageId: Number(match[1]), variant: match[2] as 'thumb' | 'full' } : null;
}

/**
 * Site permissions: the camera (document capture) for the app's own pages only, and never the
 * microphone; everything else is denied. `requestingUrl` is the page's URL or origin.
 */
export function isAllowedPermission(
  permission: string,
  requestingUrl: string | undefined,
  mediaTypes: readonly string[] = [],
): boolean {
  return permission === 'media' && !mediaTypes.includes('audio') && isTrustedSender(requestingUrl);
}
