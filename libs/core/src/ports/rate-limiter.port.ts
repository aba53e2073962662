import type { ManagedStore } from './store-health';

export interface RateDecision {
  readonly allowed: boolean;
  /** When refused: how long until the next request would be allowed. */
  readonly retryAfterMs: number;
}

/** Token buckets per API key and per tenant; a limiter that fails lets requests through. */
export interface RateLimiter extends ManagedStore {
  /** Takes one request from both the caller's and its tenant's budget. */
  consume(tenantId: string, caller: string): Promise<RateDecision>;
}
