import { Inject, Logger, Module, type OnApplicationShutdown } from '@nestjs/common';
import { ANSWER_CACHE, EMBEDDER, FALLBACK_GENERATOR, GENERATOR, type LedgerEntry, QUERY_REWRITER, SECTION_CHOOSER, type QueryRewriter, KEYWORD_INDEX, SQL_STORE, VECTOR_INDEX, type AnswerCache, type Embedder, type Generator, type KeywordIndex, type SectionChooser, type SqlStore, type VectorIndex } from '@rag/core';
import { APP_CONFIG, type AppConfig } from '@rag/config';
import { AnswerComposer, ConversationStore, LedgerRecorder, LedgerSpool, PrivacyFilter, QueryService } from '@rag/answering';
import { Metrics, recordQueryMetrics, recordQuerySpans } from '@rag/platform';
import { DEFAULT_WALK, RetrievalService } from '@rag/retrieval';
import { AdminController } from './admin.controller';
import { OpsConsoleController } from './console/ops-console.controller';
import { OpsConsoleService } from './console/ops-console.service';
import { FeedbackController } from './feedback.controller';
import { OpenAiCompatController } from './openai-compat.controller';
import { QueryController } from './query.controller';

const MAX_CONTEXT_BLOCKS = 6;
/** Structure trees kept in process: a few long documents' worth. */
const MAX_CACHED_TREES = 256;

/** The query gateway: search, chat and the ledger over whichever stores the app provides. */
@Module({
  controllers: [QueryController, OpenAiCompatController, AdminController, FeedbackController, OpsConsoleController],
  providers: [
    OpsConsoleService,
    {
      provide: RetrievalService,
      inject: [VECTOR_INDEX, KEYWORD_INDEX, EMBEDDER, SQL_STORE, ANSWER_CACHE, SECTION_CHOOSER, APP_CONFIG],
      useFactory: (vectorIndex: VectorIndex, keywordIndex: KeywordIndex, embedder: Embedder, sqlStore: SqlStore, cache: AnswerCache, sectionChooser: SectionChooser | null, config: AppConfig) =>
        new RetrievalService(
          { vectorIndex, keywordIndex, embedder, sqlStore, cache, sectionChooser },
          {
            ...config.retrieval,
            navigation: {
              ...config.navigation,
              walk: DEFAULT_WALK,
              useEmbeddings: config.embedder.adapter !== 'lexical',
              cacheTtlSeconds: config.cache.ttlSeconds,
              maxCachedTrees: MAX_CACHED_TREES,
            },
          },
        ),
    },
    { provide: PrivacyFilter, inject: [APP_CONFIG], useFactory: (config: AppConfig) => new PrivacyFilter(config.privacy) },
    {
      provide: LedgerRecorder,
      inject: [SQL_STORE, PrivacyFilter, APP_CONFIG, Metrics],
      useFactory: async (sqlStore: SqlStore, privacy: PrivacyFilter, config: AppConfig, metrics: Metrics) => {
        const logger = new Logger('LedgerRecorder');
        const onError = (error: unknown, pending: number) =>
          logger.error({ pending, reason: error instanceof Error ? error.message : String(error) }, 'Ledger rows could not be written to SQL; they are kept in the spool file and replayed in order');
        const spool = await LedgerSpool.open(config.resilience.ledgerSpoolFile);
        const onSpoolSize = (rows: number) => metrics.ledgerSpoolDepth.set(rows);
        onSpoolSize(spool.size);
        // Metrics and spans come from each request's ledger row, recorded while the request's span is active.
        const observe = (entry: LedgerEntry) => {
          recordQueryMetrics(metrics, entry);
          recordQuerySpans(entry);
        };
        return new LedgerRecorder(sqlStore, { flushIntervalMs: 50, maxBatch: 200, spool, onSpoolSize }, onError, (entry) => privacy.ledgerEntry(entry), observe);
      },
    },
    {
      provide: AnswerComposer,
      inject: [GENERATOR, FALLBACK_GENERATOR, APP_CONFIG],
      useFactory: (generator: Generator, fallback: Generator, config: AppConfig) => new AnswerComposer(generator, fallback, config.answering.minSupport),
    },
    {
      provide: QueryService,
      inject: [ANSWER_CACHE, RetrievalService, AnswerComposer, LedgerRecorder, SQL_STORE, PrivacyFilter, QUERY_REWRITER, APP_CONFIG],
      useFactory: (cache: AnswerCache, retrieval: RetrievalService, composer: AnswerComposer, ledger: LedgerRecorder, sqlStore: SqlStore, privacy: PrivacyFilter, rewriter: QueryRewriter | null, config: AppConfig) =>
        new QueryService(
          { cache, retrieval, composer, ledger, sqlStore, privacy, rewriter, conversations: new ConversationStore(sqlStore, config.answering.historyTurns, privacy) },
          { cacheTtlSeconds: config.cache.ttlSeconds, maxContexts: MAX_CONTEXT_BLOCKS, requestDeadlineMs: config.resilience.requestDeadlineMs },
        ),
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
