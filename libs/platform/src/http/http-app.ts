import { randomUUID } from 'node:crypto';
import multipart from '@fastify/multipart';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import type { AppConfig } from '@rag/config';
import type { Logger } from 'pino';
import type { Metrics } from '../observability/metrics';
import { PinoNestLogger } from '../observability/pino.logger';

/** Creates a Nest application on Fastify with request ids, latency metrics and graceful shutdown, and starts listening. */
export async function startHttpApp(rootModule: Parameters<typeof NestFactory.create>[0], config: AppConfig, metrics: Metrics, logger: Logger): Promise<NestFastifyApplication> {
  const adapter = new FastifyAdapter({ bodyLimit: config.server.bodyLimitBytes, genReqId: () => randomUUID(), return503OnClosing: true });
  // abortOnError false: a store that cannot start surfaces as an error to runService, which
  // prints one line naming the setting, instead of Nest exiting on its own.
  const app = await NestFactory.create<NestFastifyApplication>(rootModule, adapter, { logger: new PinoNestLogger(logger), abortOnError: false });
  // Multipart bodies are read only by routes that ask for them, as a stream: a file stops at
  // MAX_DOCUMENT_BYTES however large the upload, so nothing oversized is ever held whole.
  await app.register(multipart, { throwFileSizeLimit: true, limits: { fileSize: config.ingest.maxDocumentBytes, fieldSize: 64 * 1024, fields: 64, parts: 128 } });
  const fastify = app.getHttpAdapter().getInstance();
  fastify.addHook('onRequest', (request, reply, done) => {
    void reply.header('x-request-id', request.id);
    done();
  });
  fastify.addHook('onResponse', (request, reply, done) => {
    const route = request.routeOptions.url ?? 'unmatched';
    metrics.httpDuration.observe({ method: request.method, route, status: String(reply.statusCode) }, reply.elapsedTime / 1000);
    done();
  });
  app.enableShutdownHooks();
  await app.listen({ port: config.server.port, host: config.server.host });
  return app;
}
