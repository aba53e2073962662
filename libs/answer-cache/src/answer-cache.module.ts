import { type DynamicModule, Inject, Module, type OnApplicationShutdown } from '@nestjs/common';
import { ANSWER_CACHE, AppError, type AnswerCache } from '@rag/core';
import { APP_CONFIG, type AppConfig } from '@rag/config';
import { MemoryAnswerCache } from './memory/memory.answer-cache';
import { RedisAnswerCache } from './redis/redis.answer-cache';

const REDIS_COMMAND_TIMEOUT_MS = 250;

export async function createAnswerCache(settings: AppConfig['cache']): Promise<AnswerCache> {
  switch (settings.adapter) {
    case 'memory':
      return new MemoryAnswerCache(settings);
    case 'redis':
      return RedisAnswerCache.open({ url: settings.url, keyPrefix: settings.keyPrefix, commandTimeoutMs: REDIS_COMMAND_TIMEOUT_MS });
    default:
      throw new AppError('CONFIG_INVALID', `CACHE_ADAPTER "${String((settings as { adapter: unknown }).adapter)}" is not supported.`);
  }
}

/** Provides the answer cache chosen by CACHE_ADAPTER, and closes it at shutdown. */
@Module({})
export class AnswerCacheModule implements OnApplicationShutdown {
  constructor(@Inject(ANSWER_CACHE) private readonly cache: AnswerCache) {}

  /** `decorate` wraps the adapter, e.g. in a circuit breaker, before anything injects it. */
  static forRoot(decorate: (port: AnswerCache) => AnswerCache = (port) => port): DynamicModule {
    return {
      module: AnswerCacheModule,
      global: true,
      providers: [
        { provide: ANSWER_CACHE, inject: [APP_CONFIG], useFactory: async (config: AppConfig) => decorate(await createAnswerCache(config.cache)) },
      ],
      exports: [ANSWER_CACHE],
    };
  }

  async onApplicationShutdown(): Promise<void> {
    await this.cache.close();
  }
}
