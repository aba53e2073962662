/** Error codes the product reports; each maps to one HTTP status at the edge. */
export type ErrorCode =
  | 'VALIDATION_FAILED'
  | 'UNAUTHENTICATED'
  | 'FORBIDDEN'
  | 'RATE_LIMITED'
  | 'NOT_FOUND'
  | 'PAYLOAD_TOO_LARGE'
  | 'UNSUPPORTED_MEDIA_TYPE'
  | 'STORE_UNAVAILABLE'
  | 'STORE_TIMEOUT'
  /** The store is up but refused the operation (a write block, a mapping conflict): retrying soon will not help. */
  | 'STORE_REJECTED'
  | 'DOCUMENT_UNPARSABLE'
  | 'CONFLICT'
  | 'CONFIG_INVALID';

/** An error we expect and can explain; anything else is a bug and is reported as internal. */
export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details: Readonly<Record<string, unknown>> = {},
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'AppError';
  }
}

export function isAppError(error: unknown): error is AppError {
  return error instanceof AppError;
}

/** Raised by store adapters so callers never see a client library's error types. */
export class StoreError extends AppError {
  constructor(
    readonly store: string,
    code: 'STORE_UNAVAILABLE' | 'STORE_TIMEOUT' | 'STORE_REJECTED',
    message: string,
    options?: { cause?: unknown },
  ) {
    super(code, message, { store }, options);
    this.name = 'StoreError';
  }
}

/** A dependency that is down or too slow (as opposed to a bad request or a bug): the caller may degrade or retry later. */
export function isOutageError(error: unknown): error is AppError {
  return isAppError(error) && (error.code === 'STORE_UNAVAILABLE' || error.code === 'STORE_TIMEOUT');
}
