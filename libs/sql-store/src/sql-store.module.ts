import { type DynamicModule, Inject, Module, type OnApplicationShutdown } from '@nestjs/common';
import { AppError, SQL_STORE, type SqlStore } from '@rag/core';
import { APP_CONFIG, type AppConfig } from '@rag/config';
import { KyselySqlStore } from './kysely/kysely.sql-store';
import { connectMysql } from './mysql/mysql.connection';
import { connectSqlite } from './sqlite/sqlite.connection';

export async function createSqlStore(config: AppConfig): Promise<SqlStore> {
  const settings = config.sql;
  switch (settings.adapter) {
    case 'sqlite':
      return KyselySqlStore.open(connectSqlite(settings.sqliteFile), 'sqlite');
    case 'mysql':
      return KyselySqlStore.open(await connectMysql(settings.url), 'mysql');
    default:
      throw new AppError('CONFIG_INVALID', `SQL_ADAPTER "${String((settings as { adapter: unknown }).adapter)}" is not supported.`);
  }
}

/** Provides the SQL store chosen by SQL_ADAPTER, migrated to the latest schema, and closes it at shutdown. */
@Module({})
export class SqlStoreModule implements OnApplicationShutdown {
  constructor(@Inject(SQL_STORE) private readonly store: SqlStore) {}

  /** `decorate` wraps the adapter, e.g. in a circuit breaker, before anything injects it. */
  static forRoot(decorate: (port: SqlStore) => SqlStore = (port) => port): DynamicModule {
    return {
      module: SqlStoreModule,
      global: true,
      providers: [{ provide: SQL_STORE, inject: [APP_CONFIG], useFactory: async (config: AppConfig) => decorate(await createSqlStore(config)) }],
      exports: [SQL_STORE],
    };
  }

  async onApplicationShutdown(): Promise<void> {
    await this.store.close();
  }
}
