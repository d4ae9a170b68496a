/** Signing in, first-run set-up, accounts, and the processing log's integrity check. */
import { z } from 'zod';
import { PERMISSIONS, ROLES } from '../permissions';

export const User = z.object({
  id: z.string(),
  username: z.string(),
  displayName: z.string(),
  role: z.enum(ROLES),
  permissions: z.array(z.enum(PERMISSIONS)),
});
export type User = z.infer<typeof User>;

const Credentials = z.object({ username: z.string().trim().min(1).max(64), password: z.string().min(1).max(256) });

/**
 * Sign-in answers carry no token to the renderer: the browser-mode host keeps the session in an
 * HttpOnly cookie and the desktop shell keeps it in the main process.
 */
export const authCalls = {
  'auth.status': {
    input: z.object({}).default({}),
    output: z.object({ needsSetup: z.boolean(), user: User.nullable() }),
  },
  'auth.setup': {
    input: Credentials.extend({ displayName: z.string().trim().max(120).default('') }),
    output: z.object({ user: User }),
  },
  'auth.signIn': {
    input: Credentials,
    output: z.object({ user: User }),
  },
  'auth.signOut': {
    input: z.object({}).default({}),
    output: z.object({ signedOut: z.literal(true) }),
  },
  'users.list': {
    input: z.object({}).default({}),
    output: z.array(User),
  },
  'users.create': {
    input: Credentials.extend({ displayName: z.string().trim().max(120).default(''), role: z.enum(ROLES) }),
    output: User,
  },
  'audit.verify': {
    input: z.object({}).default({}),
    output: z.object({
      ok: z.boolean(),
      entries: z.number().int(),
      firstBroken: z.number().int().nullable(),
      reason: z.string().nullable(),
    }),
  },
} as const;
