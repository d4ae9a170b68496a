import { app, session, shell, type WebContents } from 'electron';
import { CONTENT_SECURITY_POLICY } from '../web/csp';
import { APP_ORIGIN, isAllowedExternal } from './security-policy';

/** Applies the shell's security rules once, before the first window opens. */
export function installSecurity(): void {
  const ses = session.defaultSession;
  // Camera access is asked for by the capture feature; everything else is denied.
  ses.setPermissionRequestHandler((_contents, permission, callback) => callback(permission === 'media'));
  ses.setPermissionCheckHandler((_contents, permission) => permission === 'media');
  ses.webRequest.onHeadersReceived((details, callback) => {
    callback({
      responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [CONTENT_SECURITY_POLICY] },
    });
  });
  app.on('web-contents-created', (_event, contents) => hardenContents(contents));
}

function hardenContents(contents: WebContents): void {
  contents.on('will-navigate', (event, url) => {
    if (!url.startsWith(APP_ORIGIN)) event.preventDefault();
  });
  contents.on('will-redirect', (event, url) => {
    if (!url.startsWith(APP_ORIGIN)) event.preventDefault();
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(({ url }) => {
    if (isAllowedExternal(url)) void shell.openExternal(url);
    return { action: 'deny' };
  });
}
