import { type DynamicModule, Inject, Logger, Module, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { ANSWER_CACHE, EMBEDDER, KEYWORD_INDEX, SQL_STORE, VECTOR_INDEX, type AnswerCache, type Embedder, type KeywordIndex, type SqlStore, type VectorIndex } from '@rag/core';
import { APP_CONFIG, type AppConfig } from '@rag/config';
import { availableParallelism } from 'node:os';
import { IndexWorker, type IndexWorkerHooks, IngestService, type IngestSettings, ingestSettingsFrom, IsolatedDocumentParser } from '@rag/ingestion';
import { contextFromTraceparent, inSpan, Metrics, OutboxMetricsPoller } from '@rag/platform';
import { DocumentRetryController } from './document-retry.controller';
import { DocumentsController } from './documents.controller';

export interface IngestModuleOptions {
  /** Runs an index worker in this process (the embedded all-in-one does). */
  readonly runWorker: boolean;
}

const WORKER_OPTIONS = Symbol('IngestModuleOptions');

function ingestSettings({ ingest }: AppConfig): IngestSettings {
  return ingestSettingsFrom(ingest);
}

/** The ingest service: the document API and, when asked, an in-process index worker. */
@Module({})
export class IngestModule implements OnApplicationBootstrap, OnApplicationShutdown {
  constructor(
    @Inject(IndexWorker) private readonly worker: IndexWorker,
    @Inject(WORKER_OPTIONS) private readonly options: IngestModuleOptions,
    @Inject(IsolatedDocumentParser) private readonly parser: IsolatedDocumentParser,
    @Inject(OutboxMetricsPoller) private readonly outboxPoller: OutboxMetricsPoller,
  ) {}

  static register(options: IngestModuleOptions): DynamicModule {
    return {
      module: IngestModule,
      controllers: [DocumentsController, DocumentRetryController],
      providers: [
        { provide: WORKER_OPTIONS, useValue: options },
        {
          provide: IndexWorker,
          inject: [SQL_STORE, VECTOR_INDEX, KEYWORD_INDEX, EMBEDDER, ANSWER_CACHE, APP_CONFIG, Metrics],
          useFactory: (sqlStore: SqlStore, vectorIndex: VectorIndex, keywordIndex: KeywordIndex, embedder: Embedder, cache: AnswerCache, config: AppConfig, metrics: Metrics) => {
            const logger = new Logger('IndexWorker');
            return new IndexWorker(
              { sqlStore, vectorIndex, keywordIndex, embedder, cache },
              { ...config.worker, embedBatchSize: config.embedder.batchSize },
              { info: (message, fields) => logger.log(fields, message), error: (message, fields) => logger.error(fields, message) },
              workerHooks(metrics),
            );
          },
        },
        {
          provide: IsolatedDocumentParser,
          inject: [APP_CONFIG],
          // At most two parse threads: parsing shares two cores with the API and the index worker.
          useFactory: (config: AppConfig) => new IsolatedDocumentParser(ingestSettings(config).parsing, Math.min(2, availableParallelism())),
        },
        {
          provide: OutboxMetricsPoller,
          inject: [SQL_STORE, APP_CONFIG, Metrics],
          useFactory: (sqlStore: SqlStore, config: AppConfig, metrics: Metrics) => {
            const logger = new Logger('OutboxMetrics');
            const onError = (error: unknown) => logger.warn({ reason: error instanceof Error ? error.message : String(error) }, 'Could not read the outbox for its gauges');
            return new OutboxMetricsPoller(metrics, () => sqlStore.outboxStats(), config.observability.outboxPollMs, onError);
          },
        },
        {
          provide: IngestService,
          inject: [SQL_STORE, ANSWER_CACHE, APP_CONFIG, IndexWorker, WORKER_OPTIONS, IsolatedDocumentParser],
          useFactory: (sqlStore: SqlStore, cache: AnswerCache, config: AppConfig, worker: IndexWorker, opts: IngestModuleOptions, parser: IsolatedDocumentParser) =>
            new IngestService(
              sqlStore,
              cache,
              ingestSettings(config),
              () => {
                if (opts.runWorker) worker.wake();
              },
              parser,
            ),
        },
      ],
      exports: [IngestService, IndexWorker],
    };
  }

  onApplicationBootstrap(): void {
    this.outboxPoller.start();
    if (this.options.runWorker) this.worker.start();
  }

  /** The worker finishes its current event before the stores close. */
  async onApplicationShutdown(): Promise<void> {
    this.outboxPoller.stop();
    await Promise.all([this.worker.stop(), this.parser.close()]);
  }
}

/** Each event runs in a span that continues the submitting request's trace; indexed chunks are counted. */
function workerHooks(metrics: Metrics): IndexWorkerHooks {
  return {
    around: (event, work) =>
      inSpan(`index worker ${event.kind}`, contextFromTraceparent(event.traceContext), { 'rag.document_id': event.documentId, 'rag.version': event.version, 'rag.attempt': event.attempts }, () => work()),
    indexed: (chunks) => metrics.indexedChunks.inc(chunks),
  };
}
