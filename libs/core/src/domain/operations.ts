/** A short view of one ledger row, for the operations console's lists and charts. */
export interface LedgerSummary {
  readonly requestId: string;
  readonly kind: 'search' | 'chat';
  readonly query: string;
  readonly cacheHit: boolean;
  readonly degraded: readonly string[];
  readonly hitCount: number;
  readonly topScore: number | null;
  /** Null for a search; false when an answer sentence failed verification or the fallback was used. */
  readonly verified: boolean | null;
  readonly latencyMs: number;
  readonly createdAt: number;
}

/** The outbox as the ingestion dashboards see it. */
export interface OutboxStats {
  readonly pending: number;
  /** Creation time of the oldest event still waiting, or null when none waits. */
  readonly oldestPendingAt: number | null;
  readonly dead: number;
}

/** A document version that could not be parsed or indexed. */
export interface FailedDocument {
  readonly documentId: string;
  readonly collection: string;
  readonly externalId: string;
  readonly title: string;
  readonly version: number;
  readonly reason: string;
  /** When the failed version was submitted. */
  readonly at: number;
}
