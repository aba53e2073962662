export * from './gateway.module';
export * from './gateway.openapi';
