/**
 * Changing the data passphrase and the recovery key, through the real backend: real keys.json,
 * real scrypt, real encrypted files. A crash while keys.json is rewritten leaves a file that opens
 * with the old or the new passphrase, never neither.
 */
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { openBackend, type Backend } from '../../electron/core/backend';
import { KEYS_FILE, KeyVault, setPassphrasePrompt } from '../../electron/core/files/key-vault';
import { CALL_PERMISSIONS } from '../../shared/api/permissions';
import { REPO, SOHOA_CLI } from '../support/sync-support';
import { parseRecoveryKey, recoveryKeyProblem } from '../../shared/domain/recovery-key';
import { call, personCalls, tempDir, TEST_PASSPHRASE } from '../support/temp-backend';

const NEW_PASSPHRASE = 'cum mat khau moi cua xa';
const SCAN = Buffer.from('Bản quét thử nghiệm — Nguyễn Văn An 001085012345');

const open = (dir: string, passphrase: string | null, host: 'cli' | 'browser' = 'cli'): Promise<Backend> =>
  openBackend({ dataDir: dir, host, runOcr: false, passphrase });

async function refusal(promise: Promise<unknown>): Promise<{ code: string; message: string; messageEn?: string }> {
  try {
    await promise;
  } catch (error) {
    const appError = (error as { appError?: { code: string; message: string; messageEn?: string } }).appError;
    if (appError) return appError;
    throw error;
  }
  throw new Error('expected a refusal');
}

describe('changing the data passphrase', () => {
  it('re-wraps the master key: the new passphrase opens the same files, the old one is refused', async () => {
    const { dir, cleanup } = tempDir('sohoa-pass-change-');
    try {
      const first = await open(dir, TEST_PASSPHRASE);
      const { sha256 } = await first.store.put(SCAN);
      const storedBefore = readFileSync(first.store.pathOf(sha256));
      try {
        const before = readFileSync(path.join(dir, KEYS_FILE));
        const wrong = await first.call('vault.changePassphrase', {
          current: 'khong-phai-cum-nay',
          next: NEW_PASSPHRASE,
          repeat: NEW_PASSPHRASE,
        });
        expect(wrong).toMatchObject({ ok: false, error: { code: 'VALIDATION', field: 'current' } });
        if (!wrong.ok) expect(wrong.error.message).toContain('hiện tại không đúng');
        const differ = await first.call('vault.changePassphrase', {
          current: TEST_PASSPHRASE,
          next: NEW_PASSPHRASE,
          repeat: `${NEW_PASSPHRASE}x`,
        });
        expect(differ).toMatchObject({ ok: false, error: { code: 'VALIDATION', field: 'repeat' } });
        const short = await first.call('vault.changePassphrase', {
          current: TEST_PASSPHRASE,
          next: 'ngan',
          repeat: 'ngan',
        });
        expect(short).toMatchObject({ ok: false, error: { code: 'VALIDATION', field: 'next' } });
        if (!short.ok) expect(short.error.message).toBe('Cụm mật khẩu dữ liệu cần ít nhất 8 ký tự.');
        const weak = await first.call('vault.changePassphrase', {
          current: TEST_PASSPHRASE,
          next: '1234512345',
          repeat: '1234512345',
        });
        expect(weak).toMatchObject({ ok: false, error: { code: 'VALIDATION', field: 'next' } });
        if (!weak.ok) expect(weak.error.message).toContain('quá dễ đoán');
        // Every refusal left keys.json as it was.
        expect(readFileSync(path.join(dir, KEYS_FILE)).equals(before)).toBe(true);

        await call(first, 'vault.changePassphrase', {
          current: TEST_PASSPHRASE,
          next: NEW_PASSPHRASE,
          repeat: NEW_PASSPHRASE,
        });
        const keys = readFileSync(path.join(dir, KEYS_FILE), 'utf8');
        expect(keys).not.toContain(NEW_PASSPHRASE);
        expect(JSON.parse(keys).slots.filter((s: { type: string }) => s.type === 'passphrase')).toHaveLength(1);
        const log = first.db.prepare('SELECT action, subject, username FROM processing_log').all();
        expect(log).toContainEqual({ action: 'update', subject: 'vault:passphrase', username: expect.any(String) });
        expect(JSON.stringify(first.db.prepare('SELECT * FROM processing_log').all())).not.toContain(NEW_PASSPHRASE);
      } finally {
        await first.close();
      }

      const old = await refusal(open(dir, TEST_PASSPHRASE));
      expect(old.message).toContain('Cụm mật khẩu dữ liệu không đúng');
      const reopened = await open(dir, NEW_PASSPHRASE);
      try {
        expect(reopened.vault.state).toBe('open');
        expect(await reopened.store.read(sha256)).toEqual(SCAN);
        // Files are not re-encrypted: the stored bytes did not change.
        expect(readFileSync(reopened.store.pathOf(sha256)).equals(storedBefore)).toBe(true);
      } finally {
        await reopened.close();
      }
    } finally {
      cleanup();
    }
  });

  it('only administrators may change keys or see which exist', async () => {
    expect(CALL_PERMISSIONS['vault.changePassphrase']).toBe('settings.admin');
    expect(CALL_PERMISSIONS['vault.createRecoveryKey']).toBe('settings.admin');
    expect(CALL_PERMISSIONS['vault.keyInfo']).toBe('settings.admin');
    expect(CALL_PERMISSIONS['vault.recover']).toBe('public');
    const { dir, cleanup } = tempDir('sohoa-pass-perm-');
    const backend = await open(dir, TEST_PASSPHRASE, 'browser');
    try {
      await call(backend, 'auth.setup', {
        username: 'quantri',
        displayName: 'Phạm Minh Quản',
        password: 'mat-khau-quan-tri',
      });
      const callAs = personCalls(() => backend);
      await callAs('admin', 'auth.signIn', { username: 'quantri', password: 'mat-khau-quan-tri' });
      await callAs('admin', 'users.create', {
        username: 'canbo',
        password: 'mat-khau-can-bo',
        displayName: 'Trần Thị Bình',
        role: 'clerk',
      });
      const before = readFileSync(path.join(dir, KEYS_FILE));
      const token = { token: null as string | null };
      const clerkCall = (name: 'vault.changePassphrase' | 'vault.createRecoveryKey' | 'vault.keyInfo', input: object) =>
        backend.call(name, input as never, {
          token: token.token,
          fromPerson: true,
          onSession: (t) => void (token.token = t),
        });
      await backend.call(
        'auth.signIn',
        { username: 'canbo', password: 'mat-khau-can-bo' },
        {
          fromPerson: true,
          onSession: (t) => void (token.token = t),
        },
      );
      expect(
        await clerkCall('vault.changePassphrase', {
          current: TEST_PASSPHRASE,
          next: NEW_PASSPHRASE,
          repeat: NEW_PASSPHRASE,
        }),
      ).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
      expect(await clerkCall('vault.createRecoveryKey', { current: TEST_PASSPHRASE })).toMatchObject({
        ok: false,
        error: { code: 'FORBIDDEN' },
      });
      expect(await clerkCall('vault.keyInfo', {})).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
      expect(readFileSync(path.join(dir, KEYS_FILE)).equals(before)).toBe(true);
      expect(await callAs('admin', 'vault.keyInfo', {})).toEqual({
        passphrase: true,
        keychain: false,
        recoveryKeyCreatedAt: null,
      });
    } finally {
      await backend.close();
      cleanup();
    }
  });
});

describe('the recovery key', () => {
  it('is shown once, opens the data in place of a lost passphrase and forces a new one', async () => {
    const { dir, cleanup } = tempDir('sohoa-recovery-');
    try {
      const first = await open(dir, TEST_PASSPHRASE);
      const { sha256 } = await first.store.put(SCAN);
      let recoveryKey: string;
      try {
        const wrong = await first.call('vault.createRecoveryKey', { current: 'khong-phai-cum-nay' });
        expect(wrong).toMatchObject({ ok: false, error: { code: 'VALIDATION', field: 'current' } });
        const created = await call(first, 'vault.createRecoveryKey', { current: TEST_PASSPHRASE });
        recoveryKey = created.recoveryKey;
        expect(recoveryKey).toMatch(/^(\d{6}-){7}\d{6}$/);
        expect(parseRecoveryKey(recoveryKey)).toEqual({ ok: true, key: recoveryKey });
        expect(await call(first, 'vault.keyInfo', {})).toEqual({
          passphrase: true,
          keychain: false,
          recoveryKeyCreatedAt: created.createdAt,
        });
        expect(readFileSync(path.join(dir, KEYS_FILE), 'utf8')).not.toContain(recoveryKey.replace(/-/g, ''));
        expect(readFileSync(path.join(dir, KEYS_FILE), 'utf8')).not.toContain(recoveryKey);
      } finally {
        await first.close();
      }

      // The passphrase is lost: browser mode starts locked.
      const locked = await open(dir, null, 'browser');
      try {
        expect(locked.vault.state).toBe('locked');
        // One wrong digit: caught by the group's check before any key derivation, with the group named.
        const typo = recoveryKey.slice(0, 8) + String((Number(recoveryKey[8]) + 1) % 10) + recoveryKey.slice(9);
        const caught = await locked.call('vault.recover', {
          recoveryKey: typo,
          newPassphrase: NEW_PASSPHRASE,
          repeat: NEW_PASSPHRASE,
        });
        expect(caught).toMatchObject({ ok: false, error: { code: 'VALIDATION', field: 'recoveryKey' } });
        if (!caught.ok) {
          expect(caught.error.message).toBe(
            'Nhóm thứ 2 của mã khôi phục bị gõ sai (chữ số kiểm tra không khớp); hãy đối chiếu lại nhóm này.',
          );
          expect(caught.error.messageEn).toContain('Group 2');
        }
        const tooShort = await locked.call('vault.recover', {
          recoveryKey: recoveryKey.slice(0, 20),
          newPassphrase: NEW_PASSPHRASE,
          repeat: NEW_PASSPHRASE,
        });
        if (!tooShort.ok) expect(tooShort.error.message).toContain('48 chữ số');
        // A well-formed key of another data folder: refused by the slot, nothing changed.
        const other = '000000-000011-000022-000033-000044-000055-000066-000077';
        const refused = await locked.call('vault.recover', {
          recoveryKey: other,
          newPassphrase: NEW_PASSPHRASE,
          repeat: NEW_PASSPHRASE,
        });
        expect(refused).toMatchObject({ ok: false, error: { code: 'UNAUTHORIZED' } });
        if (!refused.ok) expect(refused.error.message).toContain('Mã khôi phục không đúng');
        // A recovery key alone is not enough: a new passphrase comes with it.
        const noNew = await locked.call('vault.recover', { recoveryKey, newPassphrase: '', repeat: '' });
        expect(noNew).toMatchObject({ ok: false, error: { code: 'VALIDATION', field: 'next' } });
        expect(locked.vault.state).toBe('locked');

        // Spaces instead of dashes, as read aloud over the phone.
        const spaced = recoveryKey.replace(/-/g, ' ');
        expect(
          await call(locked, 'vault.recover', {
            recoveryKey: spaced,
            newPassphrase: NEW_PASSPHRASE,
            repeat: NEW_PASSPHRASE,
          }),
        ).toEqual({ state: 'open' });
        expect(await locked.store.read(sha256)).toEqual(SCAN);
        const log = locked.db.prepare('SELECT action, subject FROM processing_log').all();
        expect(log).toContainEqual({ action: 'update', subject: 'vault:passphrase-reset-by-recovery-key' });
      } finally {
        await locked.close();
      }

      expect((await refusal(open(dir, TEST_PASSPHRASE))).message).toContain('không đúng');
      const reopened = await open(dir, NEW_PASSPHRASE);
      try {
        expect(reopened.vault.state).toBe('open');
        // A new recovery key replaces the old one.
        const second = await call(reopened, 'vault.createRecoveryKey', { current: NEW_PASSPHRASE });
        expect(second.recoveryKey).not.toBe(recoveryKey);
        const slots = JSON.parse(readFileSync(path.join(dir, KEYS_FILE), 'utf8')).slots as { type: string }[];
        expect(slots.map((s) => s.type).sort()).toEqual(['passphrase', 'recovery']);
        // The CLI path: the recovery key where the passphrase goes, with the new passphrase beside it.
        const oldKey = await refusal(
          KeyVault.open(dir, { passphrase: recoveryKey, newPassphrase: 'mot cum khac nua' }),
        );
        expect(oldKey.message).toContain('Mã khôi phục không đúng');
        const cli = await KeyVault.open(dir, { passphrase: second.recoveryKey, newPassphrase: 'mot cum khac nua' });
        expect(cli.state).toBe('open');
        expect(cli.usedRecoveryKey).toBe(true);
        const noNew = await refusal(KeyVault.open(dir, { passphrase: second.recoveryKey }));
        expect(noNew.message).toContain('cần đặt luôn cụm mật khẩu dữ liệu mới');
        expect((await KeyVault.open(dir, { passphrase: 'mot cum khac nua' })).state).toBe('open');
      } finally {
        await reopened.close();
      }
    } finally {
      cleanup();
    }
  });

  it('at the terminal prompt: a recovery key typed for the passphrase asks for the new one (a typo asks nothing)', async () => {
    const { dir, cleanup } = tempDir('sohoa-recovery-tty-');
    const asked: string[] = [];
    try {
      const vault = await KeyVault.open(dir, { passphrase: TEST_PASSPHRASE });
      const { recoveryKey } = await vault.createRecoveryKey(TEST_PASSPHRASE);
      // What the CLI registers on a terminal; here it answers as a person would.
      setPassphrasePrompt(async (purpose) => {
        asked.push(purpose);
        return NEW_PASSPHRASE;
      });
      const typo = recoveryKey.slice(0, -1) + String((Number(recoveryKey.at(-1)) + 1) % 10);
      expect((await refusal(KeyVault.open(dir, { passphrase: typo }))).message).toContain('Nhóm thứ 8');
      expect(asked).toEqual([]);
      const opened = await KeyVault.open(dir, { passphrase: recoveryKey });
      expect(opened.state).toBe('open');
      expect(asked).toEqual(['create']);
      expect((await KeyVault.open(dir, { passphrase: NEW_PASSPHRASE })).state).toBe('open');
    } finally {
      setPassphrasePrompt(null);
      cleanup();
    }
  });

  it('catches every single wrong digit and every swap of neighbours with the group check', () => {
    const key = '012345-678901-234567-890123-456789-012345-678901-234567';
    // Not a real key (groups are not multiples of 11): the check refuses it outright.
    expect(parseRecoveryKey(key).ok).toBe(false);
    const good = '000011-720885-123453-654313-000000-111111-222222-333333';
    expect(parseRecoveryKey(good)).toEqual({ ok: true, key: good });
    const digits = good.replace(/-/g, '');
    for (let i = 0; i < digits.length; i++) {
      for (let d = 0; d <= 9; d++) {
        if (String(d) === digits[i]) continue;
        const typed = digits.slice(0, i) + String(d) + digits.slice(i + 1);
        const check = parseRecoveryKey(typed);
        expect(check.ok).toBe(false);
      }
      const j = i + 1;
      if (j < digits.length && Math.floor(i / 6) === Math.floor(j / 6) && digits[i] !== digits[j]) {
        const swapped = digits.slice(0, i) + digits[j] + digits[i] + digits.slice(j + 1);
        expect(parseRecoveryKey(swapped).ok).toBe(false);
      }
    }
    expect(recoveryKeyProblem(parseRecoveryKey('123'))?.vi).toContain('đã nhập 3 chữ số');
  });
});

describe('crash safety of keys.json', () => {
  it('ignores temp files a crash left behind and removes stale ones on the next change', async () => {
    const { dir, cleanup } = tempDir('sohoa-keys-crash-');
    try {
      const first = await open(dir, TEST_PASSPHRASE);
      await first.close();
      const keysFile = path.join(dir, KEYS_FILE);
      const complete = path.join(dir, `${KEYS_FILE}.99999.deadbeef.tmp`);
      const truncated = path.join(dir, `${KEYS_FILE}.99998.deadbeef.tmp`);
      // A crash before the rename: the new content sits in a temp file (whole, or cut short).
      const other = await KeyVault.open(tempDir('sohoa-keys-other-').dir, { passphrase: NEW_PASSPHRASE });
      writeFileSync(complete, readFileSync(other.keysFile));
      writeFileSync(truncated, readFileSync(keysFile).subarray(0, 40));
      const vault = await KeyVault.open(dir, { passphrase: TEST_PASSPHRASE });
      expect(vault.state).toBe('open');
      expect((await refusal(KeyVault.open(dir, { passphrase: NEW_PASSPHRASE }))).code).toBe('UNAUTHORIZED');
      const old = new Date(Date.now() - 10 * 60_000);
      utimesSync(complete, old, old);
      utimesSync(truncated, old, old);
      await vault.changePassphrase(TEST_PASSPHRASE, NEW_PASSPHRASE);
      expect(readdirSync(dir).filter((name) => name.endsWith('.tmp'))).toEqual([]);
      expect((await KeyVault.open(dir, { passphrase: NEW_PASSPHRASE })).state).toBe('open');
    } finally {
      cleanup();
    }
  });

  it('opens with the old or the new passphrase after a process is killed mid-change, never neither', async () => {
    const { dir, cleanup } = tempDir('sohoa-keys-kill-');
    try {
      await (await open(dir, TEST_PASSPHRASE)).close();
      // The child (node itself: the tsx wrapper would leave it running) changes the passphrase back and
      // forth as fast as it can, and is killed at several moments.
      const script = `(async () => {
        const { KeyVault } = await import(${JSON.stringify(path.resolve('electron/core/files/key-vault.ts'))});
        const [a, b] = [${JSON.stringify(TEST_PASSPHRASE)}, ${JSON.stringify(NEW_PASSPHRASE)}];
        const vault = await KeyVault.open(${JSON.stringify(dir)}, { passphrase: process.env.START });
        let [from, to] = process.env.START === a ? [a, b] : [b, a];
        process.stdout.write('ready\\n');
        for (;;) { await vault.changePassphrase(from, to); [from, to] = [to, from]; }
      })();`;
      let current = TEST_PASSPHRASE;
      for (const afterMs of [0, 90, 230, 410]) {
        const child = spawn(process.execPath, ['--import', 'tsx', '--eval', script], {
          env: { ...process.env, START: current },
          stdio: ['ignore', 'pipe', 'inherit'],
        });
        const exited = new Promise((resolve) => child.once('exit', resolve));
        const ready = await Promise.race([
          new Promise<boolean>((resolve) => child.stdout.once('data', () => resolve(true))),
          exited.then(() => false),
        ]);
        expect({ afterMs, ready }).toEqual({ afterMs, ready: true });
        await new Promise((resolve) => setTimeout(resolve, afterMs));
        child.kill('SIGKILL');
        await exited;
        const opened: string[] = [];
        for (const candidate of [TEST_PASSPHRASE, NEW_PASSPHRASE]) {
          const vault = await KeyVault.open(dir, { passphrase: candidate }).catch(() => null);
          if (vault?.state === 'open') opened.push(candidate);
        }
        expect(opened).toHaveLength(1);
        current = opened[0]!;
      }
    } finally {
      cleanup();
    }
  });
});

/** `sohoa <args>` with its own environment (no terminal: the passphrases come from the variables). */
function sohoa(
  args: string[],
  env: Record<string, string>,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, [SOHOA_CLI, ...args], {
    cwd: REPO,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, SOHOA_LOG_LEVEL: 'error', SOHOA_PASSPHRASE: '', SOHOA_NEW_PASSPHRASE: '', ...env },
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  return new Promise((resolve) => child.once('exit', (code) => resolve({ code, stdout, stderr })));
}

describe('sohoa passphrase', () => {
  it('makes a recovery key, changes the passphrase, and resets a lost one with the recovery key', async () => {
    const { dir, cleanup } = tempDir('sohoa-pass-cli-');
    try {
      await (await open(dir, TEST_PASSPHRASE)).close();
      const made = await sohoa(['passphrase', 'recovery-key', '--data', dir, '--json'], {
        SOHOA_PASSPHRASE: TEST_PASSPHRASE,
      });
      expect(made.code).toBe(0);
      const { recoveryKey } = JSON.parse(made.stdout) as { recoveryKey: string };
      expect(parseRecoveryKey(recoveryKey).ok).toBe(true);

      const wrong = await sohoa(['passphrase', 'change', '--data', dir], {
        SOHOA_PASSPHRASE: 'khong-phai-cum-nay',
        SOHOA_NEW_PASSPHRASE: NEW_PASSPHRASE,
      });
      expect(wrong.code).toBe(1);
      expect(wrong.stderr).toContain('không đúng');
      const changed = await sohoa(['passphrase', 'change', '--data', dir, '--json'], {
        SOHOA_PASSPHRASE: TEST_PASSPHRASE,
        SOHOA_NEW_PASSPHRASE: NEW_PASSPHRASE,
      });
      expect(changed).toMatchObject({ code: 0, stdout: '{"changed":true}\n' });
      expect((await KeyVault.open(dir, { passphrase: NEW_PASSPHRASE })).state).toBe('open');

      const typo = recoveryKey.slice(0, -1) + String((Number(recoveryKey.at(-1)) + 1) % 10);
      const caught = await sohoa(['passphrase', 'change', '--data', dir], {
        SOHOA_PASSPHRASE: typo,
        SOHOA_NEW_PASSPHRASE: 'cum mat khau sau khoi phuc',
      });
      expect(caught.code).toBe(1);
      expect(caught.stderr).toContain('Nhóm thứ 8 của mã khôi phục bị gõ sai');
      const reset = await sohoa(['passphrase', 'change', '--data', dir, '--json'], {
        SOHOA_PASSPHRASE: recoveryKey,
        SOHOA_NEW_PASSPHRASE: 'cum mat khau sau khoi phuc',
      });
      expect(reset.code).toBe(0);
      expect((await KeyVault.open(dir, { passphrase: 'cum mat khau sau khoi phuc' })).state).toBe('open');
      expect((await refusal(KeyVault.open(dir, { passphrase: NEW_PASSPHRASE }))).code).toBe('UNAUTHORIZED');
      const none = await sohoa(['passphrase', 'change', '--data', dir], {});
      expect(none.code).toBe(1);
      expect(none.stderr).toContain('SOHOA_NEW_PASSPHRASE');
    } finally {
      cleanup();
    }
  });
});
