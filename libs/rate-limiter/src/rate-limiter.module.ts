import { type DynamicModule, Inject, Module, type OnApplicationShutdown } from '@nestjs/common';
import { RATE_LIMITER, type RateLimiter } from '@rag/core';
import { APP_CONFIG, type AppConfig } from '@rag/config';
import { BucketRateLimiter } from './bucket.rate-limiter';

export function createRateLimiter(config: AppConfig): RateLimiter {
  const limits = config.rateLimits;
  return config.cache.adapter === 'redis' ? BucketRateLimiter.onRedis(limits, config.cache.url, config.cache.keyPrefix) : BucketRateLimiter.inMemory(limits);
}

/** Rate limits per API key and per tenant, on the same store as the cache (Redis or in-process). */
@Module({})
export class RateLimiterModule implements OnApplicationShutdown {
  constructor(@Inject(RATE_LIMITER) private readonly limiter: RateLimiter) {}

  static forRoot(): DynamicModule {
    return {
      module: RateLimiterModule,
      global: true,
      providers: [{ provide: RATE_LIMITER, inject: [APP_CONFIG], useFactory: createRateLimiter }],
      exports: [RATE_LIMITER],
    };
  }

  async onApplicationShutdown(): Promise<void> {
    await this.limiter.close();
  }
}
