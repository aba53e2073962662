import { Redis } from 'ioredis';
import { StoreError, type AnswerCache, type CacheLookup, type StoreHealth, type TenantId } from '@rag/core';

export interface RedisAnswerCacheSettings {
  readonly url: string;
  readonly keyPrefix: string;
  /** Every command fails after this long instead of waiting for a slow or stopped server. */
  readonly commandTimeoutMs: number;
}

interface Entry {
  readonly g: number;
  readonly v: unknown;
}

/**
 * Stores the value only if the tenant's generation is still the one the value was computed at:
 * checked and written in one atomic step, so an answer can never outlive a corpus change.
 */
const STORE_IF_CURRENT = `
local current = tonumber(redis.call('GET', KEYS[1]) or '0')
if current == tonumber(ARGV[1]) then
  redis.call('SET', KEYS[2], ARGV[2], 'EX', ARGV[3])
  return 1
end
return 0`;

/**
 * The answer cache on Redis. A lookup is one round trip (MGET of the tenant's generation and the
 * entry); invalidating a tenant is one INCR, whatever the number of entries.
 */
export class RedisAnswerCache implements AnswerCache {
  private constructor(
    private readonly redis: Redis,
    private readonly settings: RedisAnswerCacheSettings,
  ) {}

  static async open(settings: RedisAnswerCacheSettings): Promise<RedisAnswerCache> {
    const redis = new Redis(settings.url, {
      lazyConnect: true,
      commandTimeout: settings.commandTimeoutMs,
      maxRetriesPerRequest: 1,
      // Fail fast while disconnected: a missing cache costs speed, never a hung request.
      enableOfflineQueue: false,
      retryStrategy: (attempt) => Math.min(1000, 50 * attempt),
    });
    redis.on('error', () => undefined);
    try {
      await redis.connect();
    } catch (error) {
      redis.disconnect();
      throw new StoreError('redis', 'STORE_UNAVAILABLE', `Cannot reach Redis at ${redactUrl(settings.url)} (REDIS_URL): ${describe(error)}`, { cause: error });
    }
    return new RedisAnswerCache(redis, settings);
  }

  async lookup<T>(tenantId: TenantId, key: string): Promise<CacheLookup<T>> {
    const [generationText, entryText] = await this.call(() => this.redis.mget(this.generationKey(tenantId), this.entryKey(tenantId, key)));
    const generation = Number(generationText ?? '0');
    if (entryText === null || entryText === undefined) return { value: undefined, generation };
    const entry = JSON.parse(entryText) as Entry;
    return { value: entry.g === generation ? (entry.v as T) : undefined, generation };
  }

  async store<T>(tenantId: TenantId, key: string, value: T, generation: number, ttlSeconds: number): Promise<void> {
    const entry: Entry = { g: generation, v: value };
    await this.call(() =>
      this.redis.eval(STORE_IF_CURRENT, 2, this.generationKey(tenantId), this.entryKey(tenantId, key), generation, JSON.stringify(entry), Math.max(1, Math.round(ttlSeconds))),
    );
  }

  async invalidateTenant(tenantId: TenantId): Promise<void> {
    await this.call(() => this.redis.incr(this.generationKey(tenantId)));
  }

  async health(): Promise<StoreHealth> {
    try {
      await this.call(() => this.redis.ping());
      return { ok: true, adapter: 'redis' };
    } catch (error) {
      return { ok: false, adapter: 'redis', detail: describe(error) };
    }
  }

  async close(): Promise<void> {
    await this.redis.quit().catch(() => this.redis.disconnect());
  }

  private generationKey(tenantId: TenantId): string {
    return `${this.settings.keyPrefix}gen:${tenantId}`;
  }

  private entryKey(tenantId: TenantId, key: string): string {
    return `${this.settings.keyPrefix}c:${tenantId}:${key}`;
  }

  private async call<T>(command: () => Promise<T>): Promise<T> {
    try {
      return await command();
    } catch (error) {
      const timedOut = describe(error).includes('timed out');
      throw new StoreError('redis', timedOut ? 'STORE_TIMEOUT' : 'STORE_UNAVAILABLE', `Redis: ${describe(error)}`, { cause: error });
    }
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Connection strings may carry a password; never put it in an error message. */
function redactUrl(url: string): string {
  return url.replace(/\/\/([^@/]*)@/, '//***@');
}
