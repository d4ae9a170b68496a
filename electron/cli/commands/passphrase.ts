import { parseArgs } from 'node:util';
import type { CallInput, CallOutput } from '../../../shared/api/contract';
import { AppFailure } from '../../../shared/api/errors';
import { looksLikeRecoveryKey } from '../../../shared/domain/recovery-key';
import { recordProcessing } from '../../core/audit/processing-log';
import { openBackend, type Backend } from '../../core/backend';
import { defaultDataDir } from '../../core/config/data-dir';
import { KeyVault } from '../../core/files/key-vault';
import { COMMON_OPTIONS } from '../options';
import { askNewPassphrase, readHidden } from '../passphrase-prompt';

const USAGE_VI = 'Cách dùng: sohoa passphrase change|recovery-key [--data DIR] [--json]';
const USAGE_EN = 'Usage: sohoa passphrase change|recovery-key [--data DIR] [--json]';

/**
 * `sohoa passphrase change`: a new data passphrase (the current one, or the recovery key, from
 * SOHOA_PASSPHRASE or the terminal; the new one from SOHOA_NEW_PASSPHRASE or the terminal, twice).
 * `sohoa passphrase recovery-key`: a new recovery key, printed once on stdout.
 */
export async function passphrase(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({ args: argv, allowPositionals: true, options: COMMON_OPTIONS });
  const action = positionals[0];
  if (action !== 'change' && action !== 'recovery-key') throw new AppFailure('VALIDATION', USAGE_VI, USAGE_EN);
  const dataDir = values.data ?? defaultDataDir();
  const current = process.env.SOHOA_PASSPHRASE || (await ask(() => readHidden(currentQuestion(action))));

  if (action === 'change') {
    const next = process.env.SOHOA_NEW_PASSPHRASE || (await ask(askNewPassphrase));
    if (looksLikeRecoveryKey(current)) {
      // The passphrase is lost: the recovery key opens the data and the new passphrase replaces it at once.
      await KeyVault.open(dataDir, { passphrase: current, newPassphrase: next, create: false });
      const backend = await openBackend({ dataDir, host: 'cli', runOcr: false, passphrase: next });
      try {
        logRecovery(backend);
      } finally {
        await backend.close();
      }
    } else {
      await callVault(dataDir, current, 'vault.changePassphrase', { current, next, repeat: next });
    }
    if (values.json) process.stdout.write(`${JSON.stringify({ changed: true })}\n`);
    else
      process.stderr.write(
        'Đã đổi cụm mật khẩu dữ liệu; cụm cũ không còn mở được dữ liệu (các bản sao lưu cũ vẫn dùng cụm cũ).\n' +
          'The data passphrase was changed; the old one no longer opens the data (older backups keep the old one).\n',
      );
    return 0;
  }

  const created = await callVault(dataDir, current, 'vault.createRecoveryKey', { current });
  if (values.json) process.stdout.write(`${JSON.stringify(created)}\n`);
  else {
    process.stderr.write(
      'Mã khôi phục mới (chỉ hiện một lần; hãy ghi lại và cất nơi an toàn, mã cũ không còn dùng được):\n' +
        'New recovery key (shown once; write it down and keep it safe, the old one no longer works):\n',
    );
    process.stdout.write(`${created.recoveryKey}\n`);
  }
  return 0;
}

function currentQuestion(action: 'change' | 'recovery-key'): string {
  return action === 'change'
    ? 'Cụm mật khẩu dữ liệu hiện tại (hoặc mã khôi phục) / Current data passphrase (or recovery key): '
    : 'Cụm mật khẩu dữ liệu hiện tại / Current data passphrase: ';
}

/** A terminal answer, or a refusal naming the variables batch jobs use instead. */
async function ask(question: () => Promise<string | null>): Promise<string> {
  const answer = process.stdin.isTTY && process.stderr.isTTY ? await question() : null;
  if (answer) return answer;
  throw new AppFailure(
    'VALIDATION',
    'Cần cụm mật khẩu: nhập ở terminal, hoặc đặt SOHOA_PASSPHRASE (cụm hiện tại) và SOHOA_NEW_PASSPHRASE (cụm mới).',
    'A passphrase is needed: type it on a terminal, or set SOHOA_PASSPHRASE (current) and SOHOA_NEW_PASSPHRASE (new).',
  );
}

/** One vault call as the CLI's actor (an administrator, unless SOHOA_USER names someone else). */
async function callVault<N extends 'vault.changePassphrase' | 'vault.createRecoveryKey'>(
  dataDir: string,
  passphrase: string,
  name: N,
  input: CallInput<N>,
): Promise<CallOutput<N>> {
  const backend = await openBackend({ dataDir, host: 'cli', runOcr: false, passphrase });
  try {
    const result = await backend.call(name, input);
    if (!result.ok)
      throw new AppFailure(result.error.code, result.error.message, result.error.messageEn, result.error.field);
    return result.value as CallOutput<N>;
  } finally {
    await backend.close();
  }
}

function logRecovery(backend: Backend): void {
  backend.db
    .transaction(() =>
      recordProcessing(backend.db, {
        userId: backend.actor.id,
        username: backend.actor.username,
        action: 'update',
        subject: 'vault:passphrase-reset-by-recovery-key',
        citizenId: null,
        legalBasis: 'Bảo vệ dữ liệu lưu trữ (mã hóa khi lưu) — quản trị khóa',
      }),
    )
    .immediate();
}
