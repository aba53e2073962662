import { randomUUID } from 'node:crypto';
import multipart from '@fastify/multipart';
import fastifyStatic from '@fastify/static';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { context, propagation, type Span, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import type { AppConfig } from '@rag/config';
import type { FastifyRequest } from 'fastify';
import type { Logger } from 'pino';
import type { Metrics } from '../observability/metrics';
import { PinoNestLogger } from '../observability/pino.logger';
import { runWithRequestFields } from '../observability/request.context';
import { tracer } from '../observability/tracing';

/** A folder served as static files, such as the built operations console. */
export interface StaticAssets {
  readonly root: string;
  /** URL prefix ending with `/`, e.g. `/console/`. */
  readonly prefix: string;
}

export interface HttpAppOptions {
  readonly staticAssets?: StaticAssets;
}

type TracedRequest = FastifyRequest & { span?: Span; principal?: { tenantId: string } };

/**
 * Creates a Nest application on Fastify with request ids, a span and an access log line per request,
 * latency metrics and graceful shutdown, and starts listening.
 */
export async function startHttpApp(rootModule: Parameters<typeof NestFactory.create>[0], config: AppConfig, metrics: Metrics, logger: Logger, options: HttpAppOptions = {}): Promise<NestFastifyApplication> {
  const adapter = new FastifyAdapter({ bodyLimit: config.server.bodyLimitBytes, genReqId: () => randomUUID(), return503OnClosing: true });
  // abortOnError false: a store that cannot start surfaces as an error to runService, which
  // prints one line naming the setting, instead of Nest exiting on its own.
  const app = await NestFactory.create<NestFastifyApplication>(rootModule, adapter, { logger: new PinoNestLogger(logger), abortOnError: false });
  // Multipart bodies are read only by routes that ask for them, as a stream: a file stops at
  // MAX_DOCUMENT_BYTES however large the upload, so nothing oversized is ever held whole.
  await app.register(multipart, { throwFileSizeLimit: true, limits: { fileSize: config.ingest.maxDocumentBytes, fieldSize: 64 * 1024, fields: 64, parts: 128 } });
  const fastify = app.getHttpAdapter().getInstance();
  fastify.addHook('onRequest', (request: TracedRequest, reply, done) => {
    void reply.header('x-request-id', request.id);
    // Everything after this hook (guards, handlers, stores) runs inside the request's span and log fields.
    const parent = propagation.extract(context.active(), request.headers);
    const span = tracer().startSpan(`${request.method} ${request.routeOptions.url ?? 'unmatched'}`, { kind: SpanKind.SERVER, attributes: { 'http.request.method': request.method, 'rag.request_id': request.id } }, parent);
    request.span = span;
    runWithRequestFields({ requestId: request.id }, () => context.with(trace.setSpan(parent, span), done));
  });
  fastify.addHook('onResponse', (request: TracedRequest, reply, done) => {
    const route = request.routeOptions.url ?? 'unmatched';
    const status = reply.statusCode;
    metrics.httpDuration.observe({ method: request.method, route, status: String(status) }, reply.elapsedTime / 1000);
    endRequestSpan(request, route, status);
    logger.info({ requestId: request.id, tenant: request.principal?.tenantId ?? null, traceId: request.span?.spanContext().traceId, method: request.method, route, status, ms: Math.round(reply.elapsedTime * 100) / 100 }, 'Request served');
    done();
  });
  if (options.staticAssets) await app.register(fastifyStatic, { root: options.staticAssets.root, prefix: options.staticAssets.prefix, redirect: true });
  app.enableShutdownHooks();
  await app.listen({ port: config.server.port, host: config.server.host });
  return app;
}

function endRequestSpan(request: TracedRequest, route: string, status: number): void {
  const span = request.span;
  if (!span) return;
  span.updateName(`${request.method} ${route}`);
  span.setAttributes({ 'http.route': route, 'http.response.status_code': status, ...(request.principal ? { 'rag.tenant': request.principal.tenantId } : {}) });
  if (status >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
  span.end();
}
