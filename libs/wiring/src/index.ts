export * from './http-service.runner';
export * from './dependency.guards';
