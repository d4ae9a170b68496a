import type { PassphrasePrompt } from '../core/files/key-vault';

/**
 * Asks for the data passphrase on the terminal without echoing it. Only for a person at a
 * terminal: batch jobs set SOHOA_PASSPHRASE and are never asked.
 */
export const terminalPassphrasePrompt: PassphrasePrompt = async (purpose) => {
  if (purpose === 'unlock') {
    return readHidden('Cụm mật khẩu dữ liệu (hoặc mã khôi phục) / Data passphrase (or recovery key): ');
  }
  return askNewPassphrase();
};

/** A new passphrase typed twice; null when the two differ or the person gave up. */
export async function askNewPassphrase(): Promise<string | null> {
  const first = await readHidden('Đặt cụm mật khẩu dữ liệu mới / New data passphrase: ');
  if (!first) return null;
  const again = await readHidden('Nhập lại / Repeat: ');
  if (first !== again) {
    process.stderr.write('Hai lần nhập không khớp. / The two entries differ.\n');
    return null;
  }
  return first;
}

/** One hidden answer on the terminal (null on Ctrl-C / Ctrl-D). */
export function readHidden(question: string): Promise<string | null> {
  const input = process.stdin;
  return new Promise((resolve) => {
    process.stderr.write(question);
    let text = '';
    const done = (value: string | null): void => {
      input.setRawMode(false);
      input.pause();
      input.off('data', onData);
      process.stderr.write('\n');
      resolve(value);
    };
    const onData = (data: Buffer): void => {
      for (const char of data.toString('utf8')) {
        if (char === '\r' || char === '\n') return done(text);
        if (char === '\u0003' || char === '\u0004') return done(null);
        if (char === '\u007f' || char === '\b') text = text.slice(0, -1);
        else if (char >= ' ') text += char;
      }
    };
    input.setRawMode(true);
    input.resume();
    input.on('data', onData);
  });
}
