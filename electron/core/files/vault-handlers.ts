import type { vaultCalls } from '../../../shared/api/calls/vault';
import { AppFailure } from '../../../shared/api/errors';
import { countUsers, signIn, signOut } from '../accounts/accounts';
import { recordProcessing } from '../audit/processing-log';
import type { Db } from '../db/database';
import type { CallContext, HandlerGroup } from '../dispatch';
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
    'vault.recover': async (input, ctx) => {
      checkRepeat(input.newPassphrase, input.repeat);
      await vault.recover(input.recoveryKey, input.newPassphrase);
      logKeyChange(db, ctx, 'update', 'vault:passphrase-reset-by-recovery-key');
      await whenOpen();
      return { state: vault.state };
    },
    'vault.keyInfo': () => vault.slotsInfo(),
    'vault.changePassphrase': async (input, ctx) => {
      checkRepeat(input.next, input.repeat);
      await vault.changePassphrase(input.current, input.next);
      logKeyChange(db, ctx, 'update', 'vault:passphrase');
      return { changed: true as const };
    },
    'vault.createRecoveryKey': async (input, ctx) => {
      const created = await vault.createRecoveryKey(input.current);
      logKeyChange(db, ctx, 'create', 'vault:recovery-key');
      return created;
    },
  };
}

function checkRepeat(next: string, repeat: string): void {
  if (next !== repeat) {
    throw new AppFailure(
      'VALIDATION',
      'Hai lần nhập cụm mật khẩu mới không khớp.',
      'The two entries of the new passphrase differ.',
      'repeat',
    );
  }
}

/** The processing log records who changed the data's keys, and when; never a secret. */
function logKeyChange(db: Db, ctx: CallContext, action: 'create' | 'update', subject: string): void {
  db.transaction(() =>
    recordProcessing(db, {
      userId: ctx.user?.id ?? null,
      username: ctx.user?.username ?? '(mã khôi phục)',
      action,
      subject,
      citizenId: null,
      legalBasis: 'Bảo vệ dữ liệu lưu trữ (mã hóa khi lưu) — quản trị khóa',
    }),
  ).immediate();
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
