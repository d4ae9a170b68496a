import { AppFailure } from '../../shared/api/errors';
import { setPassphrasePrompt } from '../core/files/key-vault';
import { COMMANDS } from './commands';
import { terminalPassphrasePrompt } from './passphrase-prompt';

const USAGE = `sohoa — Số hóa hồ sơ một cửa

Cách dùng / Usage:
  sohoa ingest <tệp|thư mục>... [--data DIR] [--citizen ID] [--procedure CODE] [--force-ocr] [--json]
  sohoa watch <thư mục>... [--data DIR] [--json]
  sohoa search <từ khóa> [--data DIR] [--json] [--limit N]
  sohoa serve [--data DIR] [--port N]
  sohoa export <mã tài liệu|mã hồ sơ> --pdf TỆP.pdf [--data DIR] [--json]
  sohoa export <mã hồ sơ> --zip TỆP.zip [--data DIR] [--json]
  sohoa receipt <mã hồ sơ> --pdf TỆP.pdf [--submitter TÊN] [--phone SỐ] [--address ĐỊA CHỈ] [--data DIR] [--json]
  sohoa separators <mã hồ sơ> --pdf TỆP.pdf [--component MÃ] [--data DIR] [--json]
  sohoa catalog import <tệp.csv|tệp.json> [--label TÊN] [--data DIR] [--json]
  sohoa catalog list [--data DIR] [--json]
  sohoa backup --to DIR [--data DIR]
  sohoa restore --from DIR [--data DIR]
  sohoa enrol --server URL --code MÃ [--data DIR] [--name TÊN] [--ca TỆP.pem] [--json]
  sohoa sync [--data DIR] [--json]
  sohoa audit verify [--data DIR] [--json]
  sohoa passphrase change [--data DIR] [--json]      (cụm mới: hỏi ở terminal hoặc SOHOA_NEW_PASSPHRASE)
  sohoa passphrase recovery-key [--data DIR] [--json] (in mã khôi phục mới một lần / prints a new recovery key once)
  sohoa purge-report [--from YYYY-MM-DD] [--to YYYY-MM-DD] [--data DIR] [--json]
  sohoa report --from YYYY-MM-DD --to YYYY-MM-DD [--by unit|clerk|procedure|channel] [--json|--csv] [--data DIR]
  sohoa report --month YYYY-MM --pdf OUT.pdf [--data DIR]

Mọi lệnh nhận --user TÊN (hoặc biến SOHOA_USER): tài khoản thực hiện; mặc định là quản trị viên đầu tiên.
Every command takes --user NAME (or SOHOA_USER): the account it acts as; default the first administrator.

Tệp quét được mã hóa; cụm mật khẩu dữ liệu lấy từ biến SOHOA_PASSPHRASE (hoặc được hỏi khi chạy ở terminal).
Scans are encrypted at rest; the data passphrase comes from SOHOA_PASSPHRASE (or a prompt on a terminal).
Mã khôi phục dùng được thay cụm mật khẩu (rồi phải đặt cụm mới). A recovery key may replace the passphrase (a new one must then be set).

Dữ liệu in ra stdout; tiến độ và nhật ký ra stderr. Data goes to stdout; progress and logs to stderr.
`;

/** Runs one command and returns the process exit code. */
export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = withoutUserOption(argv);
  // A person at a terminal may type the passphrase; batch jobs (no TTY) use SOHOA_PASSPHRASE.
  if (!process.env.SOHOA_PASSPHRASE && process.stdin.isTTY && process.stderr.isTTY)
    setPassphrasePrompt(terminalPassphrasePrompt);
  try {
    const load = command ? COMMANDS[command] : undefined;
    if (load) return await (await load())(rest);
    switch (command) {
      case undefined:
      case '-h':
      case '--help':
      case 'help':
        process.stdout.write(USAGE);
        return command === undefined ? 2 : 0;
      default:
        process.stderr.write(`Lệnh không tồn tại: ${command}\n\n${USAGE}`);
        return 2;
    }
  } catch (error) {
    if (error instanceof AppFailure) {
      process.stderr.write(`Lỗi: ${error.appError.message}\n`);
      return 1;
    }
    if (error instanceof TypeError && 'code' in error && String(error.code).startsWith('ERR_PARSE_ARGS')) {
      process.stderr.write(`${error.message}\n\n${USAGE}`);
      return 2;
    }
    throw error;
  }
}

/** `--user NAME` is global: it sets SOHOA_USER, which the backend reads, and leaves the rest. */
function withoutUserOption(argv: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    if (arg === '--user' && i + 1 < argv.length) {
      process.env.SOHOA_USER = argv[++i];
    } else if (arg.startsWith('--user=')) {
      process.env.SOHOA_USER = arg.slice('--user='.length);
    } else out.push(arg);
  }
  return out;
}
