/** The data passphrase that protects stored scans (encryption at rest): state, first set-up, unlock. */
import { z } from 'zod';

export const VAULT_STATES = ['unset', 'locked', 'open'] as const;
export type VaultState = (typeof VAULT_STATES)[number];

/** Before it is open nothing else can be read; these calls are the only ones answered meanwhile. */
export const VAULT_OPEN_CALLS = ['app.info', 'auth.status', 'vault.status', 'vault.setUp', 'vault.unlock'] as const;

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
} as const;
