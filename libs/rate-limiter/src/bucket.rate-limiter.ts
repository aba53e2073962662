import { RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import type { RateDecision, RateLimiter, StoreHealth } from '@rag/core';
import { memoryBucket } from './memory/memory.buckets';
import { redisBuckets } from './redis/redis.buckets';

export interface RateLimits {
  /** Requests per minute for one API key (caller). */
  readonly perCallerPerMinute: number;
  /** Requests per minute for a whole tenant, all its keys together. */
  readonly perTenantPerMinute: number;
}

const WINDOW_SECONDS = 60;

/**
 * Two token buckets per request, the caller's and its tenant's (rate-limiter-flexible). On Redis
 * the buckets are shared by every gateway process; if Redis fails, an in-process bucket takes over,
 * so a lost cache never turns into refused or failed requests.
 */
export class BucketRateLimiter implements RateLimiter {
  private constructor(
    private readonly perCaller: RateLimiterAbstract,
    private readonly perTenant: RateLimiterAbstract,
    private readonly adapter: string,
    private readonly closeStore: () => Promise<void>,
  ) {}

  static inMemory(limits: RateLimits): BucketRateLimiter {
    const caller = memoryBucket(limits.perCallerPerMinute, WINDOW_SECONDS, 'caller');
    return new BucketRateLimiter(caller, memoryBucket(limits.perTenantPerMinute, WINDOW_SECONDS, 'tenant'), 'memory', () => Promise.resolve());
  }

  static onRedis(limits: RateLimits, url: string, keyPrefix: string): BucketRateLimiter {
    const redis = redisBuckets(url, keyPrefix);
    const close = async () => {
      await redis.client.quit().catch(() => redis.client.disconnect());
    };
    return new BucketRateLimiter(redis.bucket(limits.perCallerPerMinute, WINDOW_SECONDS, 'caller'), redis.bucket(limits.perTenantPerMinute, WINDOW_SECONDS, 'tenant'), 'redis', close);
  }

  async consume(tenantId: string, caller: string): Promise<RateDecision> {
    try {
      await this.perCaller.consume(`${tenantId}/${caller}`);
      await this.perTenant.consume(tenantId);
      return { allowed: true, retryAfterMs: 0 };
    } catch (rejection) {
      if (rejection instanceof RateLimiterRes) return { allowed: false, retryAfterMs: rejection.msBeforeNext };
      // Anything but a refusal is the limiter failing: let the request through.
      return { allowed: true, retryAfterMs: 0 };
    }
  }

  health(): Promise<StoreHealth> {
    return Promise.resolve({ ok: true, adapter: this.adapter });
  }

  close(): Promise<void> {
    return this.closeStore();
  }
}
