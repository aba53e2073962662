import type { TenantId } from './tenant';

export type OutboxEventKind = 'index_version' | 'delete_document';
export type OutboxStatus = 'pending' | 'processing' | 'done' | 'dead';

/** A unit of index work written in the same transaction as the change that caused it. */
export interface OutboxEvent {
  readonly id: number;
  readonly tenantId: TenantId;
  readonly kind: OutboxEventKind;
  readonly documentId: string;
  readonly version: number;
  readonly attempts: number;
  /** The W3C `traceparent` of the request that caused the event, so its trace runs on into the worker. */
  readonly traceContext?: string | null;
}
