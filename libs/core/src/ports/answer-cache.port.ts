import type { TenantId } from '../domain/tenant';
import type { ManagedStore } from './store-health';

export interface CacheLookup<T> {
  readonly value: T | undefined;
  /** The tenant's corpus generation when the lookup ran; pass it back to `store`. */
  readonly generation: number;
}

/**
 * Answers and retrieval results keyed by request. Entries are tied to the tenant's corpus
 * generation: bumping it makes every entry of the tenant stale in O(1).
 */
export interface AnswerCache extends ManagedStore {
  lookup<T>(tenantId: TenantId, key: string): Promise<CacheLookup<T>>;
  /**
   * Keeps a value computed while the corpus was at `generation`. A value computed before the
   * corpus changed is never served afterwards, whatever the order of the calls.
   */
  store<T>(tenantId: TenantId, key: string, value: T, generation: number, ttlSeconds: number): Promise<void>;
  invalidateTenant(tenantId: TenantId): Promise<void>;
}
