import { type DynamicModule, Inject, Module, type OnApplicationBootstrap } from '@nestjs/common';
import { AUTHENTICATOR, SQL_STORE, type SqlStore } from '@rag/core';
import { APP_CONFIG, type AppConfig } from '@rag/config';
import { ApiKeyService } from './api-key.service';
import { CredentialAuthenticator } from './credential.authenticator';
import { JwtAuthenticator } from './jwt.authenticator';

/**
 * Who may call: API keys, and OIDC tokens when JWT_ISSUER, JWT_AUDIENCE and JWT_JWKS_URL are set. On a store with no keys, the
 * first start creates an administrator key and prints it once (or uses BOOTSTRAP_ADMIN_KEY).
 */
@Module({})
export class AccessModule implements OnApplicationBootstrap {
  constructor(
    @Inject(ApiKeyService) private readonly keys: ApiKeyService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  static forRoot(): DynamicModule {
    return {
      module: AccessModule,
      global: true,
      providers: [
        { provide: ApiKeyService, inject: [SQL_STORE], useFactory: (sqlStore: SqlStore) => new ApiKeyService(sqlStore) },
        {
          provide: AUTHENTICATOR,
          inject: [ApiKeyService, APP_CONFIG],
          useFactory: (keys: ApiKeyService, config: AppConfig) => new CredentialAuthenticator(keys, config.jwt ? new JwtAuthenticator(config.jwt) : null),
        },
      ],
      exports: [ApiKeyService, AUTHENTICATOR],
    };
  }

  async onApplicationBootstrap(): Promise<void> {
    const issued = await this.keys.bootstrap(this.config.defaultTenant, this.config.bootstrapAdminKey);
    if (!issued || this.config.bootstrapAdminKey !== undefined) return;
    // Printed, not logged: logs are kept and shipped; this secret must be seen once and never again.
    process.stdout.write(
      `\nFirst start: created an administrator API key for tenant "${this.config.defaultTenant}". It is shown only now:\n\n  ${issued.secret}\n\nSend it as "Authorization: Bearer <key>". Create narrower keys with POST /v1/admin/keys.\n\n`,
    );
  }
}
