import { Redis } from 'ioredis';
import { RateLimiterRedis } from 'rate-limiter-flexible';
import { memoryBucket } from '../memory/memory.buckets';

export interface RedisBuckets {
  readonly client: Redis;
  bucket(pointsPerWindow: number, windowSeconds: number, name: string): RateLimiterRedis;
}

/**
 * Token buckets shared by every process through Redis. Each has an in-process insurance bucket,
 * so a Redis outage degrades the limits to per process instead of failing requests.
 */
export function redisBuckets(url: string, keyPrefix: string): RedisBuckets {
  const client = new Redis(url, { lazyConnect: false, enableOfflineQueue: false, maxRetriesPerRequest: 1, commandTimeout: 250 });
  client.on('error', () => undefined);
  return {
    client,
    bucket: (points, duration, name) =>
      new RateLimiterRedis({ storeClient: client, points, duration, keyPrefix: `${keyPrefix}rl:${name}`, insuranceLimiter: memoryBucket(points, duration, name) }),
  };
}
