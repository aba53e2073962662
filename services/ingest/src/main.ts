import 'reflect-metadata';
import { Module } from '@nestjs/common';
import { AccessModule } from '@rag/access';
import { AnswerCacheModule } from '@rag/answer-cache';
import { loadConfig } from '@rag/config';
import { EmbedderModule } from '@rag/embedder';
import { KeywordIndexModule } from '@rag/keyword-index';
import { createRootLogger, Metrics, PlatformModule, runService, startHttpApp } from '@rag/platform';
import { RateLimiterModule } from '@rag/rate-limiter';
import { SqlStoreModule } from '@rag/sql-store';
import { VectorIndexModule } from '@rag/vector-index';
import { IngestModule } from './ingest.module';
import { INGEST_OPERATIONS } from './ingest.openapi';

/** The ingest service on its own: the document API, with an index worker unless INGEST_RUN_WORKER=false. */
runService('ingest', async () => {
  const config = loadConfig(process.env);
  const logger = createRootLogger(config);
  const metrics = new Metrics();

  @Module({
    imports: [
      PlatformModule.forRoot({ config, metrics, title: 'Bank RAG ingest service', operations: INGEST_OPERATIONS }),
      SqlStoreModule.forRoot(),
      AccessModule.forRoot(),
      RateLimiterModule.forRoot(),
      VectorIndexModule.forRoot(),
      KeywordIndexModule.forRoot(),
      AnswerCacheModule.forRoot(),
      EmbedderModule.forRoot(),
      IngestModule.register({ runWorker: config.ingest.runWorker }),
    ],
  })
  class IngestAppModule {}

  await startHttpApp(IngestAppModule, config, metrics, logger);
  logger.info({ port: config.server.port, host: config.server.host }, 'Ingest service listening');
});
