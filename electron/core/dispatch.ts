import type { ZodError } from 'zod';
import { contract, isCallName, type CallName, type CallOutput, type ParsedInput } from '../../shared/api/contract';
import { AppFailure, type AppError, type Result } from '../../shared/api/errors';
import { CALL_PERMISSIONS, roleAllows, type Role } from '../../shared/api/permissions';
import { PURGED_DOSSIER_GUARD } from './db/migrations/010-privacy';
import { log } from './log';

export type Host = 'desktop' | 'browser' | 'cli';

export interface Actor {
  /** null for the CLI's built-in administrator before any account exists. */
  id: string | null;
  username: string;
  displayName: string;
  role: Role;
}

/** Who is calling; their role is checked here, once, for every call. */
export interface CallContext {
  host: Host;
  user: Actor | null;
  /** The caller's session token, if any (sign-out ends it). */
  token: string | null;
  /** Sign-in and sign-out hand the host a new session (or none) to keep for the caller. */
  setSession: (token: string | null) => void;
}

/** Runs after a call succeeded: the processing log of personal data. */
export type AfterCall = (name: CallName, input: unknown, ctx: CallContext) => void;

export type Handler<N extends CallName> = (
  input: ParsedInput<N>,
  ctx: CallContext,
) => Promise<CallOutput<N>> | CallOutput<N>;

export type Handlers = { [N in CallName]: Handler<N> };

/** The handlers of one domain's calls (`calls/<domain>.ts`), merged by backend.ts. */
export type HandlerGroup<Calls> = { [N in keyof Calls & CallName]: Handler<N> };

/**
 * The one entry to the backend: checks the call's name, parses its input, runs the handler and
 * always resolves to a Result. It never rejects: Electron's IPC drops an Error's own fields.
 */
export async function dispatch(
  handlers: Handlers,
  name: string,
  rawInput: unknown,
  ctx: CallContext,
  afterCall?: AfterCall,
): Promise<Result<unknown>> {
  if (!isCallName(name)) {
    return failure({ code: 'NOT_FOUND', message: 'Lệnh không tồn tại.', messageEn: 'Unknown call.' });
  }
  const needs = CALL_PERMISSIONS[name];
  if (needs !== 'public' && !ctx.user) {
    return failure({
      code: 'UNAUTHORIZED',
      message: 'Hãy đăng nhập để tiếp tục.',
      messageEn: 'Please sign in to continue.',
    });
  }
  if (ctx.user && !roleAllows(ctx.user.role, needs)) {
    return failure({
      code: 'FORBIDDEN',
      message: 'Tài khoản của bạn không có quyền thực hiện thao tác này.',
      messageEn: 'Your account may not do this.',
    });
  }
  const spec = contract[name];
  const parsed = spec.input.safeParse(rawInput ?? {});
  if (!parsed.success) return failure(validationError(parsed.error));
  try {
    const handler = handlers[name] as (input: unknown, ctx: CallContext) => unknown;
    const value = spec.output.parse(await handler(parsed.data, ctx));
    afterCall?.(name, parsed.data, ctx);
    return { ok: true, value };
  } catch (error) {
    if (error instanceof AppFailure) return failure(error.appError);
    const known = knownDatabaseRefusal(error);
    if (known) return failure(known);
    log.error('dispatch', `${name} failed`, error);
    return failure({
      code: 'INTERNAL',
      message: 'Đã xảy ra lỗi nội bộ. Dữ liệu đã lưu không bị ảnh hưởng; hãy thử lại.',
      messageEn: 'An internal error occurred. Stored data is unaffected; please try again.',
    });
  }
}

/**
 * Refusals the database itself makes (a trigger's guard, a full disk) get the same clear message
 * a handler would give; the transaction was rolled back, so nothing stored changed.
 */
function knownDatabaseRefusal(error: unknown): AppError | null {
  if (!(error instanceof Error)) return null;
  const code = (error as Error & { code?: unknown }).code;
  if (error.message === PURGED_DOSSIER_GUARD) {
    return {
      code: 'CONFLICT',
      message:
        'Hồ sơ này đã được kho trung tâm xác nhận và bản sao tại đây đã được xóa theo chế độ bưu điện; không thể sửa tại máy này.',
      messageEn:
        'The central store confirmed this dossier and its local copy was purged (postal processor mode); it cannot be changed here.',
    };
  }
  if (code === 'SQLITE_FULL') {
    return {
      code: 'INTERNAL',
      message:
        'Ổ đĩa đã đầy nên không lưu được. Dữ liệu đã lưu không bị ảnh hưởng; hãy giải phóng dung lượng rồi thử lại.',
      messageEn: 'The disk is full, so nothing was saved. Stored data is unaffected; free some space and try again.',
    };
  }
  return null;
}

function failure(error: AppError): Result<never> {
  return { ok: false, error };
}

function validationError(error: ZodError): AppError {
  const issue = error.issues[0];
  const field = issue?.path.map(String).join('.') || undefined;
  return {
    code: 'VALIDATION',
    message: field ? `Dữ liệu không hợp lệ ở trường “${field}”.` : 'Dữ liệu gửi lên không hợp lệ.',
    messageEn: field ? `Invalid input in “${field}”.` : 'Invalid input.',
    ...(field ? { field } : {}),
  };
}
