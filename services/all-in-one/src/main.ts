import 'reflect-metadata';
import { Module } from '@nestjs/common';
import { AccessModule } from '@rag/access';
import { AnswerCacheModule } from '@rag/answer-cache';
import { loadConfig } from '@rag/config';
import { EmbedderModule } from '@rag/embedder';
import { GatewayModule, GATEWAY_OPERATIONS } from '@rag/gateway';
import { GeneratorModule } from '@rag/generator';
import { IngestModule, INGEST_OPERATIONS } from '@rag/ingest';
import { KeywordIndexModule } from '@rag/keyword-index';
import { createRootLogger, Metrics, PlatformModule, runService, startHttpApp } from '@rag/platform';
import { RateLimiterModule } from '@rag/rate-limiter';
import { SqlStoreModule } from '@rag/sql-store';
import { VectorIndexModule } from '@rag/vector-index';

/**
 * The all-in-one: gateway, ingest API and an index worker in one process over one set of stores.
 * On the embedded profile (the default) it needs nothing but a data folder.
 */
runService('all-in-one', async () => {
  const config = loadConfig(process.env);
  const logger = createRootLogger(config);
  const metrics = new Metrics();

  @Module({
    imports: [
      PlatformModule.forRoot({ config, metrics, title: 'Bank RAG (all-in-one)', operations: [...GATEWAY_OPERATIONS, ...INGEST_OPERATIONS] }),
      SqlStoreModule.forRoot(),
      AccessModule.forRoot(),
      RateLimiterModule.forRoot(),
      VectorIndexModule.forRoot(),
      KeywordIndexModule.forRoot(),
      AnswerCacheModule.forRoot(),
      EmbedderModule.forRoot(),
      GeneratorModule.forRoot(),
      GatewayModule,
      IngestModule.register({ runWorker: true }),
    ],
  })
  class AllInOneModule {}

  await startHttpApp(AllInOneModule, config, metrics, logger);
  logger.info({ profile: config.profile, dataDir: config.dataDir, url: `http://${config.server.host}:${config.server.port}` }, 'All-in-one listening');
});
