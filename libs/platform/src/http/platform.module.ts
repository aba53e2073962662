import { type DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER, APP_GUARD } from '@nestjs/core';
import { APP_CONFIG, type AppConfig } from '@rag/config';
import { AuthGuard } from '../auth/principal';
import { Metrics } from '../observability/metrics';
import { buildOpenApiDocument, type OperationSpec } from '../openapi/openapi.builder';
import { AllExceptionsFilter } from './all-exceptions.filter';
import { PlatformController } from './platform.controller';
import { ShutdownState } from './shutdown.state';
import { OPENAPI_DOCUMENT } from './platform.tokens';

export interface PlatformOptions {
  readonly config: AppConfig;
  readonly metrics: Metrics;
  readonly title: string;
  readonly operations: readonly OperationSpec[];
}

/** What every deployable shares: config, error format, caller resolution, health, metrics and docs. */
@Module({})
export class PlatformModule {
  static forRoot(options: PlatformOptions): DynamicModule {
    const document = buildOpenApiDocument(options.title, '0.1.0', [...PLATFORM_OPERATIONS, ...options.operations]);
    return {
      module: PlatformModule,
      global: true,
      controllers: [PlatformController],
      providers: [
        { provide: APP_CONFIG, useValue: options.config },
        { provide: Metrics, useValue: options.metrics },
        { provide: OPENAPI_DOCUMENT, useValue: document },
        { provide: APP_FILTER, useClass: AllExceptionsFilter },
        { provide: APP_GUARD, useClass: AuthGuard },
        ShutdownState,
      ],
      exports: [APP_CONFIG, Metrics, ShutdownState],
    };
  }
}

const PLATFORM_OPERATIONS: readonly OperationSpec[] = [
  { method: 'get', path: '/healthz', summary: 'Liveness: the process is up.', tag: 'operations', responses: { '200': 'Alive.' } },
  { method: 'get', path: '/readyz', summary: "Readiness, with each store's health.", tag: 'operations', responses: { '200': 'Ready to serve: `ready` when every store is healthy, `degraded` when some are not (answers then say what they miss).', '503': 'Shutting down (`draining`): send requests elsewhere.' } },
  { method: 'get', path: '/metrics', summary: 'Prometheus metrics in text format.', tag: 'operations', responses: { '200': 'Metrics.' } },
  { method: 'get', path: '/docs', summary: 'This OpenAPI document.', tag: 'operations', responses: { '200': 'The document.' } },
];
