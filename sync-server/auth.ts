import { createHash, randomBytes, randomInt, randomUUID, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { DeviceScope } from '../shared/sync/protocol';
import { refuse } from './http/http-util';
import type { Device, SyncStorage } from './storage/sync-storage';

/** No 0/O, 1/I/L: a code is read aloud or typed from paper. */
const CODE_ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';
const CODE_GROUPS = 3;
const CODE_GROUP_LENGTH = 4;

export function sha256Hex(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** A code as typed (any case, with or without dashes or spaces) → the form that is hashed. */
export function normalizeEnrolCode(code: string): string {
  return code.toUpperCase().replace(/[\s-]/g, '');
}

/**
 * Creates a one-time enrolment code for a unit and stores only its hash. 12 characters from 31
 * (about 59 bits), valid for `ttlHours`; enrolment is rate-limited per address, so guessing fails.
 */
export async function createEnrolCode(
  storage: SyncStorage,
  input: { unit: string; province: string; scope: DeviceScope; ttlHours: number },
): Promise<{ code: string; expiresAt: string }> {
  const groups: string[] = [];
  for (let g = 0; g < CODE_GROUPS; g++) {
    let group = '';
    for (let i = 0; i < CODE_GROUP_LENGTH; i++) group += CODE_ALPHABET[randomInt(CODE_ALPHABET.length)];
    groups.push(group);
  }
  const code = groups.join('-');
  const expiresAt = new Date(Date.now() + input.ttlHours * 3600_000).toISOString();
  await storage.createEnrolCode({
    codeHash: sha256Hex(normalizeEnrolCode(code)),
    unit: input.unit,
    province: input.province,
    scope: input.scope,
    expiresAt,
  });
  return { code, expiresAt };
}

/** A new device credential: its id and a random secret, shown once; the server keeps the hash. */
export function newDeviceSecret(): { id: string; secret: string; secretHash: string } {
  const secret = randomBytes(32).toString('base64url');
  return { id: randomUUID(), secret, secretHash: sha256Hex(secret) };
}

const BEARER = /^Bearer ([0-9a-f-]{36})\.([A-Za-z0-9_-]{43})$/;

/**
 * The device making the request: `Authorization: Bearer <deviceId>.<secret>` (over TLS in
 * production). The secret is high-entropy and random, so one sha256 is enough to store it; the
 * comparison is constant-time. Every request is checked against the store: a revocation applies
 * at once on every server instance.
 */
export async function authenticateDevice(req: IncomingMessage, storage: SyncStorage): Promise<Device> {
  const match = BEARER.exec(req.headers.authorization ?? '');
  if (!match) throw refuse.unauthorized();
  const device = await storage.findDevice(match[1]!);
  if (!device) throw refuse.unauthorized();
  const given = Buffer.from(sha256Hex(match[2]!), 'hex');
  const stored = Buffer.from(device.secretHash, 'hex');
  if (given.length !== stored.length || !timingSafeEqual(given, stored)) throw refuse.unauthorized();
  if (device.revokedAt) throw refuse.revoked();
  return device;
}

/** Admin endpoints: `Authorization: Bearer <admin token>`; disabled when no token is configured. */
export function checkAdmin(req: IncomingMessage, adminToken: string | undefined): void {
  if (!adminToken) throw refuse.notFound();
  const given = Buffer.from(sha256Hex((req.headers.authorization ?? '').replace(/^Bearer /, '')), 'hex');
  const expected = Buffer.from(sha256Hex(adminToken), 'hex');
  if (!timingSafeEqual(given, expected)) throw refuse.unauthorized();
}
