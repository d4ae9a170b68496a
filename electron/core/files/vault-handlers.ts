import type { vaultCalls } from '../../../shared/api/calls/vault';
import { AppFailure } from '../../../shared/api/errors';
import { countUsers, signIn, signOut } from '../accounts/accounts';
import type { Db } from '../db/database';
import type { HandlerGroup } from '../dispatch';
import type { KeyVault } from './key-vault';

/**
 * The data passphrase calls. `whenOpen` finishes opening the backend (encrypts files left from
 * before encryption, starts OCR, sync and the hot folders) and is awaited, so the app is ready
 * when the answer arrives.
 */
export function vaultHandlers(db: Db, vault: KeyVault, whenOpen: () => Promise<void>): HandlerGroup<typeof vaultCalls> {
  return {
    'vault.status': () => ({ state: vault.state }),
    'vault.setUp': async (input) => {
      if (countUsers(db) > 0) await checkAdministrator(db, input.username ?? '', input.password ?? '');
      await vault.setUp(input.passphrase);
      await whenOpen();
      return { state: vault.state };
    },
    'vault.unlock': async (input) => {
      await vault.unlock(input.passphrase);
      await whenOpen();
      return { state: vault.state };
    },
  };
}

/** Data that already has accounts: only an administrator may choose its passphrase. */
async function checkAdministrator(db: Db, username: string, password: string): Promise<void> {
  if (!username || !password) {
    throw new AppFailure(
      'UNAUTHORIZED',
      'Cần tên đăng nhập và mật khẩu của quản trị viên để đặt cụm mật khẩu dữ liệu.',
      "An administrator's username and password are needed to set the data passphrase.",
      'username',
    );
  }
  const session = await signIn(db, { username, password });
  signOut(db, session.token);
  if (session.user.role !== 'admin') {
    throw new AppFailure(
      'FORBIDDEN',
      'Chỉ quản trị viên mới đặt được cụm mật khẩu dữ liệu.',
      'Only an administrator can set the data passphrase.',
    );
  }
}
