import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import {
  credentialFile,
  credentialMode,
  readCredential,
  writeCredential,
  type SecretSealer,
  type SyncCredential,
} from '../../electron/core/sync/credential';
import { tempDir } from '../support/temp-backend';

/** Stands in for Electron's safeStorage: a key held outside the data folder (AES-256-GCM). */
function keychainSealer(name = 'test-keychain'): SecretSealer {
  const key = randomBytes(32);
  return {
    name,
    async seal(plain) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
      return Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64');
    },
    async open(sealed) {
      const raw = Buffer.from(sealed, 'base64');
      const decipher = createDecipheriv('aes-256-gcm', key, raw.subarray(0, 12));
      decipher.setAuthTag(raw.subarray(12, 28));
      return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8');
    },
  };
}

const credential: SyncCredential = {
  server: 'https://dongbo.example.vn',
  deviceId: 'dev-1',
  secret: 'bi-mat-thiet-bi-rat-dai-0123456789',
  unit: '000.00.01.H26',
  province: '79',
  scope: 'unit',
  enrolledAt: '2026-11-26T08:00:00.000Z',
  ca: null,
};

describe('the sync credential at rest', () => {
  const { dir, cleanup } = tempDir('sohoa-cred-');
  afterAll(cleanup);

  it('is sealed by the OS keychain when the shell offers one: the file never holds the secret', async () => {
    const sealer = keychainSealer();
    await writeCredential(dir, credential, sealer);
    const onDisk = readFileSync(credentialFile(dir), 'utf8');
    expect(onDisk).not.toContain(credential.secret);
    expect(onDisk).not.toContain(credential.deviceId);
    expect(await credentialMode(dir)).toBe(0o600);
    expect(await readCredential(dir, sealer)).toEqual(credential);
    // Without that keychain (another machine, a copied folder) the credential cannot be used.
    expect(await readCredential(dir)).toBeNull();
    expect(await readCredential(dir, keychainSealer('other-keychain'))).toBeNull();
  });

  it('is a file only this user can read where no keychain exists (browser mode, CLI)', async () => {
    const plainDir = tempDir('sohoa-cred-plain-');
    try {
      await writeCredential(plainDir.dir, credential);
      expect(await credentialMode(plainDir.dir)).toBe(0o600);
      expect(await readCredential(plainDir.dir)).toEqual(credential);
    } finally {
      plainDir.cleanup();
    }
  });
});
