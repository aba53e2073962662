export * from './test-stores.config';
