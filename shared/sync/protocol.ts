/**
 * The sync protocol between a counter (the desktop backend) and the central sync server: headers,
 * limits, request and response bodies. Shared by both sides, so a change here is a change of the
 * protocol: bump SYNC_PROTOCOL_VERSION's minor for additions an older peer can ignore, its major
 * for anything else (an old peer is then refused with a clear message instead of misreading).
 */
import { z } from 'zod';

/** `major.minor`. Sent in every request and response as `x-sohoa-protocol`. */
export const SYNC_PROTOCOL_VERSION = '1.0';
export const SYNC_PROTOCOL_MAJOR = 1;

export const HEADERS = {
  protocol: 'x-sohoa-protocol',
  /** HEAD/PUT on a blob: bytes of it the server already holds from this device's earlier uploads. */
  uploadOffset: 'x-sohoa-upload-offset',
  /** HEAD on a blob: `complete`, `partial` or `absent`. */
  blobState: 'x-sohoa-blob-state',
} as const;

/** The major version in a `x-sohoa-protocol` header, or null when it is missing or malformed. */
export function protocolMajor(header: string | string[] | undefined): number | null {
  const value = Array.isArray(header) ? header[0] : header;
  const match = /^(\d{1,4})(?:\.\d{1,4})?$/.exec(value?.trim() ?? '');
  return match ? Number(match[1]) : null;
}

export const LIMITS = {
  /** Changes in one push. */
  changesPerPush: 200,
  /** One change's record, as JSON. */
  recordBytes: 256 * 1024,
  /** Any JSON request body. */
  jsonBodyBytes: 8 * 1024 * 1024,
  /** One PUT of a blob's bytes; bigger files go up in several ranges. */
  blobChunkBytes: 8 * 1024 * 1024,
  /** One file. */
  blobBytes: 2 * 1024 ** 3,
  /** Hashes asked about in one `blobs/missing`. */
  blobsPerQuery: 2000,
  /** Change-log entries in one pull. */
  pullPage: 1000,
} as const;

export const Sha256 = z.string().regex(/^[a-f0-9]{64}$/, 'sha256');
export const SHA256_PATTERN = /^[a-f0-9]{64}$/;

/** Codes in a server error body. The client maps them onto its AppError codes. */
export const SYNC_ERROR_CODES = [
  'PROTOCOL',
  'UNAUTHORIZED',
  'FORBIDDEN',
  'VALIDATION',
  'NOT_FOUND',
  'CONFLICT',
  'TOO_LARGE',
  'RATE_LIMITED',
  'HASH_MISMATCH',
  'UNAVAILABLE',
  'INTERNAL',
] as const;
export type SyncErrorCode = (typeof SYNC_ERROR_CODES)[number];

export const SyncError = z.object({
  code: z.enum(SYNC_ERROR_CODES),
  /** Vietnamese, shown to a clerk as it is. */
  message: z.string(),
  messageEn: z.string(),
});
export type SyncError = z.infer<typeof SyncError>;
export const SyncErrorBody = z.object({ error: SyncError });

// ---------------------------------------------------------------------------------------------
// Enrolment

export const DeviceScope = z.enum(['unit', 'province']);
export type DeviceScope = z.infer<typeof DeviceScope>;

export const EnrolRequest = z.object({
  code: z.string().min(4).max(64),
  deviceName: z.string().max(100).default(''),
});
export const EnrolResponse = z.object({
  deviceId: z.string(),
  /** Shown once; the server keeps only its hash. */
  secret: z.string(),
  unit: z.string(),
  province: z.string(),
  scope: DeviceScope,
});
export type EnrolResponse = z.infer<typeof EnrolResponse>;

export const DeviceInfo = z.object({
  deviceId: z.string(),
  unit: z.string(),
  province: z.string(),
  scope: DeviceScope,
});
export type DeviceInfo = z.infer<typeof DeviceInfo>;

// ---------------------------------------------------------------------------------------------
// Push

const Name = z.string().regex(/^[a-z][a-z0-9_.-]{0,39}$/);

/** One outbox row on the wire. `id` is the idempotency key: the same id is applied once. */
export const SyncChange = z.object({
  id: z.string().regex(/^[A-Za-z0-9-]{8,64}$/),
  entity: Name,
  entityId: z.string().min(1).max(128),
  op: Name,
  /** When the change was made at the counter (ISO 8601). */
  at: z.iso.datetime({ offset: true }),
  /** Files the record refers to; they must be on the server before the change applies. */
  files: z.array(Sha256).max(1000).default([]),
  /** The record, shaped as in records.ts for the kinds the server knows; kept as sent otherwise. */
  record: z.record(z.string(), z.unknown()),
});
export type SyncChange = z.input<typeof SyncChange>;

export const PushRequest = z.object({ changes: z.array(SyncChange).min(1).max(LIMITS.changesPerPush) });

export const ChangeResult = z.object({
  id: z.string(),
  /**
   * applied: stored (now or by an earlier delivery of the same id; the answer is the same);
   * missing-files: not stored, upload `missing` and send again; rejected: never will be as sent.
   */
  status: z.enum(['applied', 'missing-files', 'rejected']),
  seq: z.number().int().optional(),
  missing: z.array(Sha256).optional(),
  error: SyncError.optional(),
});
export type ChangeResult = z.infer<typeof ChangeResult>;
export const PushResponse = z.object({ results: z.array(ChangeResult) });

// ---------------------------------------------------------------------------------------------
// Files

export const MissingBlobsRequest = z.object({ sha256: z.array(Sha256).min(1).max(LIMITS.blobsPerQuery) });
export const MissingBlobsResponse = z.object({
  /** Files the server lacks, with the bytes it already holds from this device's interrupted uploads. */
  missing: z.array(z.object({ sha256: Sha256, offset: z.number().int().min(0) })),
});
export const BlobPutResponse = z.object({
  sha256: Sha256,
  offset: z.number().int().min(0),
  complete: z.boolean(),
});

// ---------------------------------------------------------------------------------------------
// Pull and reuse

export const PullEntry = z.object({
  seq: z.number().int(),
  entity: z.string(),
  entityId: z.string(),
  op: z.string(),
  at: z.string(),
  unit: z.string(),
  record: z.record(z.string(), z.unknown()),
});
export type PullEntry = z.infer<typeof PullEntry>;
export const PullResponse = z.object({
  entries: z.array(PullEntry),
  /** The cursor to send next time (the last entry's seq, or the one sent when nothing is new). */
  next: z.number().int(),
  more: z.boolean(),
});

export const ReuseLookupRequest = z.object({ citizenId: z.string().regex(/^\d{12}$/) });
export const ReuseLookupResponse = z.object({
  documents: z.array(z.object({ seq: z.number().int(), unit: z.string(), record: z.record(z.string(), z.unknown()) })),
});

export const HealthResponse = z.object({ ok: z.boolean(), protocol: z.string() });

// ---------------------------------------------------------------------------------------------
// Routes (the OpenAPI document on the server lists the same)

export const ROUTES = {
  openapi: '/openapi.json',
  health: '/v1/health',
  enrol: '/v1/enrol',
  device: '/v1/device',
  changes: '/v1/changes',
  blobsMissing: '/v1/blobs/missing',
  blobs: '/v1/blobs/',
  reuseLookup: '/v1/reuse/lookup',
  adminEnrolCodes: '/v1/admin/enrol-codes',
  adminDevices: '/v1/admin/devices/',
} as const;
