export * from './bucket.rate-limiter';
export * from './rate-limiter.module';
