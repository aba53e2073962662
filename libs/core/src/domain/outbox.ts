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

/** The steps of one outbox event as an operator follows them; times are epoch milliseconds. */
export interface OutboxEventView {
  readonly id: number;
  readonly kind: OutboxEventKind;
  readonly version: number;
  readonly status: OutboxStatus;
  readonly attempts: number;
  readonly queuedAt: number;
  /** The worker that claimed it last, and when. */
  readonly claimedBy: string | null;
  readonly claimedAt: number | null;
  /** When a pending event that failed before is tried again. */
  readonly nextAttemptAt: number | null;
  readonly lastError: string | null;
  /** Every chunk has its vector. */
  readonly embeddedAt: number | null;
  /** Chunks the model embedded for this event, and chunks whose vector was reused (unchanged text). */
  readonly chunksEmbedded: number | null;
  readonly chunksReused: number | null;
  /** Every chunk is in the vector and the keyword index. */
  readonly indexedAt: number | null;
  /**
   * Chunks this event wrote to the indexes, and chunks it left there because the version readers
   * saw before holds them unchanged (a chunk's id is derived from its content).
   */
  readonly chunksWritten: number | null;
  readonly chunksUnchanged: number | null;
  /** Readers switched to this version. */
  readonly activatedAt: number | null;
  readonly completedAt: number | null;
}

/** A step a worker reports while it processes an event. */
export type OutboxStep = 'embedded' | 'indexed';

/** What the embedded step counts (vectors), or what the indexed step counts (index writes). */
export type OutboxStepCounts = { readonly embedded: number; readonly reused: number } | { readonly written: number; readonly unchanged: number };
