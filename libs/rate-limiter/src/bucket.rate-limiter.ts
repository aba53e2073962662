import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import { Redis } from 'ioredis';
import type { RateDecision, RateLimiter, StoreHealth } from '@rag/core';

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
    private readonly redis: Redis | null,
  ) {}

  static inMemory(limits: RateLimits): BucketRateLimiter {
    return new BucketRateLimiter(memory(limits.perCallerPerMinute, 'caller'), memory(limits.perTenantPerMinute, 'tenant'), 'memory', null);
  }

  static onRedis(limits: RateLimits, url: string, keyPrefix: string): BucketRateLimiter {
    const redis = new Redis(url, { lazyConnect: false, enableOfflineQueue: false, maxRetriesPerRequest: 1, commandTimeout: 250 });
    redis.on('error', () => undefined);
    const bucket = (points: number, name: string) =>
      new RateLimiterRedis({ storeClient: redis, points, duration: WINDOW_SECONDS, keyPrefix: `${keyPrefix}rl:${name}`, insuranceLimiter: memory(points, name) });
    return new BucketRateLimiter(bucket(limits.perCallerPerMinute, 'caller'), bucket(limits.perTenantPerMinute, 'tenant'), 'redis', redis);
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

  async close(): Promise<void> {
    await this.redis?.quit().catch(() => this.redis?.disconnect());
  }
}

function memory(points: number, name: string): RateLimiterMemory {
  return new RateLimiterMemory({ points, duration: WINDOW_SECONDS, keyPrefix: name });
}
