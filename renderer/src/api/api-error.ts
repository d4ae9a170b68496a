import type { AppError } from '../../../shared/api/errors';

/** Thrown by `api.call` when the backend answers `{ ok: false }` or cannot be reached. */
export class ApiError extends Error {
  readonly appError: AppError;

  constructor(appError: AppError) {
    super(appError.messageEn ?? appError.message);
    this.name = 'ApiError';
    this.appError = appError;
  }

  get code(): AppError['code'] {
    return this.appError.code;
  }

  get field(): string | undefined {
    return this.appError.field;
  }
}

/** Any thrown value as an AppError, so the UI always has a Vietnamese message to show. */
export function toAppError(error: unknown): AppError {
  if (error instanceof ApiError) return error.appError;
  return {
    code: 'INTERNAL',
    message: 'Đã xảy ra lỗi không mong muốn. Vui lòng thử lại.',
    messageEn: 'Something went wrong. Please try again.',
  };
}
