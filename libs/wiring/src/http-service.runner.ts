import 'reflect-metadata';
import { type DynamicModule, Module, type Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { AccessModule } from '@rag/access';
import { AnswerCacheModule } from '@rag/answer-cache';
import { APP_CONFIG, type AppConfig, loadConfig } from '@rag/config';
import { EmbedderModule } from '@rag/embedder';
import { GeneratorModule } from '@rag/generator';
import { KeywordIndexModule } from '@rag/keyword-index';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { createRootLogger, Metrics, type OperationSpec, PinoNestLogger, PlatformModule, runService, startHttpApp, startMetricsServer, startTracing, type StaticAssets } from '@rag/platform';
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
  /** A built front end to serve (the operations console); skipped with a warning when it was not built. */
  readonly staticAssets?: StaticAssets;
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
    await startTracing({ serviceName: config.observability.serviceName ?? `bank-rag-${spec.name}`, otlpEndpoint: config.observability.otlpEndpoint });
    const guards = createDependencyGuards(config, metrics);

    @Module({
      imports: [
        PlatformModule.forRoot({ config, metrics, title: spec.title, operations: spec.operations }),
        ...storeModules(guards),
        AccessModule.forRoot(),
        RateLimiterModule.forRoot(),
        ...(spec.generates ? [GeneratorModule.forRoot({ onUsage: (usage) => countTokens(metrics, usage) }, (generator) => guardGenerator(generator, guards.generator))] : []),
        ...spec.features(config),
      ],
    })
    class ServiceModule {}

    const staticAssets = spec.staticAssets && existsSync(join(spec.staticAssets.root, 'index.html')) ? spec.staticAssets : undefined;
    if (spec.staticAssets && !staticAssets) logger.warn({ folder: spec.staticAssets.root }, 'The operations console was not built (npm run build builds it); /console is not served');
    await startHttpApp(ServiceModule, config, metrics, logger, { staticAssets });
    logger.info({ service: spec.name, profile: config.profile, url: `http://${config.server.host}:${config.server.port}` }, 'Listening');
  });
}

/** Starts a process without HTTP (an index worker): configuration, logging and the stores. */
export function runBackgroundService(name: string, features: (config: AppConfig) => readonly (Type | DynamicModule)[]): void {
  runService(name, async () => {
    const config = loadConfig(process.env);
    const logger = createRootLogger(config);
    const metrics = new Metrics();
    await startTracing({ serviceName: config.observability.serviceName ?? `bank-rag-${name}`, otlpEndpoint: config.observability.otlpEndpoint });

    @Module({ providers: [{ provide: APP_CONFIG, useValue: config }, { provide: Metrics, useValue: metrics }], exports: [APP_CONFIG, Metrics] })
    class ConfigModule {}

    @Module({ imports: [{ module: ConfigModule, global: true }, ...storeModules(createDependencyGuards(config, null)), ...features(config)] })
    class BackgroundModule {}

    const app = await NestFactory.createApplicationContext(BackgroundModule, { logger: new PinoNestLogger(logger), abortOnError: false });
    app.enableShutdownHooks();
    await app.init();
    const metricsPort = config.observability.metricsPort;
    if (metricsPort !== null) await startMetricsServer(metrics, config.server.host, metricsPort);
    logger.info({ service: name, profile: config.profile, metrics: metricsPort === null ? null : `http://${config.server.host}:${metricsPort}/metrics` }, 'Running');
  });
}

function countTokens(metrics: Metrics, usage: { readonly promptTokens: number; readonly completionTokens: number }): void {
  metrics.modelTokens.inc({ direction: 'in' }, usage.promptTokens);
  metrics.modelTokens.inc({ direction: 'out' }, usage.completionTokens);
}
