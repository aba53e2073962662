import { type DynamicModule, Inject, Module, type OnApplicationShutdown } from '@nestjs/common';
import { AppError, KEYWORD_INDEX, type KeywordIndex } from '@rag/core';
import { APP_CONFIG, type AppConfig } from '@rag/config';
import { ElasticsearchKeywordIndex } from './elasticsearch/elasticsearch.keyword-index';
import { SqliteFtsKeywordIndex } from './embedded/sqlite-fts.keyword-index';

/** Bulk writes wait for a refresh and may carry a thousand chunks; searches use the retrieval budget. */
const ELASTICSEARCH_WRITE_TIMEOUT_MS = 30_000;

export async function createKeywordIndex(config: AppConfig): Promise<KeywordIndex> {
  const settings = config.keywordIndex;
  switch (settings.adapter) {
    case 'embedded':
      return SqliteFtsKeywordIndex.open({ directory: settings.directory, scoredRows: settings.scoredRows });
    case 'elasticsearch':
      return ElasticsearchKeywordIndex.open({
        url: settings.url,
        index: settings.index,
        searchTimeoutMs: config.retrieval.storeTimeoutMs,
        writeTimeoutMs: ELASTICSEARCH_WRITE_TIMEOUT_MS,
      });
    default:
      throw new AppError('CONFIG_INVALID', `KEYWORD_INDEX_ADAPTER "${String((settings as { adapter: unknown }).adapter)}" is not supported.`);
  }
}

/** Provides the keyword index chosen by KEYWORD_INDEX_ADAPTER, and closes it at shutdown. */
@Module({})
export class KeywordIndexModule implements OnApplicationShutdown {
  constructor(@Inject(KEYWORD_INDEX) private readonly index: KeywordIndex) {}

  /** `decorate` wraps the adapter, e.g. in a circuit breaker, before anything injects it. */
  static forRoot(decorate: (port: KeywordIndex) => KeywordIndex = (port) => port): DynamicModule {
    return {
      module: KeywordIndexModule,
      global: true,
      providers: [{ provide: KEYWORD_INDEX, inject: [APP_CONFIG], useFactory: async (config: AppConfig) => decorate(await createKeywordIndex(config)) }],
      exports: [KEYWORD_INDEX],
    };
  }

  async onApplicationShutdown(): Promise<void> {
    await this.index.close();
  }
}
