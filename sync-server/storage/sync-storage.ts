import type { ChangeResult, DeviceScope, PullEntry, SyncError } from '../../shared/sync/protocol';
import type { DocumentRecord, DossierRecord, DossierStatusRecord } from '../../shared/sync/records';
import { documentFiles } from '../../shared/sync/records';
import type { SqlDatabase, SqlExecutor, SqlValue } from '../sql/sql-database';
import { POSTGRES_SCHEMA, SCHEMA_VERSION, SQLITE_SCHEMA } from './schema';

export interface Device {
  id: string;
  secretHash: string;
  name: string;
  unit: string;
  province: string;
  scope: DeviceScope;
  createdAt: string;
  revokedAt: string | null;
}

/** A change that passed validation: known kinds carry their parsed record. */
export type ValidChange = {
  id: string;
  entity: string;
  entityId: string;
  op: string;
  at: string;
  files: string[];
  raw: Record<string, unknown>;
} & (
  | { kind: 'dossier.create' | 'dossier.update'; record: DossierRecord }
  | { kind: 'dossier.status'; record: DossierStatusRecord }
  | { kind: 'document.create' | 'document.update'; record: DocumentRecord }
  | { kind: 'other'; record: null }
);

export type RedeemOutcome = { ok: true; device: Device } | { ok: false; reason: 'unknown' | 'used' | 'expired' };

/**
 * The central store's metadata. The HTTP service holds none of it, so any number of instances
 * can share one store; everything a request needs is read here.
 */
export interface SyncStorage {
  readonly dialect: 'sqlite' | 'postgres';
  init(): Promise<void>;
  close(): Promise<void>;
  createEnrolCode(entry: {
    codeHash: string;
    unit: string;
    province: string;
    scope: DeviceScope;
    expiresAt: string;
  }): Promise<void>;
  /** Uses a one-time code to register a device, atomically (two devices cannot share a code). */
  redeemEnrolCode(codeHash: string, device: { id: string; secretHash: string; name: string }): Promise<RedeemOutcome>;
  findDevice(id: string): Promise<Device | null>;
  revokeDevice(id: string): Promise<boolean>;
  listDevices(): Promise<Device[]>;
  /** The stored answer for a change id applied earlier, or null. */
  priorResult(device: Device, changeId: string): Promise<ChangeResult | null>;
  /**
   * Applies changes in order, each exactly once; a repeat of an id gets the first answer. The
   * files they refer to (all on the blob store already, with these sizes) are listed in `blobs`.
   */
  applyChanges(
    device: Device,
    changes: readonly ValidChange[],
    fileSizes: ReadonlyMap<string, number>,
  ): Promise<ChangeResult[]>;
  /** Change-log entries after `after` that the device may see, without its own. */
  pull(device: Device, after: number, limit: number, entities: readonly string[] | null): Promise<PullPage>;
  reuseLookup(device: Device, citizenId: string): Promise<ReuseHit[]>;
  /** Whether a document the device may see refers to the file. */
  canReadBlob(device: Device, sha256: string): Promise<boolean>;
  stats(): Promise<StorageStats>;
  /** Every change id with its entity and op, in log order (for audits and tests). */
  listChanges(after: number, limit: number): Promise<LoggedChange[]>;
}

export interface ReuseHit {
  seq: number;
  unit: string;
  record: Record<string, unknown>;
}

export interface PullPage {
  entries: PullEntry[];
  next: number;
  more: boolean;
}

export interface StorageStats {
  records: number;
  dossiers: number;
  statuses: number;
  documents: number;
  blobs: number;
  devices: number;
}

export interface LoggedChange {
  seq: number;
  changeId: string;
  deviceId: string;
  entity: string;
  entityId: string;
  op: string;
}

interface DeviceRow {
  id: string;
  secret_hash: string;
  name: string;
  unit: string;
  province: string;
  scope: DeviceScope;
  created_at: string;
  revoked_at: string | null;
}

const toDevice = (row: DeviceRow): Device => ({
  id: row.id,
  secretHash: row.secret_hash,
  name: row.name,
  unit: row.unit,
  province: row.province,
  scope: row.scope,
  createdAt: row.created_at,
  revokedAt: row.revoked_at,
});

/** Any lock id: PostgreSQL's advisory lock serialising appends to the change log. */
const CHANGE_LOG_LOCK = 730_160_001;
const SCHEMA_LOCK = 730_160_002;

class Refusal extends Error {
  constructor(readonly error: SyncError) {
    super(error.messageEn);
  }
}

const now = (): string => new Date().toISOString();

/** The device's view: its unit's rows, or its province's. */
function scopeFilter(device: Device, alias = ''): { sql: string; param: string } {
  const column = device.scope === 'province' ? 'province' : 'unit';
  return { sql: `${alias}${column} = ?`, param: device.scope === 'province' ? device.province : device.unit };
}

/** SyncStorage over SQLite or PostgreSQL: the same statements, the engine's own schema and locks. */
export class SqlSyncStorage implements SyncStorage {
  constructor(private readonly db: SqlDatabase) {}

  get dialect(): 'sqlite' | 'postgres' {
    return this.db.dialect;
  }

  async init(): Promise<void> {
    if (this.db.dialect === 'postgres') {
      // Several instances may start at once: one creates the tables, the others wait for it.
      await this.db.transaction(async (tx) => {
        await tx.get('SELECT pg_advisory_xact_lock(?)', [SCHEMA_LOCK]);
        await tx.exec(POSTGRES_SCHEMA);
        await this.checkSchema(tx);
      });
    } else {
      await this.db.exec(SQLITE_SCHEMA);
      await this.db.transaction((tx) => this.checkSchema(tx));
    }
  }

  private async checkSchema(tx: SqlExecutor): Promise<void> {
    const row = await tx.get<{ value: string }>(`SELECT value FROM server_meta WHERE key = 'schema'`);
    if (!row) {
      await tx.run(`INSERT INTO server_meta (key, value) VALUES ('schema', ?)`, [String(SCHEMA_VERSION)]);
    } else if (Number(row.value) > SCHEMA_VERSION) {
      throw new Error(`The store was written by a newer sync server (schema ${row.value} > ${SCHEMA_VERSION}).`);
    }
  }

  close(): Promise<void> {
    return this.db.close();
  }

  async createEnrolCode(entry: {
    codeHash: string;
    unit: string;
    province: string;
    scope: DeviceScope;
    expiresAt: string;
  }): Promise<void> {
    await this.db.run(
      `INSERT INTO enrol_codes (code_hash, unit, province, scope, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?)`,
      [entry.codeHash, entry.unit, entry.province, entry.scope, now(), entry.expiresAt],
    );
  }

  redeemEnrolCode(codeHash: string, device: { id: string; secretHash: string; name: string }): Promise<RedeemOutcome> {
    return this.db.transaction(async (tx) => {
      const at = now();
      // Claiming the code is one conditional update: of two devices racing, one wins.
      const claimed = await tx.run(
        `UPDATE enrol_codes SET used_at = ?, device_id = ? WHERE code_hash = ? AND used_at IS NULL AND expires_at > ?`,
        [at, device.id, codeHash, at],
      );
      if (claimed === 0) {
        const row = await tx.get<{ used_at: string | null }>(`SELECT used_at FROM enrol_codes WHERE code_hash = ?`, [
          codeHash,
        ]);
        return { ok: false, reason: !row ? 'unknown' : row.used_at ? 'used' : 'expired' };
      }
      const code = (await tx.get<{ unit: string; province: string; scope: DeviceScope }>(
        `SELECT unit, province, scope FROM enrol_codes WHERE code_hash = ?`,
        [codeHash],
      ))!;
      await tx.run(
        `INSERT INTO devices (id, secret_hash, name, unit, province, scope, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)`,
        [device.id, device.secretHash, device.name, code.unit, code.province, code.scope, at],
      );
      return {
        ok: true,
        device: {
          ...device,
          unit: code.unit,
          province: code.province,
          scope: code.scope,
          createdAt: at,
          revokedAt: null,
        },
      };
    });
  }

  async findDevice(id: string): Promise<Device | null> {
    const row = await this.db.get<DeviceRow>(`SELECT * FROM devices WHERE id = ?`, [id]);
    return row ? toDevice(row) : null;
  }

  async revokeDevice(id: string): Promise<boolean> {
    return (
      (await this.db.run(`UPDATE devices SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL`, [now(), id])) > 0
    );
  }

  async listDevices(): Promise<Device[]> {
    return (await this.db.all<DeviceRow>(`SELECT * FROM devices ORDER BY created_at`)).map(toDevice);
  }

  async priorResult(device: Device, changeId: string): Promise<ChangeResult | null> {
    const row = await this.db.get<{ seq: number | string; device_id: string }>(
      `SELECT seq, device_id FROM records WHERE change_id = ?`,
      [changeId],
    );
    return row ? this.answer(device, changeId, row) : null;
  }

  private answer(device: Device, changeId: string, row: { seq: number | string; device_id: string }): ChangeResult {
    if (row.device_id === device.id) return { id: changeId, status: 'applied', seq: Number(row.seq) };
    return {
      id: changeId,
      status: 'rejected',
      error: {
        code: 'CONFLICT',
        message: 'Mã thay đổi đã được một thiết bị khác dùng.',
        messageEn: 'The change id was already used by another device.',
      },
    };
  }

  async applyChanges(
    device: Device,
    changes: readonly ValidChange[],
    fileSizes: ReadonlyMap<string, number>,
  ): Promise<ChangeResult[]> {
    if (changes.length === 0) return [];
    // One transaction (one flush to disk) per batch; a savepoint per change keeps a refused change
    // from taking the others with it. Should two instances still race on an id, the loser fails
    // whole and the client's retry is answered from the store.
    return this.db.transaction(async (tx) => {
      // Appends to the log one at a time, so a seq is never visible before a smaller one: a pull
      // that has read up to seq N can never miss a change committed later with seq < N.
      if (this.db.dialect === 'postgres') await tx.get('SELECT pg_advisory_xact_lock(?)', [CHANGE_LOG_LOCK]);
      const results: ChangeResult[] = [];
      for (const change of changes) results.push(await this.applyOne(tx, device, change, fileSizes));
      return results;
    });
  }

  private async applyOne(
    tx: SqlExecutor,
    device: Device,
    change: ValidChange,
    fileSizes: ReadonlyMap<string, number>,
  ): Promise<ChangeResult> {
    const prior = await tx.get<{ seq: number | string; device_id: string }>(
      `SELECT seq, device_id FROM records WHERE change_id = ?`,
      [change.id],
    );
    if (prior) return this.answer(device, change.id, prior);
    await tx.exec('SAVEPOINT change');
    try {
      const seqRow = await tx.get<{ seq: number | string }>(
        `INSERT INTO records (change_id, device_id, unit, province, entity, entity_id, op, at, record, received_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING seq`,
        [
          change.id,
          device.id,
          device.unit,
          device.province,
          change.entity,
          change.entityId,
          change.op,
          change.at,
          JSON.stringify(change.record ?? change.raw),
          now(),
        ],
      );
      const seq = Number(seqRow!.seq);
      await this.project(tx, device, change, seq);
      for (const sha256 of change.files) {
        await tx.run(`INSERT INTO blobs (sha256, size, created_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING`, [
          sha256,
          fileSizes.get(sha256) ?? 0,
          now(),
        ]);
      }
      await tx.exec('RELEASE SAVEPOINT change');
      return { id: change.id, status: 'applied', seq };
    } catch (error) {
      await tx.exec('ROLLBACK TO SAVEPOINT change');
      await tx.exec('RELEASE SAVEPOINT change');
      if (error instanceof Refusal) return { id: change.id, status: 'rejected', error: error.error };
      throw error;
    }
  }

  /** Updates the projections; a refusal rolls the whole change back. */
  private async project(tx: SqlExecutor, device: Device, change: ValidChange, seq: number): Promise<void> {
    switch (change.kind) {
      case 'dossier.create':
      case 'dossier.update':
        return this.projectDossier(tx, device, change.record, change.at);
      case 'dossier.status':
        return this.projectStatus(tx, device, change.id, change.record);
      case 'document.create':
      case 'document.update':
        return this.projectDocument(tx, device, change.record, seq);
      case 'other':
        return;
    }
  }

  private async ownerUnit(tx: SqlExecutor, table: 'dossiers' | 'documents', id: string): Promise<string | null> {
    const row = await tx.get<{ unit: string }>(`SELECT unit FROM ${table} WHERE id = ?`, [id]);
    return row?.unit ?? null;
  }

  private async assertSameUnit(tx: SqlExecutor, device: Device, table: 'dossiers' | 'documents', id: string) {
    const unit = await this.ownerUnit(tx, table, id);
    if (unit !== null && unit !== device.unit) {
      throw new Refusal({
        code: 'FORBIDDEN',
        message: 'Hồ sơ hoặc giấy tờ này thuộc đơn vị khác; thiết bị không được sửa.',
        messageEn: 'This dossier or document belongs to another unit; the device may not change it.',
      });
    }
  }

  private async projectDossier(tx: SqlExecutor, device: Device, record: DossierRecord, at: string): Promise<void> {
    await this.assertSameUnit(tx, device, 'dossiers', record.dossierId);
    const values: SqlValue[] = [
      record.dossierId,
      device.unit,
      device.province,
      record.code,
      record.procedureCode,
      record.channel,
      record.owner.citizenId,
      record.owner.name,
      record.status,
      record.receivedAt,
      record.receivedAt,
      JSON.stringify(record),
      at,
    ];
    // The newest snapshot wins; status follows the status records (see projectStatus).
    await tx.run(
      `INSERT INTO dossiers (id, unit, province, code, procedure_code, channel, citizen_id, citizen_name, status,
                             status_at, received_at, record, record_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (id) DO UPDATE SET code = excluded.code, procedure_code = excluded.procedure_code,
         channel = excluded.channel, citizen_id = excluded.citizen_id, citizen_name = excluded.citizen_name,
         received_at = excluded.received_at, record = excluded.record, record_at = excluded.record_at
       WHERE dossiers.record_at IS NULL OR dossiers.record_at <= excluded.record_at`,
      values,
    );
  }

  private async projectStatus(
    tx: SqlExecutor,
    device: Device,
    changeId: string,
    record: DossierStatusRecord,
  ): Promise<void> {
    await this.assertSameUnit(tx, device, 'dossiers', record.dossierId);
    await tx.run(`INSERT INTO dossier_statuses (change_id, dossier_id, status, at, device_id) VALUES (?, ?, ?, ?, ?)`, [
      changeId,
      record.dossierId,
      record.status,
      record.at,
      device.id,
    ]);
    // A status may arrive before its dossier (a reordered batch): keep a stub the snapshot fills in.
    await tx.run(
      `INSERT INTO dossiers (id, unit, province, code, procedure_code, channel, citizen_id, citizen_name, status,
                             status_at, received_at)
       VALUES (?, ?, ?, ?, '', 1, NULL, '', ?, ?, ?)
       ON CONFLICT (id) DO UPDATE SET status = excluded.status, status_at = excluded.status_at
       WHERE dossiers.status_at <= excluded.status_at`,
      [record.dossierId, device.unit, device.province, record.code, record.status, record.at, record.at],
    );
  }

  private async projectDocument(tx: SqlExecutor, device: Device, record: DocumentRecord, seq: number): Promise<void> {
    await this.assertSameUnit(tx, device, 'documents', record.documentId);
    // A later record of the same document (validity set, approval decided) replaces the earlier one.
    await tx.run(
      `INSERT INTO documents (id, unit, province, citizen_id, dossier_id, dossier_code, procedure_code, title,
                              page_count, created_at, record, seq)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (id) DO UPDATE SET citizen_id = excluded.citizen_id, dossier_id = excluded.dossier_id,
         dossier_code = excluded.dossier_code, procedure_code = excluded.procedure_code, title = excluded.title,
         record = excluded.record, seq = excluded.seq
       WHERE documents.seq < excluded.seq`,
      [
        record.documentId,
        device.unit,
        device.province,
        record.owner.citizenId,
        record.dossierId,
        record.dossierCode,
        record.procedureCode,
        record.title,
        record.pageCount,
        record.digitizedAt,
        JSON.stringify(record),
        seq,
      ],
    );
    for (const sha256 of documentFiles(record)) {
      await tx.run(`INSERT INTO document_files (document_id, sha256) VALUES (?, ?) ON CONFLICT DO NOTHING`, [
        record.documentId,
        sha256,
      ]);
    }
  }

  async pull(device: Device, after: number, limit: number, entities: readonly string[] | null): Promise<PullPage> {
    const scope = scopeFilter(device);
    // Own rows are read and skipped rather than filtered in SQL, so the cursor moves past them.
    const rows = await this.db.all<{
      seq: number | string;
      device_id: string;
      entity: string;
      entity_id: string;
      op: string;
      at: string;
      unit: string;
      record: string;
    }>(
      `SELECT seq, device_id, entity, entity_id, op, at, unit, record FROM records
       WHERE ${scope.sql} AND seq > ? ORDER BY seq LIMIT ?`,
      [scope.param, after, limit],
    );
    const entries: PullEntry[] = [];
    for (const row of rows) {
      if (row.device_id === device.id || (entities && !entities.includes(row.entity))) continue;
      entries.push({
        seq: Number(row.seq),
        entity: row.entity,
        entityId: row.entity_id,
        op: row.op,
        at: row.at,
        unit: row.unit,
        record: JSON.parse(row.record) as Record<string, unknown>,
      });
    }
    const last = rows.at(-1);
    return { entries, next: last ? Number(last.seq) : after, more: rows.length === limit };
  }

  async reuseLookup(device: Device, citizenId: string): Promise<ReuseHit[]> {
    const scope = scopeFilter(device);
    const rows = await this.db.all<{ seq: number | string; unit: string; record: string }>(
      `SELECT seq, unit, record FROM documents WHERE citizen_id = ? AND ${scope.sql} ORDER BY created_at DESC LIMIT 200`,
      [citizenId, scope.param],
    );
    return rows.map((row) => ({
      seq: Number(row.seq),
      unit: row.unit,
      record: JSON.parse(row.record) as Record<string, unknown>,
    }));
  }

  async canReadBlob(device: Device, sha256: string): Promise<boolean> {
    const scope = scopeFilter(device, 'd.');
    const row = await this.db.get(
      `SELECT 1 AS found FROM document_files f JOIN documents d ON d.id = f.document_id
       WHERE f.sha256 = ? AND ${scope.sql} LIMIT 1`,
      [sha256, scope.param],
    );
    return row !== undefined;
  }

  async stats(): Promise<StorageStats> {
    const count = async (table: string): Promise<number> =>
      Number((await this.db.get<{ n: number | string }>(`SELECT count(*) AS n FROM ${table}`))?.n ?? 0);
    return {
      records: await count('records'),
      dossiers: await count('dossiers'),
      statuses: await count('dossier_statuses'),
      documents: await count('documents'),
      blobs: await count('blobs'),
      devices: await count('devices'),
    };
  }

  async listChanges(after: number, limit: number): Promise<LoggedChange[]> {
    const rows = await this.db.all<{
      seq: number | string;
      change_id: string;
      device_id: string;
      entity: string;
      entity_id: string;
      op: string;
    }>(`SELECT seq, change_id, device_id, entity, entity_id, op FROM records WHERE seq > ? ORDER BY seq LIMIT ?`, [
      after,
      limit,
    ]);
    return rows.map((row) => ({
      seq: Number(row.seq),
      changeId: row.change_id,
      deviceId: row.device_id,
      entity: row.entity,
      entityId: row.entity_id,
      op: row.op,
    }));
  }
}
