export * from './http-service.runner';
