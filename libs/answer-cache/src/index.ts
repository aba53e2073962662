export * from './answer-cache.module';
export * from './memory/memory.answer-cache';
export * from './redis/redis.answer-cache';
