import { RateLimiterMemory } from 'rate-limiter-flexible';

/** An in-process token bucket: per process, lost on restart. */
export function memoryBucket(pointsPerWindow: number, windowSeconds: number, name: string): RateLimiterMemory {
  return new RateLimiterMemory({ points: pointsPerWindow, duration: windowSeconds, keyPrefix: name });
}
