export * from './access.module';
export * from './api-key.service';
