import { createContext, useContext } from 'react';
import type { CallName, User } from '../../../../shared/api/contract';
import { CALL_PERMISSIONS, type Permission } from '../../../../shared/api/permissions';

export interface Session {
  user: User;
  /** Ends the session and shows the sign-in screen. */
  signOut: () => void;
}

export const SessionContext = createContext<Session | null>(null);

/** The signed-in session; the app's screens only render inside AuthGate, which provides it. */
export function useSession(): Session {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useSession must be used inside <AuthGate>');
  return session;
}

/**
 * What the signed-in user may do, from the permissions the backend sent with the user. Used only
 * to hide what would be refused: the backend checks every call anyway.
 */
export function userMayCall(user: User, call: CallName): boolean {
  const needed = CALL_PERMISSIONS[call];
  return needed === 'public' || needed === 'signedIn' || user.permissions.includes(needed);
}

export function useMayCall(call: CallName): boolean {
  return userMayCall(useSession().user, call);
}

export function useHasPermission(...anyOf: Permission[]): boolean {
  const { permissions } = useSession().user;
  return anyOf.some((p) => permissions.includes(p));
}
