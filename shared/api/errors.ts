/**
 * The one error shape that crosses every boundary (IPC, HTTP, CLI). `message` is Vietnamese and
 * can be shown to a clerk as it is; `messageEn` backs the English UI. Never put a citizen's ID
 * number, name or file contents into a message: errors may be logged or sent elsewhere.
 */
export const ERROR_CODES = [
  'VALIDATION',
  'NOT_FOUND',
  'CONFLICT',
  'UNAUTHORIZED',
  'FORBIDDEN',
  'OFFLINE',
  'UNSUPPORTED_FILE',
  'TIMEOUT',
  'INTERNAL',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

export interface AppError {
  code: ErrorCode;
  message: string;
  messageEn?: string;
  /** Which input field the error is about, for forms. */
  field?: string;
}

export type Result<T> = { ok: true; value: T } | { ok: false; error: AppError };

/** Thrown by handlers; only dispatch turns it into a Result. */
export class AppFailure extends Error {
  readonly appError: AppError;
  constructor(code: ErrorCode, message: string, messageEn?: string, field?: string) {
    super(messageEn ?? message);
    this.name = 'AppFailure';
    this.appError = { code, message, ...(messageEn ? { messageEn } : {}), ...(field ? { field } : {}) };
  }
}

export function isAppError(value: unknown): value is AppError {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as AppError).code === 'string' &&
    (ERROR_CODES as readonly string[]).includes((value as AppError).code) &&
    typeof (value as AppError).message === 'string'
  );
}
