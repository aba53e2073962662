import type { Citation, Trace, Verification } from './answer';
import type { DependencyRole } from './dependency';
import type { RetrievalMode } from './hit';
import type { TenantId } from './tenant';

/** One row per request: what was asked, what was found, what was answered. */
export interface LedgerEntry {
  readonly requestId: string;
  readonly tenantId: TenantId;
  /** Who asked: ledger rows are readable by their author and by administrators. */
  readonly subject: string;
  readonly kind: 'search' | 'chat';
  readonly query: string;
  /** The standalone query a follow-up was rewritten into; retrieval and generation used this one. */
  readonly rewrittenQuery: string | null;
  readonly sessionId: string | null;
  readonly mode: RetrievalMode;
  readonly collection: string | null;
  readonly cacheHit: boolean;
  /** Dependencies that failed or were skipped while answering (see DependencyRole). */
  readonly degraded: readonly DependencyRole[];
  readonly hits: readonly { readonly chunkId: string; readonly score: number }[];
  readonly answer: string | null;
  readonly citations: readonly Citation[];
  readonly verification: Verification | null;
  readonly trace: Trace;
  readonly latencyMs: number;
  readonly createdAt: number;
}
