import { LRUCache } from 'lru-cache';
import type { AnswerCache, CacheLookup, StoreHealth, TenantId } from '@rag/core';

export interface MemoryAnswerCacheSettings {
  readonly maxEntries: number;
}

interface Entry {
  readonly value: unknown;
  readonly generation: number;
}

/** An in-process LRU with per-entry TTL, for the embedded profile and for tests. */
export class MemoryAnswerCache implements AnswerCache {
  private readonly entries: LRUCache<string, Entry>;
  private readonly generations = new Map<TenantId, number>();

  constructor(settings: MemoryAnswerCacheSettings) {
    this.entries = new LRUCache<string, Entry>({ max: settings.maxEntries, ttlAutopurge: false });
  }

  lookup<T>(tenantId: TenantId, key: string): Promise<CacheLookup<T>> {
    const generation = this.generationOf(tenantId);
    const entry = this.entries.get(entryKey(tenantId, key));
    const fresh = entry !== undefined && entry.generation === generation;
    return Promise.resolve({ value: fresh ? (entry.value as T) : undefined, generation });
  }

  store<T>(tenantId: TenantId, key: string, value: T, generation: number, ttlSeconds: number): Promise<void> {
    // A value computed before the corpus changed would be stale the moment it is stored.
    if (generation === this.generationOf(tenantId)) {
      this.entries.set(entryKey(tenantId, key), { value, generation }, { ttl: ttlSeconds * 1000 });
    }
    return Promise.resolve();
  }

  invalidateTenant(tenantId: TenantId): Promise<void> {
    this.generations.set(tenantId, this.generationOf(tenantId) + 1);
    return Promise.resolve();
  }

  health(): Promise<StoreHealth> {
    return Promise.resolve({ ok: true, adapter: 'memory', detail: `${this.entries.size} entries` });
  }

  close(): Promise<void> {
    this.entries.clear();
    return Promise.resolve();
  }

  private generationOf(tenantId: TenantId): number {
    return this.generations.get(tenantId) ?? 0;
  }
}

function entryKey(tenantId: TenantId, key: string): string {
  return `${tenantId}\u0000${key}`;
}
