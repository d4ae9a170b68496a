/**
 * The data passphrase that protects stored scans (encryption at rest): state, first set-up, unlock,
 * change, and the recovery key (a second secret that opens the data when the passphrase is lost).
 */
import { z } from 'zod';

export const VAULT_STATES = ['unset', 'locked', 'open'] as const;
export type VaultState = (typeof VAULT_STATES)[number];

/** Before it is open nothing else can be read; these calls are the only ones answered meanwhile. */
export const VAULT_OPEN_CALLS = [
  'app.info',
  'auth.status',
  'vault.status',
  'vault.setUp',
  'vault.unlock',
  'vault.recover',
] as const;

export const vaultCalls = {
  'vault.status': {
    input: z.object({}).default({}),
    output: z.object({ state: z.enum(VAULT_STATES) }),
  },
  /**
   * Sets the data passphrase once. On a fresh data folder (first run) anyone at the screen may, as
   * they may create the administrator; a folder that already has accounts needs an administrator's
   * username and password.
   */
  'vault.setUp': {
    input: z.object({
      passphrase: z.string().max(1024),
      username: z.string().trim().max(64).optional(),
      password: z.string().max(256).optional(),
    }),
    output: z.object({ state: z.enum(VAULT_STATES) }),
  },
  'vault.unlock': {
    input: z.object({ passphrase: z.string().min(1).max(1024) }),
    output: z.object({ state: z.enum(VAULT_STATES) }),
  },
  /**
   * Opens the data with the recovery key and sets a new passphrase in the same step (the old one
   * is lost). Like unlock, anyone at the screen may: the key itself is the authority.
   */
  'vault.recover': {
    input: z.object({
      recoveryKey: z.string().min(1).max(200),
      newPassphrase: z.string().max(1024),
      repeat: z.string().max(1024),
    }),
    output: z.object({ state: z.enum(VAULT_STATES) }),
  },
  /** Administrators: which key slots exist (never a key itself). */
  'vault.keyInfo': {
    input: z.object({}).default({}),
    output: z.object({
      passphrase: z.boolean(),
      keychain: z.boolean(),
      recoveryKeyCreatedAt: z.string().nullable(),
    }),
  },
  /** Administrators: re-wraps the master key with a new passphrase; stored files are not re-encrypted. */
  'vault.changePassphrase': {
    input: z.object({
      current: z.string().max(1024),
      next: z.string().max(1024),
      repeat: z.string().max(1024),
    }),
    output: z.object({ changed: z.literal(true) }),
  },
  /** Administrators: a new recovery key, answered once and replacing any earlier one. */
  'vault.createRecoveryKey': {
    input: z.object({ current: z.string().max(1024) }),
    output: z.object({ recoveryKey: z.string(), createdAt: z.string() }),
  },
} as const;
