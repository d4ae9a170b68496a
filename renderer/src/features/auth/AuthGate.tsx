import { useCallback, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import type { User } from '../../../../shared/api/contract';
import type { AppError } from '../../../../shared/api/errors';
import { api, toAppError } from '../../api';
import { navigate } from '../../app/router';
import { useErrorText, useT } from '../../i18n';
import { Notice } from '../../ui/Notice';
import { AuthFrame, SetupScreen, SignInScreen, type SignInNote } from './AuthScreens';
import { DataLockScreen } from './DataLockScreen';
import { SessionContext, type Session } from './session';
import { useIdleLock } from './useIdleLock';

type GateState =
  | { kind: 'checking' }
  | { kind: 'statusError'; error: AppError }
  | { kind: 'setup'; needsPassphrase: boolean }
  /** The scans are encrypted: the data passphrase unlocks them (`unlock`) or is set (`set`) first. */
  | { kind: 'dataLock'; mode: 'unlock' | 'set' }
  | { kind: 'signIn'; note: SignInNote; username: string }
  | { kind: 'signedIn'; user: User };

/**
 * Nothing of the app renders before sign-in. First run shows the administrator's set-up; after
 * that, sign-in. The app locks itself after idle time, and any call answering UNAUTHORIZED (the
 * session ended on the host) brings the sign-in back. The route stays in the address, so signing
 * in again returns to the same screen.
 */
export function AuthGate({ children }: { children: ReactNode }) {
  const t = useT();
  const errorText = useErrorText();
  const [state, setState] = useState<GateState>({ kind: 'checking' });
  const [attempt, setAttempt] = useState(0);
  // A sign-in must not race an earlier sign-out (the host would clear the new session's cookie).
  const pendingSignOut = useRef<Promise<unknown>>(Promise.resolve());

  useEffect(() => {
    let live = true;
    Promise.all([api.call('vault.status', {}), api.call('auth.status', {})]).then(
      ([vault, status]) => {
        if (!live) return;
        if (vault.state === 'locked') setState({ kind: 'dataLock', mode: 'unlock' });
        else if (status.needsSetup) setState({ kind: 'setup', needsPassphrase: vault.state === 'unset' });
        else if (vault.state === 'unset') setState({ kind: 'dataLock', mode: 'set' });
        else if (status.user) setState({ kind: 'signedIn', user: status.user });
        else setState({ kind: 'signIn', note: null, username: '' });
      },
      (e: unknown) => {
        if (live) setState({ kind: 'statusError', error: toAppError(e) });
      },
    );
    return () => {
      live = false;
    };
  }, [attempt]);

  const endSession = useCallback((note: SignInNote, username: string) => {
    setState({ kind: 'signIn', note, username });
    pendingSignOut.current = api.call('auth.signOut', {}).catch(() => undefined);
  }, []);

  useEffect(
    () =>
      api.onUnauthorized(() => {
        setState((current) =>
          current.kind === 'signedIn' ? { kind: 'signIn', note: 'expired', username: current.user.username } : current,
        );
        // The host may have restarted with the data locked: the passphrase comes before sign-in.
        api.call('vault.status', {}).then(
          (vault) => {
            if (vault.state === 'locked') setState({ kind: 'dataLock', mode: 'unlock' });
          },
          () => undefined,
        );
      }),
    [],
  );

  const signedInUser = state.kind === 'signedIn' ? state.user : null;
  useIdleLock(signedInUser !== null, () => {
    if (signedInUser) endSession('locked', signedInUser.username);
  });

  const session = useMemo<Session | null>(
    () =>
      signedInUser
        ? {
            user: signedInUser,
            signOut: () => {
              // The next person at the counter starts from the home screen, not this clerk's dossier.
              navigate({ name: 'new' });
              endSession(null, '');
            },
          }
        : null,
    [signedInUser, endSession],
  );

  const onSignedIn = useCallback((user: User) => setState({ kind: 'signedIn', user }), []);

  switch (state.kind) {
    case 'checking':
      return (
        <AuthFrame testId="auth-checking">
          <p className="muted">{t('auth.checking')}</p>
        </AuthFrame>
      );
    case 'statusError':
      return (
        <AuthFrame testId="auth-status-error">
          <Notice
            tone="error"
            action={
              <button type="button" className="btn btn--small" autoFocus onClick={() => setAttempt((n) => n + 1)}>
                {t('common.retry')}
              </button>
            }
          >
            {t('auth.statusError')} {errorText(state.error)}
          </Notice>
        </AuthFrame>
      );
    case 'setup':
      return <SetupScreen onSignedIn={onSignedIn} needsPassphrase={state.needsPassphrase} />;
    case 'dataLock':
      return <DataLockScreen mode={state.mode} onOpen={() => setAttempt((n) => n + 1)} />;
    case 'signIn':
      return (
        <SignInScreen
          note={state.note}
          initialUsername={state.username}
          beforeSubmit={() => pendingSignOut.current}
          onSignedIn={onSignedIn}
        />
      );
    case 'signedIn':
      return <SessionContext value={session}>{children}</SessionContext>;
  }
}
