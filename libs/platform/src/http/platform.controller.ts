import { Controller, Get, Header, Inject, Res } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { ANSWER_CACHE, KEYWORD_INDEX, SQL_STORE, VECTOR_INDEX, type ManagedStore, type StoreHealth } from '@rag/core';
import type { FastifyReply } from 'fastify';
import { Public } from '../auth/principal';
import { Metrics } from '../observability/metrics';
import { OPENAPI_DOCUMENT } from './platform.tokens';

const STORES: readonly [string, symbol][] = [
  ['sql', SQL_STORE],
  ['vectorIndex', VECTOR_INDEX],
  ['keywordIndex', KEYWORD_INDEX],
  ['cache', ANSWER_CACHE],
];

/** Liveness, readiness with each store's health, Prometheus metrics and the OpenAPI document. */
@Public()
@Controller()
export class PlatformController {
  constructor(
    private readonly moduleRef: ModuleRef,
    private readonly metrics: Metrics,
    @Inject(OPENAPI_DOCUMENT) private readonly openApiDocument: Record<string, unknown>,
  ) {}

  @Get('healthz')
  healthz(): { status: 'ok' } {
    return { status: 'ok' };
  }

  @Get('readyz')
  async readyz(@Res() reply: FastifyReply): Promise<void> {
    const checks = await Promise.all(STORES.flatMap(([name, token]) => this.check(name, token)));
    const stores = Object.fromEntries(checks.filter((c) => c !== null).map((c) => [c.name, c.health]));
    const ready = Object.values(stores).every((health) => health.ok);
    await reply.status(ready ? 200 : 503).send({ status: ready ? 'ready' : 'not ready', stores });
  }

  @Get('metrics')
  @Header('content-type', 'text/plain; version=0.0.4; charset=utf-8')
  metricsText(): Promise<string> {
    return this.metrics.registry.metrics();
  }

  @Get('docs')
  docs(): Record<string, unknown> {
    return this.openApiDocument;
  }

  private async check(name: string, token: symbol): Promise<{ name: string; health: StoreHealth } | null> {
    let store: ManagedStore;
    try {
      store = this.moduleRef.get<ManagedStore>(token, { strict: false });
    } catch {
      return null;
    }
    try {
      return { name, health: await store.health() };
    } catch (error) {
      return { name, health: { ok: false, adapter: 'unknown', detail: error instanceof Error ? error.message : String(error) } };
    }
  }
}
