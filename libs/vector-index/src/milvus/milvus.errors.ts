import { ErrorCode, type ResStatus } from '@zilliz/milvus2-sdk-node';
import { StoreError } from '@rag/core';

const STORE = 'milvus';
/** gRPC's status code for a call that ran out of time (grpc-js is not ours to import). */
const GRPC_DEADLINE_EXCEEDED = 4;
/** Milvus's status code for a search or query on a collection that is not loaded into memory. */
const COLLECTION_NOT_LOADED = 101;

interface GrpcError extends Error {
  readonly code: number;
}

/**
 * Turns what the Milvus client throws into our StoreError: gRPC failures (server unreachable, call
 * timed out) and the refusal statuses the client sometimes throws instead of returning. Anything
 * else is a bug of ours and is returned unchanged, to be rethrown.
 */
export function toStoreError(error: unknown, action: string): unknown {
  if (isGrpcError(error)) {
    const code = error.code === GRPC_DEADLINE_EXCEEDED ? 'STORE_TIMEOUT' : 'STORE_UNAVAILABLE';
    return new StoreError(STORE, code, `Milvus ${action} failed: ${describeError(error)}`, { cause: error });
  }
  const status = statusIn(error);
  if (status) return refusal(status, action);
  return error;
}

/** Most calls answer a refusal (bad filter, missing collection) with a status, not an exception. */
export function assertSucceeded(status: ResStatus, action: string): void {
  if (status.error_code !== ErrorCode.SUCCESS) throw refusal(status, action);
}

/** gRPC messages carry the last connection error; logs and start-up failures want one line. */
export function describeError(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.replace(/\s+/gu, ' ').trim();
}

/** True when Milvus refused because the collection is not loaded, which loading it again cures. */
export function isCollectionNotLoaded(error: unknown): boolean {
  return error instanceof StoreError && isStatus(error.cause) && error.cause.code === COLLECTION_NOT_LOADED;
}

function refusal(status: ResStatus, action: string): StoreError {
  return new StoreError(STORE, 'STORE_UNAVAILABLE', `Milvus ${action} failed: ${String(status.error_code)} ${describeError(status.reason)}`, { cause: status });
}

function isGrpcError(error: unknown): error is GrpcError {
  return error instanceof Error && typeof (error as Partial<GrpcError>).code === 'number';
}

function statusIn(error: unknown): ResStatus | undefined {
  if (isStatus(error)) return error;
  if (typeof error === 'object' && error !== null && 'status' in error && isStatus(error.status)) return error.status;
  return undefined;
}

function isStatus(value: unknown): value is ResStatus {
  return typeof value === 'object' && value !== null && 'error_code' in value && 'reason' in value;
}
