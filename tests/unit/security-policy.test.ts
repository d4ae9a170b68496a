import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  isAllowedExternal,
  isAllowedPermission,
  isTrustedSender,
  parseMediaUrl,
  resolveAppFile,
  secureWebPreferences,
} from '../../electron/main/security-policy';

const root = path.resolve('/opt/sohoa/renderer');

describe('desktop shell security policy', () => {
  it('gives every window the hardened preferences', () => {
    const prefs = secureWebPreferences('/p/preload.cjs');
    expect(prefs).toMatchObject({
      sandbox: true,
      contextIsolation: true,
      nodeIntegration: false,
      webviewTag: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
    });
  });

  it('serves app:// files only from inside the renderer folder', () => {
    expect(resolveAppFile(root, 'app://sohoa/index.html')).toBe(path.join(root, 'index.html'));
    expect(resolveAppFile(root, 'app://sohoa/assets/app.js')).toBe(path.join(root, 'assets', 'app.js'));
    expect(resolveAppFile(root, 'app://sohoa/')).toBe(path.join(root, 'index.html'));
    for (const evil of [
      'app://sohoa/../../etc/passwd',
      'app://sohoa/%2e%2e/%2e%2e/etc/passwd',
      'app://sohoa/assets/..%2f..%2f..%2fetc/passwd',
      'app://sohoa/%00',
      'app://other/index.html',
      'file:///etc/passwd',
    ]) {
      const file = resolveAppFile(root, evil);
      expect(file === null || file.startsWith(root + path.sep), evil).toBe(true);
    }
  });

  it('trusts IPC only from the app origin', () => {
    expect(isTrustedSender('app://sohoa/index.html')).toBe(true);
    expect(isTrustedSender('https://evil.example/')).toBe(false);
    expect(isTrustedSender('app://sohoa.evil/')).toBe(false);
    expect(isTrustedSender(undefined)).toBe(false);
  });

  it('opens only allow-listed https links outside the app', () => {
    expect(isAllowedExternal('https://dichvucong.gov.vn/p/home')).toBe(true);
    expect(isAllowedExternal('http://dichvucong.gov.vn/')).toBe(false);
    expect(isAllowedExternal('https://dichvucong.gov.vn.evil.example/')).toBe(false);
    expect(isAllowedExternal('file:///etc/passwd')).toBe(false);
  });

  it("lets only the app's own pages use the camera, never the microphone or anything else", () => {
    expect(isAllowedPermission('media', 'app://sohoa/index.html', ['video'])).toBe(true);
    expect(isAllowedPermission('media', 'app://sohoa')).toBe(true);
    expect(isAllowedPermission('media', 'app://sohoa/index.html', ['video', 'audio'])).toBe(false);
    expect(isAllowedPermission('media', 'https://evil.example/', ['video'])).toBe(false);
    expect(isAllowedPermission('media', 'app://sohoa.evil/', ['video'])).toBe(false);
    expect(isAllowedPermission('media', undefined, ['video'])).toBe(false);
    expect(isAllowedPermission('geolocation', 'app://sohoa/index.html')).toBe(false);
    expect(isAllowedPermission('notifications', 'app://sohoa/index.html')).toBe(false);
  });

  it('parses media URLs strictly', () => {
    expect(parseMediaUrl('sohoa-media://app/media/pages/12/thumb')).toEqual({ pageId: 12, variant: 'thumb' });
    expect(parseMediaUrl('sohoa-media://app/media/pages/12/full?v=90ab12')).toEqual({ pageId: 12, variant: 'full' });
    expect(parseMediaUrl('sohoa-media://app/media/pages/12/full?v=../x')).toBeNull();
    expect(parseMediaUrl('sohoa-media://app/media/pages/12/../../x')).toBeNull();
    expect(parseMediaUrl('sohoa-media://app/media/pages/abc/full')).toBeNull();
  });
});
