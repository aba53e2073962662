import { type DynamicModule, Inject, Module, type OnApplicationShutdown } from '@nestjs/common';
import { AppError, KEYWORD_INDEX, type KeywordIndex } from '@rag/core';
import { APP_CONFIG, type AppConfig } from '@rag/config';
import { SqliteFtsKeywordIndex } from './embedded/sqlite-fts.keyword-index';

export function createKeywordIndex(config: AppConfig): KeywordIndex {
  const settings = config.keywordIndex;
  switch (settings.adapter) {
    case 'embedded':
      return SqliteFtsKeywordIndex.open({ directory: settings.directory });
    default:
      throw new AppError('CONFIG_INVALID', `KEYWORD_INDEX_ADAPTER "${String(settings.adapter)}" is not supported.`);
  }
}

/** Provides the keyword index chosen by KEYWORD_INDEX_ADAPTER, and closes it at shutdown. */
@Module({})
export class KeywordIndexModule implements OnApplicationShutdown {
  constructor(@Inject(KEYWORD_INDEX) private readonly index: KeywordIndex) {}

  static forRoot(): DynamicModule {
    return {
      module: KeywordIndexModule,
      global: true,
      providers: [{ provide: KEYWORD_INDEX, inject: [APP_CONFIG], useFactory: createKeywordIndex }],
      exports: [KEYWORD_INDEX],
    };
  }

  async onApplicationShutdown(): Promise<void> {
    await this.index.close();
  }
}
