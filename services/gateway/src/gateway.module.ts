import { Inject, Logger, Module, type OnApplicationShutdown } from '@nestjs/common';
import { ANSWER_CACHE, EMBEDDER, GENERATOR, KEYWORD_INDEX, SQL_STORE, VECTOR_INDEX, type AnswerCache, type Embedder, type Generator, type KeywordIndex, type SqlStore, type VectorIndex } from '@rag/core';
import { APP_CONFIG, type AppConfig } from '@rag/config';
import { LedgerRecorder, QueryService } from '@rag/answering';
import { RetrievalService } from '@rag/retrieval';
import { QueryController } from './query.controller';

const MAX_CONTEXT_BLOCKS = 6;

/** The query gateway: search, chat and the ledger over whichever stores the app provides. */
@Module({
  controllers: [QueryController],
  providers: [
    {
      provide: RetrievalService,
      inject: [VECTOR_INDEX, KEYWORD_INDEX, EMBEDDER, SQL_STORE, APP_CONFIG],
      useFactory: (vectorIndex: VectorIndex, keywordIndex: KeywordIndex, embedder: Embedder, sqlStore: SqlStore, config: AppConfig) =>
        new RetrievalService({ vectorIndex, keywordIndex, embedder, sqlStore }, config.retrieval),
    },
    {
      provide: LedgerRecorder,
      inject: [SQL_STORE],
      useFactory: (sqlStore: SqlStore) => {
        const logger = new Logger('LedgerRecorder');
        return new LedgerRecorder(sqlStore, { flushIntervalMs: 50, maxBatch: 200 }, (error, pending) =>
          logger.error({ pending, reason: error instanceof Error ? error.message : String(error) }, 'Ledger rows could not be written; they stay queued'),
        );
      },
    },
    {
      provide: QueryService,
      inject: [ANSWER_CACHE, GENERATOR, RetrievalService, LedgerRecorder, APP_CONFIG],
      useFactory: (cache: AnswerCache, generator: Generator, retrieval: RetrievalService, ledger: LedgerRecorder, config: AppConfig) =>
        new QueryService({ cache, generator, retrieval, ledger }, { cacheTtlSeconds: config.cache.ttlSeconds, maxContexts: MAX_CONTEXT_BLOCKS }),
    },
  ],
})
export class GatewayModule implements OnApplicationShutdown {
  constructor(@Inject(LedgerRecorder) private readonly ledger: LedgerRecorder) {}

  /** Ledger rows still queued are written before the stores close. */
  async onApplicationShutdown(): Promise<void> {
    await this.ledger.close();
  }
}
