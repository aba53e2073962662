export * from './app-config';
export * from './app-config.schema';
export * from './config.tokens';
export * from './client-config';
