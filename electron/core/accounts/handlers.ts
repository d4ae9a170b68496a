import type { authCalls, User as ApiUser } from '../../../shared/api/calls/auth';
import { ROLE_PERMISSIONS } from '../../../shared/api/permissions';
import { verifyProcessingLog } from '../audit/processing-log';
import type { Actor, HandlerGroup } from '../dispatch';
import type { Services } from '../services';
import { countUsers, createUser, listUsers, setUpFirstAdmin, signIn, signOut } from './accounts';

export function toApiUser(user: Actor): ApiUser {
  return {
    id: user.id ?? 'cli-admin',
    username: user.username,
    displayName: user.displayName,
    role: user.role,
    permissions: [...ROLE_PERMISSIONS[user.role]],
  };
}

export function authHandlers({ db }: Services): HandlerGroup<typeof authCalls> {
  return {
    'auth.status': (_input, ctx) => ({
      needsSetup: countUsers(db) === 0,
      user: ctx.user ? toApiUser(ctx.user) : null,
    }),
    'auth.setup': async (input, ctx) => {
      await setUpFirstAdmin(db, input);
      const session = await signIn(db, input);
      ctx.setSession(session.token);
      return { user: toApiUser(session.user) };
    },
    'auth.signIn': async (input, ctx) => {
      const session = await signIn(db, input);
      ctx.setSession(session.token);
      return { user: toApiUser(session.user) };
    },
    'auth.signOut': (_input, ctx) => {
      if (ctx.token) signOut(db, ctx.token);
      ctx.setSession(null);
      return { signedOut: true as const };
    },
    'users.list': () => listUsers(db).map(toApiUser),
    'users.create': async (input) => toApiUser(await createUser(db, input)),
    'audit.verify': () => {
      const check = verifyProcessingLog(db);
      if (check.ok) return { ok: true, entries: check.entries, firstBroken: null, reason: null };
      return { ok: false, entries: check.entries, firstBroken: check.firstBroken, reason: check.reason };
    },
  };
}
