import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  countUsers,
  createUser,
  setUpFirstAdmin,
  signIn,
  signOut,
  userForToken,
} from '../../electron/core/accounts/accounts';
import { recordProcessing, verifyProcessingLog } from '../../electron/core/audit/processing-log';
import { openDatabase, type Db } from '../../electron/core/db/database';
import { AppFailure } from '../../shared/api/errors';
import { tempDir } from '../support/temp-backend';

let cleanups: (() => void)[] = [];
afterEach(() => {
  for (const cleanup of cleanups) cleanup();
  cleanups = [];
});

function freshDb(): Db {
  const { dir, cleanup } = tempDir('sohoa-accounts-');
  const db = openDatabase(path.join(dir, 'sohoa.db'));
  cleanups.push(() => {
    db.close();
    cleanup();
  });
  return db;
}

async function failure(promise: Promise<unknown>): Promise<AppFailure['appError']> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof AppFailure) return error.appError;
    throw error;
  }
  throw new Error('expected a refusal');
}

describe('accounts', () => {
  it('creates the administrator on first run only, with the password hashed by scrypt', async () => {
    const db = freshDb();
    expect(countUsers(db)).toBe(0);
    const admin = await setUpFirstAdmin(db, { username: 'quantri', displayName: 'Quản trị', password: 'mat-khau-dai' });
    expect(admin.role).toBe('admin');
    const stored = db.prepare('SELECT password_hash FROM users').get() as { password_hash: string };
    expect(stored.password_hash).toMatch(/^scrypt\$16384\$8\$1\$/);
    expect(stored.password_hash).not.toContain('mat-khau-dai');
    expect((await failure(setUpFirstAdmin(db, { username: 'x2', displayName: '', password: '12345678' }))).code).toBe(
      'FORBIDDEN',
    );
  });

  it('signs in with the right password only, and a session token identifies the user until sign-out', async () => {
    const db = freshDb();
    await createUser(db, { username: 'canbo1', displayName: 'Cán bộ 1', role: 'clerk', password: 'dung-mat-khau' });
    const wrong = await failure(signIn(db, { username: 'canbo1', password: 'sai-mat-khau' }));
    expect(wrong).toMatchObject({ code: 'UNAUTHORIZED', message: 'Tên đăng nhập hoặc mật khẩu không đúng.' });
    const unknown = await failure(signIn(db, { username: 'khongco', password: 'dung-mat-khau' }));
    expect(unknown.message).toBe(wrong.message);
    const { user, token } = await signIn(db, { username: 'CANBO1', password: 'dung-mat-khau' });
    expect(user.role).toBe('clerk');
    expect(userForToken(db, token)?.username).toBe('canbo1');
    const stored = db.prepare('SELECT token_hash FROM sessions').get() as { token_hash: string };
    expect(stored.token_hash).not.toBe(token);
    signOut(db, token);
    expect(userForToken(db, token)).toBeNull();
  });

  it('slows down repeated wrong passwords with a growing wait, then lets the right one in after it', async () => {
    const db = freshDb();
    await createUser(db, { username: 'canbo2', displayName: '', role: 'clerk', password: 'dung-mat-khau' });
    const t0 = new Date('2026-11-26T08:00:00Z');
    for (let i = 0; i < 4; i++) await failure(signIn(db, { username: 'canbo2', password: 'sai' }, t0));
    // The fourth failure set a wait: even the right password is refused during it.
    const waiting = await failure(signIn(db, { username: 'canbo2', password: 'dung-mat-khau' }, t0));
    expect(waiting.message).toMatch(/thử lại sau \d+ giây/);
    const later = new Date(t0.getTime() + 60_000);
    await failure(signIn(db, { username: 'canbo2', password: 'sai' }, later));
    const lockedUntil = (db.prepare('SELECT locked_until FROM users').get() as { locked_until: string }).locked_until;
    expect(new Date(lockedUntil).getTime() - later.getTime()).toBe(4_000);
    const after = new Date(later.getTime() + 5_000);
    expect((await signIn(db, { username: 'canbo2', password: 'dung-mat-khau' }, after)).user.username).toBe('canbo2');
  });

  it('ends an idle session', async () => {
    const db = freshDb();
    await createUser(db, { username: 'canbo3', displayName: '', role: 'clerk', password: 'dung-mat-khau' });
    const t0 = new Date('2026-11-26T08:00:00Z');
    const { token } = await signIn(db, { username: 'canbo3', password: 'dung-mat-khau' }, t0);
    expect(userForToken(db, token, new Date(t0.getTime() + 3600_000))).not.toBeNull();
    expect(userForToken(db, token, new Date(t0.getTime() + 3600_000 + 9 * 3600_000))).toBeNull();
  });
});

describe('processing log', () => {
  function seeded(): Db {
    const db = freshDb();
    for (const [action, subject] of [
      ['view', 'document:a'],
      ['export', 'dossier:b'],
      ['print', 'dossier:b'],
      ['reuse', 'document:a'],
    ] as const) {
      recordProcessing(db, { userId: null, username: 'canbo1', action, subject, citizenId: '001085012345' });
    }
    return db;
  }

  it('chains every entry to the previous one and verifies clean', () => {
    const db = seeded();
    expect(verifyProcessingLog(db)).toEqual({ ok: true, entries: 4 });
    const rows = db.prepare('SELECT prev_hash, hash FROM processing_log ORDER BY seq').all() as {
      prev_hash: string;
      hash: string;
    }[];
    for (let i = 1; i < rows.length; i++) expect(rows[i]?.prev_hash).toBe(rows[i - 1]?.hash);
  });

  it('refuses updates and deletes through SQL', () => {
    const db = seeded();
    expect(() => db.prepare(`UPDATE processing_log SET action = 'view' WHERE seq = 2`).run()).toThrow(/append-only/);
    expect(() => db.prepare(`DELETE FROM processing_log WHERE seq = 2`).run()).toThrow(/append-only/);
  });

  it('names the first broken entry when the database is edited behind the app’s back', () => {
    const db = seeded();
    // Someone drops the guard and rewrites history.
    db.exec('DROP TRIGGER processing_log_no_update');
    db.prepare(`UPDATE processing_log SET username = 'nguoi-khac' WHERE seq = 2`).run();
    expect(verifyProcessingLog(db)).toMatchObject({ ok: false, firstBroken: 2 });
  });

  it('notices a removed entry', () => {
    const db = seeded();
    db.exec('DROP TRIGGER processing_log_no_delete');
    db.prepare(`DELETE FROM processing_log WHERE seq = 3`).run();
    expect(verifyProcessingLog(db)).toMatchObject({ ok: false, firstBroken: 3 });
  });
});

describe('sohoa audit verify', () => {
  it('passes on an untouched log and names the first broken entry after an edit behind the app’s back', async () => {
    const { execFile } = await import('node:child_process');
    const { promisify } = await import('node:util');
    const { openBackend } = await import('../../electron/core/backend');
    const run = promisify(execFile);
    const { dir, cleanup } = tempDir('sohoa-audit-cli-');
    cleanups.push(cleanup);
    const backend = await openBackend({ dataDir: dir, host: 'cli', runOcr: false });
    const created = await backend.call('dossiers.create', {
      citizenId: '079190123456',
      citizenName: 'Trần Thị Bích Ngọc',
      procedureCode: '1.001193',
    });
    if (!created.ok) throw new Error(created.error.message);
    const id = (created.value as { id: string }).id;
    for (let i = 0; i < 3; i++) await backend.call('dossiers.get', { id });
    await backend.close();

    const cli = path.resolve('bin/sohoa.mjs');
    const clean = await run(process.execPath, [cli, 'audit', 'verify', '--data', dir, '--json']);
    expect(JSON.parse(clean.stdout)).toEqual({ ok: true, entries: 3 });

    const db = openDatabase(path.join(dir, 'sohoa.db'));
    db.exec('DROP TRIGGER processing_log_no_update');
    db.prepare(`UPDATE processing_log SET action = 'print' WHERE seq = 2`).run();
    db.close();
    const broken = await run(process.execPath, [cli, 'audit', 'verify', '--data', dir]).catch(
      (error: { code: number; stdout: string }) => error,
    );
    expect('code' in broken && broken.code).toBe(1);
    expect(broken.stdout).toMatch(/mục đầu tiên hỏng là số 2/);
  });
});
