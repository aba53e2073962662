export * from './access.module';
export * from './api-key.service';
export * from './credential.authenticator';
export * from './jwt.authenticator';
