import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { AppFailure } from '../../../shared/api/errors';
import type { Role } from '../../../shared/api/permissions';
import type { Db } from '../db/database';
import { nowIso } from '../db/database';
import { hashPassword, verifyPassword } from './passwords';

export interface User {
  id: string;
  username: string;
  displayName: string;
  role: Role;
}

/** After this many wrong passwords in a row, each further attempt waits twice as long. */
const FREE_ATTEMPTS = 3;
const BASE_LOCK_MS = 2_000;
const MAX_LOCK_MS = 5 * 60_000;
/** A session ends this long after its last use (the UI locks itself sooner). */
export const SESSION_IDLE_MS = 8 * 3600_000;
const MIN_PASSWORD = 8;

interface UserRow {
  id: string;
  username: string;
  display_name: string;
  role: Role;
  password_hash: string;
  disabled: number;
  failed_attempts: number;
  locked_until: string | null;
}

function toUser(row: UserRow): User {
  return { id: row.id, username: row.username, displayName: row.display_name, role: row.role };
}

export function countUsers(db: Db): number {
  return (db.prepare('SELECT count(*) AS n FROM users').get() as { n: number }).n;
}

export async function createUser(
  db: Db,
  input: { username: string; displayName: string; role: Role; password: string },
): Promise<User> {
  const username = input.username.trim();
  if (!/^[\p{L}\p{N}._-]{3,64}$/u.test(username))
    throw new AppFailure(
      'VALIDATION',
      'Tên đăng nhập gồm 3–64 chữ, số, dấu chấm, gạch dưới hoặc gạch ngang.',
      'A username has 3–64 letters, digits, dots, underscores or hyphens.',
      'username',
    );
  if (input.password.length < MIN_PASSWORD)
    throw new AppFailure(
      'VALIDATION',
      `Mật khẩu phải có ít nhất ${MIN_PASSWORD} ký tự.`,
      `A password needs at least ${MIN_PASSWORD} characters.`,
      'password',
    );
  const passwordHash = await hashPassword(input.password);
  const id = randomUUID();
  try {
    db.prepare(
      `INSERT INTO users (id, username, display_name, role, password_hash, created_at) VALUES (?, ?, ?, ?, ?, ?)`,
    ).run(id, username, input.displayName.trim() || username, input.role, passwordHash, nowIso());
  } catch (error) {
    if (String((error as Error).message).includes('UNIQUE'))
      throw new AppFailure('CONFLICT', 'Tên đăng nhập đã có người dùng.', 'That username is taken.', 'username');
    throw error;
  }
  return { id, username, displayName: input.displayName.trim() || username, role: input.role };
}

/** First run: the first account is the administrator; refused once any account exists. */
export async function setUpFirstAdmin(
  db: Db,
  input: { username: string; displayName: string; password: string },
): Promise<User> {
  if (countUsers(db) > 0)
    throw new AppFailure('FORBIDDEN', 'Đã có tài khoản quản trị; hãy đăng nhập.', 'An administrator exists; sign in.');
  return createUser(db, { ...input, role: 'admin' });
}

/**
 * Checks a password. Wrong attempts are counted per account and, past a few, each next attempt
 * is refused until a doubling delay has passed, which slows guessing without locking a clerk out.
 */
export async function signIn(
  db: Db,
  input: { username: string; password: string },
  now = new Date(),
): Promise<{ user: User; token: string }> {
  const row = db.prepare('SELECT * FROM users WHERE username = ?').get(input.username.trim()) as UserRow | undefined;
  const refused = new AppFailure(
    'UNAUTHORIZED',
    'Tên đăng nhập hoặc mật khẩu không đúng.',
    'Wrong username or password.',
  );
  if (!row) {
    // Same work as a real check, so timing does not tell which usernames exist.
    await verifyPassword(input.password, await hashPassword('timing-equaliser'));
    throw refused;
  }
  if (row.disabled) throw new AppFailure('FORBIDDEN', 'Tài khoản đã bị khóa.', 'The account is disabled.');
  if (row.locked_until && new Date(row.locked_until) > now) {
    const seconds = Math.ceil((new Date(row.locked_until).getTime() - now.getTime()) / 1000);
    throw new AppFailure(
      'UNAUTHORIZED',
      `Nhập sai nhiều lần; hãy thử lại sau ${seconds} giây.`,
      `Too many wrong attempts; try again in ${seconds} s.`,
    );
  }
  if (!(await verifyPassword(input.password, row.password_hash))) {
    const failures = row.failed_attempts + 1;
    const lockMs =
      failures > FREE_ATTEMPTS ? Math.min(MAX_LOCK_MS, BASE_LOCK_MS * 2 ** (failures - FREE_ATTEMPTS - 1)) : 0;
    db.prepare('UPDATE users SET failed_attempts = ?, locked_until = ? WHERE id = ?').run(
      failures,
      lockMs ? new Date(now.getTime() + lockMs).toISOString() : null,
      row.id,
    );
    throw refused;
  }
  db.prepare('UPDATE users SET failed_attempts = 0, locked_until = NULL WHERE id = ?').run(row.id);
  const token = randomBytes(32).toString('base64url');
  db.prepare('INSERT INTO sessions (token_hash, user_id, created_at, last_seen) VALUES (?, ?, ?, ?)').run(
    tokenHash(token),
    row.id,
    now.toISOString(),
    now.toISOString(),
  );
  return { user: toUser(row), token };
}

/** The signed-in user for a bearer token, or null when the token is unknown or has expired. */
export function userForToken(db: Db, token: string, now = new Date()): User | null {
  const row = db
    .prepare(
      `SELECT u.*, s.last_seen FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.token_hash = ? AND u.disabled = 0`,
    )
    .get(tokenHash(token)) as (UserRow & { last_seen: string }) | undefined;
  if (!row) return null;
  if (now.getTime() - new Date(row.last_seen).getTime() > SESSION_IDLE_MS) {
    db.prepare('DELETE FROM sessions WHERE token_hash = ?').run(tokenHash(token));
    return null;
  }
  db.prepare('UPDATE sessions SET last_seen = ? WHERE token_hash = ?').run(now.toISOString(), tokenHash(token));
  return toUser(row);
}

export function signOut(db: Db, token: string): void {
  db.prepare('DELETE FROM sessions WHERE token_hash = ?').run(tokenHash(token));
}

export function findUser(db: Db, username: string): User | null {
  const row = db.prepare('SELECT * FROM users WHERE username = ? AND disabled = 0').get(username) as
    UserRow | undefined;
  return row ? toUser(row) : null;
}

export function firstAdmin(db: Db): User | null {
  const row = db
    .prepare(`SELECT * FROM users WHERE role = 'admin' AND disabled = 0 ORDER BY created_at LIMIT 1`)
    .get() as UserRow | undefined;
  return row ? toUser(row) : null;
}

export function listUsers(db: Db): User[] {
  return (db.prepare('SELECT * FROM users ORDER BY username').all() as UserRow[]).map(toUser);
}

function tokenHash(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/**
 * Who the `sohoa` command acts as: the account named by `--user` or SOHOA_USER, else the first
 * administrator; on a fresh install with no account yet, a built-in administrator, so unattended
 * batch jobs keep working. Its actions are logged like anyone's.
 */
export function cliActor(db: Db, env: NodeJS.ProcessEnv = process.env): User | (Omit<User, 'id'> & { id: null }) {
  const named = env.SOHOA_USER?.trim();
  if (named) {
    const user = findUser(db, named);
    if (!user)
      throw new AppFailure(
        'UNAUTHORIZED',
        'Không có tài khoản đang hoạt động với tên đăng nhập này (--user / SOHOA_USER).',
        'No active account has that username (--user / SOHOA_USER).',
      );
    return user;
  }
  return firstAdmin(db) ?? { id: null, username: 'admin', displayName: 'Quản trị (dòng lệnh)', role: 'admin' };
}
