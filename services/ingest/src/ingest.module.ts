import { type DynamicModule, Inject, Logger, Module, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { ANSWER_CACHE, EMBEDDER, KEYWORD_INDEX, SQL_STORE, VECTOR_INDEX, type AnswerCache, type Embedder, type KeywordIndex, type SqlStore, type VectorIndex } from '@rag/core';
import { APP_CONFIG, type AppConfig } from '@rag/config';
import { DEFAULT_CHUNKING, IndexWorker, IngestService } from '@rag/ingestion';
import { DocumentRetryController } from './document-retry.controller';
import { DocumentsController } from './documents.controller';

export interface IngestModuleOptions {
  /** Runs an index worker in this process (the embedded all-in-one does). */
  readonly runWorker: boolean;
}

const WORKER_OPTIONS = Symbol('IngestModuleOptions');

/** The ingest service: the document API and, when asked, an in-process index worker. */
@Module({})
export class IngestModule implements OnApplicationBootstrap, OnApplicationShutdown {
  constructor(
    @Inject(IndexWorker) private readonly worker: IndexWorker,
    @Inject(WORKER_OPTIONS) private readonly options: IngestModuleOptions,
  ) {}

  static register(options: IngestModuleOptions): DynamicModule {
    return {
      module: IngestModule,
      controllers: [DocumentsController, DocumentRetryController],
      providers: [
        { provide: WORKER_OPTIONS, useValue: options },
        {
          provide: IndexWorker,
          inject: [SQL_STORE, VECTOR_INDEX, KEYWORD_INDEX, EMBEDDER, ANSWER_CACHE, APP_CONFIG],
          useFactory: (sqlStore: SqlStore, vectorIndex: VectorIndex, keywordIndex: KeywordIndex, embedder: Embedder, cache: AnswerCache, config: AppConfig) => {
            const logger = new Logger('IndexWorker');
            return new IndexWorker(
              { sqlStore, vectorIndex, keywordIndex, embedder, cache },
              { ...config.worker, embedBatchSize: config.embedder.batchSize },
              { info: (message, fields) => logger.log(fields, message), error: (message, fields) => logger.error(fields, message) },
            );
          },
        },
        {
          provide: IngestService,
          inject: [SQL_STORE, ANSWER_CACHE, APP_CONFIG, IndexWorker, WORKER_OPTIONS],
          useFactory: (sqlStore: SqlStore, cache: AnswerCache, config: AppConfig, worker: IndexWorker, opts: IngestModuleOptions) =>
            new IngestService(sqlStore, cache, { maxDocumentBytes: config.ingest.maxDocumentBytes, chunking: DEFAULT_CHUNKING }, () => {
              if (opts.runWorker) worker.wake();
            }),
        },
      ],
      exports: [IngestService, IndexWorker],
    };
  }

  onApplicationBootstrap(): void {
    if (this.options.runWorker) this.worker.start();
  }

  /** The worker finishes its current event before the stores close. */
  async onApplicationShutdown(): Promise<void> {
    await this.worker.stop();
  }
}
