import { errors } from '@elastic/elasticsearch';
import { StoreError } from '@rag/core';

const STORE = 'elasticsearch';

/**
 * Turns what the Elasticsearch client throws into our StoreError, so callers never see the
 * client's types. Anything else is a bug of ours and is returned unchanged, to be rethrown.
 */
export function toStoreError(error: unknown, action: string): unknown {
  if (!(error instanceof errors.ElasticsearchClientError)) return error;
  const timedOut = error instanceof errors.TimeoutError || (error instanceof errors.ResponseError && error.statusCode === 408);
  return new StoreError(STORE, timedOut ? 'STORE_TIMEOUT' : 'STORE_UNAVAILABLE', `Elasticsearch ${action} failed: ${describeError(error)}`, { cause: error });
}

/** The client's messages span several lines (root causes); logs and start-up failures want one. */
export function describeError(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const status = error instanceof errors.ResponseError && error.statusCode !== undefined ? `HTTP ${error.statusCode} ` : '';
  return `${status}${message.replace(/\s+/gu, ' ').trim()}`;
}
