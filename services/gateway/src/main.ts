import 'reflect-metadata';
import { Module } from '@nestjs/common';
import { AccessModule } from '@rag/access';
import { AnswerCacheModule } from '@rag/answer-cache';
import { loadConfig } from '@rag/config';
import { EmbedderModule } from '@rag/embedder';
import { GeneratorModule } from '@rag/generator';
import { KeywordIndexModule } from '@rag/keyword-index';
import { createRootLogger, Metrics, PlatformModule, runService, startHttpApp } from '@rag/platform';
import { RateLimiterModule } from '@rag/rate-limiter';
import { SqlStoreModule } from '@rag/sql-store';
import { VectorIndexModule } from '@rag/vector-index';
import { GatewayModule } from './gateway.module';
import { GATEWAY_OPERATIONS } from './gateway.openapi';

/** The query gateway on its own, for deployments that run ingest separately. */
runService('gateway', async () => {
  const config = loadConfig(process.env);
  const logger = createRootLogger(config);
  const metrics = new Metrics();

  @Module({
    imports: [
      PlatformModule.forRoot({ config, metrics, title: 'Bank RAG query gateway', operations: GATEWAY_OPERATIONS }),
      SqlStoreModule.forRoot(),
      AccessModule.forRoot(),
      RateLimiterModule.forRoot(),
      VectorIndexModule.forRoot(),
      KeywordIndexModule.forRoot(),
      AnswerCacheModule.forRoot(),
      EmbedderModule.forRoot(),
      GeneratorModule.forRoot(),
      GatewayModule,
    ],
  })
  class GatewayAppModule {}

  await startHttpApp(GatewayAppModule, config, metrics, logger);
  logger.info({ port: config.server.port, host: config.server.host }, 'Gateway listening');
});
