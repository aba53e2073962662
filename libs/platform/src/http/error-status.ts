import type { ErrorCode } from '@rag/core';

export const STATUS_BY_CODE: Record<ErrorCode, number> = {
  VALIDATION_FAILED: 400,
  NOT_FOUND: 404,
  PAYLOAD_TOO_LARGE: 413,
  DOCUMENT_UNPARSABLE: 422,
  STORE_UNAVAILABLE: 503,
  STORE_TIMEOUT: 503,
  CONFIG_INVALID: 500,
};
