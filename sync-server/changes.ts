import type { z } from 'zod';
import { LIMITS, type ChangeResult, type SyncChange } from '../shared/sync/protocol';
import { documentFiles, isKnownKind, RECORD_SCHEMAS } from '../shared/sync/records';
import type { ServerBlobStore } from './blobs/blob-store';
import type { Device, SyncStorage, ValidChange } from './storage/sync-storage';

type ParsedChange = z.output<typeof SyncChange>;

function rejected(id: string, field: string | null): ChangeResult {
  return {
    id,
    status: 'rejected',
    error: {
      code: 'VALIDATION',
      message: field ? `Bản ghi không hợp lệ ở trường “${field}”.` : 'Bản ghi không hợp lệ.',
      messageEn: field ? `Invalid record in “${field}”.` : 'Invalid record.',
    },
  };
}

/** Checks a change's record against its kind's schema; unknown kinds are kept as sent. */
export function validateChange(change: ParsedChange): ValidChange | ChangeResult {
  if (JSON.stringify(change.record).length > LIMITS.recordBytes) return rejected(change.id, 'record');
  const kind = `${change.entity}.${change.op}`;
  const base = {
    id: change.id,
    entity: change.entity,
    entityId: change.entityId,
    op: change.op,
    at: change.at,
    files: change.files,
    raw: change.record,
  };
  if (!isKnownKind(kind)) return { ...base, kind: 'other', record: null };
  const parsed = RECORD_SCHEMAS[kind].safeParse(change.record);
  if (!parsed.success) {
    return rejected(change.id, ['record', ...parsed.error.issues[0]!.path.map(String)].join('.'));
  }
  switch (kind) {
    case 'document.create':
    case 'document.update': {
      const record = RECORD_SCHEMAS[kind].parse(change.record);
      if (record.documentId !== change.entityId) return rejected(change.id, 'record.documentId');
      return { ...base, kind, record, files: [...new Set([...change.files, ...documentFiles(record)])] };
    }
    case 'dossier.status': {
      const record = RECORD_SCHEMAS[kind].parse(change.record);
      if (record.dossierId !== change.entityId) return rejected(change.id, 'record.dossierId');
      return { ...base, kind, record };
    }
    case 'dossier.create':
    case 'dossier.update': {
      const record = RECORD_SCHEMAS[kind].parse(change.record);
      if (record.dossierId !== change.entityId) return rejected(change.id, 'record.dossierId');
      return { ...base, kind, record };
    }
  }
}

/**
 * Applies a pushed batch in order, each change on its own: one bad change does not hold back the
 * others, and each gets its own answer. A repeat is answered from the store before anything is
 * checked again, so it gets exactly the first answer.
 */
export async function applyBatch(
  storage: SyncStorage,
  blobs: ServerBlobStore,
  device: Device,
  changes: readonly ParsedChange[],
): Promise<ChangeResult[]> {
  const results: (ChangeResult | null)[] = [];
  const ready: ValidChange[] = [];
  const present = new Map<string, number>();
  for (const change of changes) {
    const prior = await storage.priorResult(device, change.id);
    if (prior) {
      results.push(prior);
      continue;
    }
    const valid = validateChange(change);
    if ('status' in valid) {
      results.push(valid);
      continue;
    }
    const missing: string[] = [];
    for (const sha256 of valid.files) {
      if (present.has(sha256)) continue;
      const size = await blobs.size(sha256);
      if (size === null) missing.push(sha256);
      else present.set(sha256, size);
    }
    if (missing.length > 0) {
      results.push({ id: change.id, status: 'missing-files', missing });
      continue;
    }
    results.push(null);
    ready.push(valid);
  }
  // The rest in one go, in their order; each slot left open above takes the next answer.
  const applied = await storage.applyChanges(device, ready, present);
  let next = 0;
  return results.map((result) => result ?? applied[next++]!);
}
