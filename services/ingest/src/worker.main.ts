import 'reflect-metadata';
import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { AnswerCacheModule } from '@rag/answer-cache';
import { APP_CONFIG, loadConfig } from '@rag/config';
import { EmbedderModule } from '@rag/embedder';
import { KeywordIndexModule } from '@rag/keyword-index';
import { createRootLogger, PinoNestLogger, runService } from '@rag/platform';
import { SqlStoreModule } from '@rag/sql-store';
import { VectorIndexModule } from '@rag/vector-index';
import { IngestModule } from './ingest.module';

/**
 * An index worker on its own, without HTTP: it drains the outbox into the indexes. Run as many as
 * the load needs; they share the work through the outbox claims.
 */
runService('worker', async () => {
  const config = loadConfig(process.env);
  const logger = createRootLogger(config);

  @Module({
    providers: [{ provide: APP_CONFIG, useValue: config }],
    exports: [APP_CONFIG],
  })
  class ConfigModule {}

  @Module({
    imports: [
      { module: ConfigModule, global: true },
      SqlStoreModule.forRoot(),
      VectorIndexModule.forRoot(),
      KeywordIndexModule.forRoot(),
      AnswerCacheModule.forRoot(),
      EmbedderModule.forRoot(),
      IngestModule.register({ runWorker: true }),
    ],
  })
  class WorkerAppModule {}

  const app = await NestFactory.createApplicationContext(WorkerAppModule, { logger: new PinoNestLogger(logger), abortOnError: false });
  app.enableShutdownHooks();
  await app.init();
  logger.info({ profile: config.profile }, 'Index worker running');
});
