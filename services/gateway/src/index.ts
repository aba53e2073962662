export * from './gateway.module';
export * from './gateway.openapi';
export * from './console/console.assets';
