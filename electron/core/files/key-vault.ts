import {
  createCipheriv,
  createDecipheriv,
  randomBytes,
  scrypt as scryptCallback,
  type ScryptOptions,
} from 'node:crypto';
import { chmod, link, open, readFile, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { AppFailure } from '../../../shared/api/errors';
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
const SealerSlot = z.object({ type: z.literal('sealer'), sealedBy: z.string(), sealed: z.string() });
const KeysFile = z.object({
  format: z.literal(1),
  createdAt: z.string(),
  slots: z.array(z.discriminatedUnion('type', [PassphraseSlot, SealerSlot])).min(1),
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
}

export class KeyVault {
  private key: Buffer | null = null;
  /** Opened by the keychain itself (else a keychain slot of another machine or OS user is replaced). */
  private openedBySealer = false;
  private fileState: 'absent' | 'present' = 'absent';
  private readonly listeners: (() => void)[] = [];

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

  private async openWithPassphrase(file: KeysFile, passphrase: string): Promise<Buffer> {
    const slot = file.slots.find((s) => s.type === 'passphrase');
    if (!slot || slot.type !== 'passphrase') {
      throw new AppFailure(
        'UNAUTHORIZED',
        'Dữ liệu này được bảo vệ bằng kho khóa của hệ điều hành (ứng dụng máy tính), chưa có cụm mật khẩu dữ liệu; hãy mở bằng ứng dụng máy tính.',
        'This data is protected by the OS keychain (desktop app) and has no data passphrase yet; open it with the desktop app.',
      );
    }
    const kek = await scrypt(passphrase, Buffer.from(slot.salt, 'base64'), { N: slot.N, r: slot.r, p: slot.p });
    try {
      const decipher = createDecipheriv('aes-256-gcm', kek, Buffer.from(slot.nonce, 'base64'));
      decipher.setAAD(KEY_AAD);
      decipher.setAuthTag(Buffer.from(slot.tag, 'base64'));
      return Buffer.concat([decipher.update(Buffer.from(slot.wrapped, 'base64')), decipher.final()]);
    } catch {
      await new Promise((resolve) => setTimeout(resolve, WRONG_PASSPHRASE_DELAY_MS));
      throw new AppFailure(
        'UNAUTHORIZED',
        'Cụm mật khẩu dữ liệu không đúng; dữ liệu vẫn khóa, không có gì thay đổi.',
        'Wrong data passphrase; the data stays locked and nothing was changed.',
        'passphrase',
      );
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
    await rename(tmp, this.keysFile);
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

export function checkNewPassphrase(passphrase: string): void {
  if (passphrase.length < MIN_PASSPHRASE_LENGTH) {
    throw new AppFailure(
      'VALIDATION',
      `Cụm mật khẩu dữ liệu cần ít nhất ${MIN_PASSPHRASE_LENGTH} ký tự.`,
      `The data passphrase needs at least ${MIN_PASSPHRASE_LENGTH} characters.`,
      'passphrase',
    );
  }
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
