import {
  createCipheriv,
  createDecipheriv,
  randomBytes,
  scrypt as scryptCallback,
  type ScryptOptions,
} from 'node:crypto';
import { chmod, link, open, readdir, readFile, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { renamePatiently } from './rename-patiently';
import { AppFailure } from '../../../shared/api/errors';
import { fsyncDir } from './fsync-dir';
import {
  RECOVERY_KEY_GROUPS,
  formatRecoveryKey,
  looksLikeRecoveryKey,
  parseRecoveryKey,
  recoveryKeyProblem,
} from '../../../shared/domain/recovery-key';
import type { SecretSealer } from '../sync/credential';

/**
 * The data folder's master key, which wraps every stored file's own key. It lives in `keys.json`
 * (0600) only in wrapped form, in one or more "slots" (as LUKS does): sealed by the OS keychain
 * (Electron's safeStorage, in the desktop app) and/or wrapped by a key derived from the data
 * passphrase with scrypt (browser mode, the CLI, batch jobs through SOHOA_PASSPHRASE). Any slot
 * opens the same master key, so the desktop app and the CLI share one store.
 */
export type VaultState = 'unset' | 'locked' | 'open';

export const KEYS_FILE = 'keys.json';
export const MIN_PASSPHRASE_LENGTH = 8;

/** scrypt cost: about 0.1 s and 32 MiB per try, which slows guessing a stolen keys file. */
const KDF = { N: 2 ** 15, r: 8, p: 1 } as const;
const KEY_AAD = Buffer.from('sohoa-master-key-v1', 'latin1');
/** After a wrong passphrase, the next answer waits: one more brake on guessing through the UI. */
const WRONG_PASSPHRASE_DELAY_MS = 1000;

const PassphraseSlot = z.object({
  type: z.literal('passphrase'),
  kdf: z.literal('scrypt'),
  N: z.number().int(),
  r: z.number().int(),
  p: z.number().int(),
  salt: z.string(),
  nonce: z.string(),
  wrapped: z.string(),
  tag: z.string(),
});
/** A recovery key (shared/domain/recovery-key.ts) is one more scrypt slot, replaced when a new key is made. */
const RecoverySlot = PassphraseSlot.extend({ type: z.literal('recovery'), createdAt: z.string() });
const SealerSlot = z.object({ type: z.literal('sealer'), sealedBy: z.string(), sealed: z.string() });
const KeysFile = z.object({
  format: z.literal(1),
  createdAt: z.string(),
  slots: z.array(z.discriminatedUnion('type', [PassphraseSlot, RecoverySlot, SealerSlot])).min(1),
});
type KeysFile = z.infer<typeof KeysFile>;

const scrypt = (secret: string, salt: Buffer, options: ScryptOptions): Promise<Buffer> =>
  new Promise((resolve, reject) =>
    scryptCallback(secret.normalize('NFC'), salt, 32, { ...options, maxmem: 128 * 1024 * 1024 }, (error, key) =>
      error ? reject(error) : resolve(key),
    ),
  );

export interface VaultUnlock {
  /** The data passphrase, when the caller has one (SOHOA_PASSPHRASE, a prompt, a form). */
  passphrase?: string | null;
  /** The OS keychain (desktop app). */
  sealer?: SecretSealer;
  /** Make a new master key when the folder has none (default); a backup being restored must not. */
  create?: boolean;
  /**
   * When `passphrase` is a recovery key: the new passphrase that replaces the lost one (else the
   * registered terminal prompt asks for it; with neither, the recovery key is refused).
   */
  newPassphrase?: string | null;
}

/** What the administrator screen may show about the slots: never a key itself. */
export interface VaultSlotsInfo {
  passphrase: boolean;
  keychain: boolean;
  recoveryKeyCreatedAt: string | null;
}

export class KeyVault {
  private key: Buffer | null = null;
  /** Opened by the keychain itself (else a keychain slot of another machine or OS user is replaced). */
  private openedBySealer = false;
  private fileState: 'absent' | 'present' = 'absent';
  private readonly listeners: (() => void)[] = [];
  /** keys.json rewrites of this process, one at a time (read, change, write). */
  private writes: Promise<unknown> = Promise.resolve();
  /** Opened with the recovery key (the passphrase was replaced at the same time). */
  usedRecoveryKey = false;

  private constructor(
    readonly keysFile: string,
    private readonly sealer: SecretSealer | undefined,
  ) {}

  /**
   * Opens the keys file of a data folder (`keys.json` in `dir`). With no keys file yet, a
   * sealer or a passphrase creates one with a new master key; with neither, the vault stays
   * `unset` until `setUp`. A wrong passphrase is refused and changes nothing.
   */
  static async open(dir: string, unlock: VaultUnlock = {}): Promise<KeyVault> {
    const vault = new KeyVault(path.join(dir, KEYS_FILE), unlock.sealer);
    const file = await vault.readKeys();
    vault.fileState = file ? 'present' : 'absent';
    const passphrase = unlock.passphrase || null;
    if (file && passphrase && looksLikeRecoveryKey(passphrase)) {
      const sealed = unlock.sealer ? await vault.openWithSealer(file) : null;
      if (sealed) {
        vault.key = sealed;
        vault.openedBySealer = true;
        return vault;
      }
      // A mistyped key is refused before anyone is asked for a new passphrase.
      const problem = recoveryKeyProblem(parseRecoveryKey(passphrase));
      if (problem) throw new AppFailure('VALIDATION', problem.vi, problem.en, 'recoveryKey');
      const next = unlock.newPassphrase || (registeredPrompt ? await registeredPrompt('create') : null);
      if (!next) {
        throw new AppFailure(
          'VALIDATION',
          'Đây là mã khôi phục: cần đặt luôn cụm mật khẩu dữ liệu mới (nhập ở terminal, hoặc chạy `sohoa passphrase change` với SOHOA_NEW_PASSPHRASE).',
          'This is a recovery key: a new data passphrase must be set with it (type it on a terminal, or run `sohoa passphrase change` with SOHOA_NEW_PASSPHRASE).',
          'passphrase',
        );
      }
      await vault.recover(passphrase, next);
      return vault;
    }
    if (file) {
      const sealed = unlock.sealer ? await vault.openWithSealer(file) : null;
      if (sealed) {
        vault.key = sealed;
        vault.openedBySealer = true;
      } else if (passphrase) vault.key = await vault.openWithPassphrase(file, passphrase);
      if (vault.key) await vault.addMissingSlots(file, passphrase);
    } else if ((unlock.create ?? true) && (unlock.sealer || passphrase)) {
      await vault.create(passphrase);
    }
    return vault;
  }

  get state(): VaultState {
    if (this.key) return 'open';
    return this.fileState === 'present' ? 'locked' : 'unset';
  }

  /** Whether a passphrase can open this vault (the CLI and browser mode need one). */
  async hasPassphraseSlot(): Promise<boolean> {
    const file = await this.readKeys();
    return file?.slots.some((slot) => slot.type === 'passphrase') ?? false;
  }

  /** Which slots the keys file holds, for the administrator screen. */
  async slotsInfo(): Promise<VaultSlotsInfo> {
    const slots = (await this.readKeys())?.slots ?? [];
    const recovery = slots.find((slot) => slot.type === 'recovery');
    return {
      passphrase: slots.some((slot) => slot.type === 'passphrase'),
      keychain: slots.some((slot) => slot.type === 'sealer'),
      recoveryKeyCreatedAt: recovery?.type === 'recovery' ? recovery.createdAt : null,
    };
  }

  /**
   * Re-wraps the master key with a new passphrase and drops the old passphrase slot, in one atomic
   * replacement of keys.json. Stored files are not re-encrypted: their keys hang off the unchanged
   * master key. A wrong current passphrase waits as unlock does and changes nothing.
   */
  async changePassphrase(current: string, next: string): Promise<void> {
    const key = this.masterKey();
    checkNewPassphrase(next, 'next');
    await this.rewrite(async (file) => {
      if (file.slots.some((slot) => slot.type === 'passphrase')) {
        const opened = await this.openWithPassphrase(file, current, 'current');
        if (!opened.equals(key)) throw wrongPassphrase('current');
      }
      if (current === next) {
        throw new AppFailure(
          'VALIDATION',
          'Cụm mật khẩu mới phải khác cụm mật khẩu hiện tại.',
          'The new passphrase must differ from the current one.',
          'next',
        );
      }
      const slot = await this.passphraseSlot(key, next);
      return [...file.slots.filter((s) => s.type !== 'passphrase'), slot];
    });
  }

  /**
   * A new recovery key (returned once, never stored in clear), replacing any earlier one. Needs the
   * current passphrase when there is one, as adding a LUKS key slot needs an existing key.
   */
  async createRecoveryKey(current: string | null): Promise<{ recoveryKey: string; createdAt: string }> {
    const key = this.masterKey();
    const random = randomBytes(RECOVERY_KEY_GROUPS * 2);
    const recoveryKey = formatRecoveryKey(
      Array.from({ length: RECOVERY_KEY_GROUPS }, (_, i) => random.readUInt16BE(i * 2)),
    );
    const createdAt = new Date().toISOString();
    await this.rewrite(async (file) => {
      if (file.slots.some((slot) => slot.type === 'passphrase')) {
        const opened = await this.openWithPassphrase(file, current ?? '', 'current');
        if (!opened.equals(key)) throw wrongPassphrase('current');
      }
      const slot = { ...(await this.passphraseSlot(key, recoveryKey)), type: 'recovery' as const, createdAt };
      return [...file.slots.filter((s) => s.type !== 'recovery'), slot];
    });
    return { recoveryKey, createdAt };
  }

  /**
   * Opens the vault with the recovery key and, in the same write, replaces the (lost) passphrase
   * with `next`: nobody is left with data that only the recovery key opens. The recovery key
   * stays valid until the administrator makes a new one.
   */
  async recover(typedKey: string, next: string): Promise<void> {
    const check = parseRecoveryKey(typedKey);
    const problem = recoveryKeyProblem(check);
    if (!check.ok || problem) {
      throw new AppFailure('VALIDATION', problem?.vi ?? '', problem?.en ?? '', 'recoveryKey');
    }
    checkNewPassphrase(next, 'next');
    await this.rewrite(async (file) => {
      const slot = file.slots.find((s) => s.type === 'recovery');
      if (!slot || slot.type !== 'recovery') {
        throw new AppFailure(
          'UNAUTHORIZED',
          'Dữ liệu này chưa có mã khôi phục; chỉ cụm mật khẩu dữ liệu (hoặc bản sao lưu) mở được.',
          'This data has no recovery key; only the data passphrase (or a backup) can open it.',
          'recoveryKey',
        );
      }
      const key = await this.unwrap(slot, check.key, () =>
        failure(
          'Mã khôi phục không đúng với dữ liệu này; dữ liệu vẫn khóa, không có gì thay đổi.',
          'The recovery key does not match this data; the data stays locked and nothing was changed.',
          'recoveryKey',
        ),
      );
      if (this.key && !this.key.equals(key)) throw new AppFailure('INTERNAL', 'Khóa không khớp.', 'Key mismatch.');
      this.key = key;
      const passphrase = await this.passphraseSlot(key, next);
      return [...file.slots.filter((s) => s.type !== 'passphrase'), passphrase];
    });
    this.fileState = 'present';
    this.usedRecoveryKey = true;
    this.announce();
  }

  /**
   * Read, change, write keys.json crash-safely: the new content goes to a temp file that is
   * fsynced, then renamed over keys.json (atomic), then the folder is fsynced. A crash at any
   * point leaves the old file or the new one, never neither; a leftover temp file is ignored.
   */
  private rewrite(change: (file: KeysFile) => Promise<KeysFile['slots']>): Promise<void> {
    const run = this.writes.then(async () => {
      const file = await this.readKeys();
      if (!file) throw notSetUp();
      const slots = await change(file);
      const tmp = await this.writeTemp({ ...file, slots });
      try {
        await renamePatiently(tmp, this.keysFile);
      } catch (error) {
        await rm(tmp, { force: true });
        throw error;
      }
      await fsyncDir(path.dirname(this.keysFile));
      await this.removeStaleTemps();
    });
    this.writes = run.catch(() => undefined);
    return run;
  }

  /** Temp files a crash left behind (older than a minute: another process may be writing one now). */
  private async removeStaleTemps(): Promise<void> {
    const dir = path.dirname(this.keysFile);
    const names = await readdir(dir).catch(() => [] as string[]);
    for (const name of names) {
      if (!name.startsWith(`${KEYS_FILE}.`) || !name.endsWith('.tmp')) continue;
      const file = path.join(dir, name);
      const info = await stat(file).catch(() => null);
      if (info && Date.now() - info.mtimeMs > 60_000) await rm(file, { force: true });
    }
  }

  /** The master key; refused while the vault is locked or not set up. */
  masterKey(): Buffer {
    if (!this.key) throw lockedFailure();
    return this.key;
  }

  /** Runs `listener` once the vault opens (at once if it is open). */
  onOpen(listener: () => void): void {
    if (this.key) listener();
    else this.listeners.push(listener);
  }

  async unlock(passphrase: string): Promise<void> {
    if (this.key) return;
    const file = await this.readKeys();
    if (!file) throw notSetUp();
    this.key = await this.openWithPassphrase(file, passphrase);
    this.fileState = 'present';
    await this.addMissingSlots(file, passphrase);
    this.announce();
  }

  /** First run: a new master key wrapped by this passphrase (and the keychain, when there is one). */
  async setUp(passphrase: string): Promise<void> {
    if (this.state !== 'unset') {
      throw new AppFailure(
        'CONFLICT',
        'Cụm mật khẩu dữ liệu đã được đặt từ trước.',
        'The data passphrase has already been set.',
      );
    }
    checkNewPassphrase(passphrase);
    await this.create(passphrase);
    this.announce();
  }

  private announce(): void {
    for (const listener of this.listeners.splice(0)) listener();
  }

  private async readKeys(): Promise<KeysFile | null> {
    const text = await readFile(this.keysFile, 'utf8').catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return null;
      throw error;
    });
    if (text === null) return null;
    const parsed = KeysFile.safeParse(safeJson(text));
    if (!parsed.success) {
      throw new AppFailure(
        'INTERNAL',
        'Tệp khóa của dữ liệu (keys.json) bị hỏng; hãy khôi phục từ bản sao lưu.',
        'The data key file (keys.json) is damaged; restore it from a backup.',
      );
    }
    return parsed.data;
  }

  private async openWithSealer(file: KeysFile): Promise<Buffer | null> {
    const slot = file.slots.find((s) => s.type === 'sealer' && s.sealedBy === this.sealer?.name);
    if (!slot || slot.type !== 'sealer' || !this.sealer) return null;
    try {
      const key = Buffer.from(await this.sealer.open(slot.sealed), 'base64');
      return key.length === 32 ? key : null;
    } catch {
      // The keychain of another OS user or machine: a passphrase slot may still open it.
      return null;
    }
  }

  private async openWithPassphrase(file: KeysFile, passphrase: string, field = 'passphrase'): Promise<Buffer> {
    const slot = file.slots.find((s) => s.type === 'passphrase');
    if (!slot || slot.type !== 'passphrase') {
      throw new AppFailure(
        'UNAUTHORIZED',
        'Dữ liệu này được bảo vệ bằng kho khóa của hệ điều hành (ứng dụng máy tính), chưa có cụm mật khẩu dữ liệu; hãy mở bằng ứng dụng máy tính.',
        'This data is protected by the OS keychain (desktop app) and has no data passphrase yet; open it with the desktop app.',
      );
    }
    return this.unwrap(slot, passphrase, () => wrongPassphrase(field));
  }

  /** Unwraps a scrypt slot; a wrong secret waits WRONG_PASSPHRASE_DELAY_MS, then `refusal` is thrown. */
  private async unwrap(
    slot: z.infer<typeof PassphraseSlot> | z.infer<typeof RecoverySlot>,
    secret: string,
    refusal: () => AppFailure,
  ): Promise<Buffer> {
    const kek = await scrypt(secret, Buffer.from(slot.salt, 'base64'), { N: slot.N, r: slot.r, p: slot.p });
    try {
      const decipher = createDecipheriv('aes-256-gcm', kek, Buffer.from(slot.nonce, 'base64'));
      decipher.setAAD(KEY_AAD);
      decipher.setAuthTag(Buffer.from(slot.tag, 'base64'));
      return Buffer.concat([decipher.update(Buffer.from(slot.wrapped, 'base64')), decipher.final()]);
    } catch {
      await new Promise((resolve) => setTimeout(resolve, WRONG_PASSPHRASE_DELAY_MS));
      throw refusal();
    }
  }

  private async passphraseSlot(key: Buffer, passphrase: string): Promise<z.infer<typeof PassphraseSlot>> {
    const salt = randomBytes(16);
    const kek = await scrypt(passphrase, salt, KDF);
    const nonce = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', kek, nonce);
    cipher.setAAD(KEY_AAD);
    const wrapped = Buffer.concat([cipher.update(key), cipher.final()]);
    return {
      type: 'passphrase',
      kdf: 'scrypt',
      ...KDF,
      salt: salt.toString('base64'),
      nonce: nonce.toString('base64'),
      wrapped: wrapped.toString('base64'),
      tag: cipher.getAuthTag().toString('base64'),
    };
  }

  private async slotsFor(key: Buffer, passphrase: string | null): Promise<KeysFile['slots']> {
    const slots: KeysFile['slots'] = [];
    if (this.sealer) {
      slots.push({
        type: 'sealer',
        sealedBy: this.sealer.name,
        sealed: await this.sealer.seal(key.toString('base64')),
      });
    }
    if (passphrase) slots.push(await this.passphraseSlot(key, passphrase));
    return slots;
  }

  /**
   * A new master key, written only if no other process wrote one meanwhile (hard link of a
   * finished temp file: atomic create-if-absent). If one did, that one is opened instead.
   */
  private async create(passphrase: string | null): Promise<void> {
    const key = randomBytes(32);
    const body: KeysFile = {
      format: 1,
      createdAt: new Date().toISOString(),
      slots: await this.slotsFor(key, passphrase),
    };
    const tmp = await this.writeTemp(body);
    try {
      await link(tmp, this.keysFile);
      this.key = key;
      this.fileState = 'present';
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const file = await this.readKeys();
      if (!file) throw error;
      this.fileState = 'present';
      const sealed = this.sealer ? await this.openWithSealer(file) : null;
      this.key = sealed ?? (passphrase ? await this.openWithPassphrase(file, passphrase) : null);
    } finally {
      await rm(tmp, { force: true });
    }
  }

  /** A vault opened by one means learns the other (desktop opened with SOHOA_PASSPHRASE: the CLI can open it too). */
  private async addMissingSlots(file: KeysFile, passphrase: string | null): Promise<void> {
    if (!this.key) return;
    // A keychain slot this keychain could not open (the folder was copied from another machine or
    // OS user) is replaced by one it can, so the next start needs no passphrase.
    const stale = (s: KeysFile['slots'][number]): boolean =>
      s.type === 'sealer' && s.sealedBy === this.sealer?.name && !this.openedBySealer;
    const slots = file.slots.filter((s) => !stale(s));
    const hasSealer = slots.some((s) => s.type === 'sealer' && s.sealedBy === this.sealer?.name);
    if (this.sealer && !hasSealer) {
      slots.push({
        type: 'sealer',
        sealedBy: this.sealer.name,
        sealed: await this.sealer.seal(this.key.toString('base64')),
      });
    }
    if (passphrase && !slots.some((s) => s.type === 'passphrase') && passphrase.length >= MIN_PASSPHRASE_LENGTH) {
      slots.push(await this.passphraseSlot(this.key, passphrase));
    }
    if (slots.length === file.slots.length && slots.every((slot, i) => slot === file.slots[i])) return;
    const tmp = await this.writeTemp({ ...file, slots });
    await renamePatiently(tmp, this.keysFile);
  }

  private async writeTemp(body: KeysFile): Promise<string> {
    const tmp = `${this.keysFile}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
    const handle = await open(tmp, 'wx', 0o600);
    try {
      // The mode given to open is masked by the umask; set it outright.
      await handle.chmod(0o600);
      await handle.writeFile(JSON.stringify(body, null, 2));
      await handle.sync();
    } finally {
      await handle.close();
    }
    return tmp;
  }
}

export function checkNewPassphrase(passphrase: string, field = 'passphrase'): void {
  if (passphrase.length < MIN_PASSPHRASE_LENGTH) {
    throw new AppFailure(
      'VALIDATION',
      `Cụm mật khẩu dữ liệu cần ít nhất ${MIN_PASSPHRASE_LENGTH} ký tự.`,
      `The data passphrase needs at least ${MIN_PASSPHRASE_LENGTH} characters.`,
      field,
    );
  }
  // Digits only is weak, and a recovery-key-shaped passphrase would be taken for a recovery key.
  if (/^[\d\s\-.]*$/.test(passphrase) || new Set(passphrase).size < 4) {
    throw new AppFailure(
      'VALIDATION',
      'Cụm mật khẩu dữ liệu quá dễ đoán: hãy dùng vài từ hoặc trộn chữ, số, ký hiệu (ít nhất 4 ký tự khác nhau, không chỉ gồm chữ số).',
      'The data passphrase is too easy to guess: use a few words or mix letters, digits and symbols (at least 4 different characters, not digits only).',
      field,
    );
  }
}

function failure(vi: string, en: string, field: string): AppFailure {
  return new AppFailure('UNAUTHORIZED', vi, en, field);
}

function wrongPassphrase(field: string): AppFailure {
  // A signed-in administrator's wrong re-entry: not UNAUTHORIZED, which the app takes for an ended session.
  return field === 'current'
    ? new AppFailure(
        'VALIDATION',
        'Cụm mật khẩu dữ liệu hiện tại không đúng; không có gì thay đổi.',
        'The current data passphrase is wrong; nothing was changed.',
        field,
      )
    : failure(
        'Cụm mật khẩu dữ liệu không đúng; dữ liệu vẫn khóa, không có gì thay đổi.',
        'Wrong data passphrase; the data stays locked and nothing was changed.',
        field,
      );
}

export function lockedFailure(): AppFailure {
  return new AppFailure(
    'UNAUTHORIZED',
    'Dữ liệu đang khóa: hãy nhập cụm mật khẩu dữ liệu (hoặc đặt biến SOHOA_PASSPHRASE) để tiếp tục.',
    'The data is locked: enter the data passphrase (or set SOHOA_PASSPHRASE) to go on.',
  );
}

function notSetUp(): AppFailure {
  return new AppFailure(
    'CONFLICT',
    'Chưa đặt cụm mật khẩu dữ liệu cho thư mục dữ liệu này.',
    'No data passphrase has been set for this data folder yet.',
  );
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

/** Owner-only permissions on a file that exists (no-op on Windows, where ACLs apply instead). */
export async function restrictFile(file: string, mode: number): Promise<void> {
  if (process.platform === 'win32') return;
  await chmod(file, mode).catch((error: NodeJS.ErrnoException) => {
    if (error.code !== 'ENOENT') throw error;
  });
}

/** How an interactive CLI asks for the passphrase (registered by the CLI on a terminal only). */
export type PassphrasePrompt = (purpose: 'create' | 'unlock') => Promise<string | null>;
let registeredPrompt: PassphrasePrompt | null = null;

export function setPassphrasePrompt(prompt: PassphrasePrompt | null): void {
  registeredPrompt = prompt;
}

export function passphrasePrompt(): PassphrasePrompt | null {
  return registeredPrompt;
}
