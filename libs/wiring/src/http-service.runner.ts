import 'reflect-metadata';
import { type DynamicModule, Module, type Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { AccessModule } from '@rag/access';
import { AnswerCacheModule } from '@rag/answer-cache';
import { APP_CONFIG, type AppConfig, loadConfig } from '@rag/config';
import { EmbedderModule } from '@rag/embedder';
import { GeneratorModule } from '@rag/generator';
import { KeywordIndexModule } from '@rag/keyword-index';
import { createRootLogger, Metrics, type OperationSpec, PinoNestLogger, PlatformModule, runService, startHttpApp } from '@rag/platform';
import { RateLimiterModule } from '@rag/rate-limiter';
import { SqlStoreModule } from '@rag/sql-store';
import { guardEmbedder, guardGenerator, guardPort } from '@rag/resilience';
import { VectorIndexModule } from '@rag/vector-index';
import { createDependencyGuards, type DependencyGuards } from './dependency.guards';

export interface HttpServiceSpec {
  /** Used in the one-line start-up failure message, e.g. `gateway`. */
  readonly name: string;
  /** The OpenAPI document's title. */
  readonly title: string;
  readonly operations: readonly OperationSpec[];
  /** The service's own modules (its controllers and use cases), which may depend on the settings. */
  readonly features: (config: AppConfig) => readonly (Type | DynamicModule)[];
  /** Whether answers are written here (the gateway), which needs the generator. */
  readonly generates: boolean;
}

/** Every store port's module, each choosing its adapter from the configuration, each behind its dependency's guard. */
export function storeModules(guards: DependencyGuards): DynamicModule[] {
  return [
    SqlStoreModule.forRoot((store) => guardPort(store, guards.sql)),
    VectorIndexModule.forRoot((index) => guardPort(index, guards.vector)),
    KeywordIndexModule.forRoot((index) => guardPort(index, guards.keyword)),
    AnswerCacheModule.forRoot((cache) => guardPort(cache, guards.cache)),
    EmbedderModule.forRoot((embedder) => guardEmbedder(embedder, guards.embedder)),
  ];
}

/**
 * Starts an HTTP service: validated configuration, logging, metrics, authentication and rate
 * limits, the stores, and the service's own modules, on Fastify.
 */
export function runHttpService(spec: HttpServiceSpec): void {
  runService(spec.name, async () => {
    const config = loadConfig(process.env);
    const logger = createRootLogger(config);
    const metrics = new Metrics();
    const guards = createDependencyGuards(config, metrics);

    @Module({
      imports: [
        PlatformModule.forRoot({ config, metrics, title: spec.title, operations: spec.operations }),
        ...storeModules(guards),
        AccessModule.forRoot(),
        RateLimiterModule.forRoot(),
        ...(spec.generates ? [GeneratorModule.forRoot((generator) => guardGenerator(generator, guards.generator))] : []),
        ...spec.features(config),
      ],
    })
    class ServiceModule {}

    await startHttpApp(ServiceModule, config, metrics, logger);
    logger.info({ service: spec.name, profile: config.profile, url: `http://${config.server.host}:${config.server.port}` }, 'Listening');
  });
}

/** Starts a process without HTTP (an index worker): configuration, logging and the stores. */
export function runBackgroundService(name: string, features: (config: AppConfig) => readonly (Type | DynamicModule)[]): void {
  runService(name, async () => {
    const config = loadConfig(process.env);
    const logger = createRootLogger(config);

    @Module({ providers: [{ provide: APP_CONFIG, useValue: config }], exports: [APP_CONFIG] })
    class ConfigModule {}

    @Module({ imports: [{ module: ConfigModule, global: true }, ...storeModules(createDependencyGuards(config, null)), ...features(config)] })
    class BackgroundModule {}

    const app = await NestFactory.createApplicationContext(BackgroundModule, { logger: new PinoNestLogger(logger), abortOnError: false });
    app.enableShutdownHooks();
    await app.init();
    logger.info({ service: name, profile: config.profile }, 'Running');
  });
}
