import { Controller, Get, Header, Inject, Res } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { ANSWER_CACHE, KEYWORD_INDEX, SQL_STORE, VECTOR_INDEX, type ManagedStore, type StoreHealth } from '@rag/core';
import type { FastifyReply } from 'fastify';
import { Public } from '../auth/principal';
import { Metrics } from '../observability/metrics';
import { OPENAPI_DOCUMENT } from './platform.tokens';
import { ShutdownState } from './shutdown.state';

const HEALTH_TIMEOUT_MS = 1_000;

function healthTimeout(name: string): Promise<never> {
  return new Promise((_, reject) => setTimeout(() => reject(new Error(`${name} did not answer its health check within ${HEALTH_TIMEOUT_MS} ms`)), HEALTH_TIMEOUT_MS).unref());
}

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
    private readonly shutdown: ShutdownState,
    @Inject(OPENAPI_DOCUMENT) private readonly openApiDocument: Record<string, unknown>,
  ) {}

  @Get('healthz')
  healthz(): { status: 'ok' } {
    return { status: 'ok' };
  }

  /**
   * Ready unless shutting down. A store that is down does not make the process unready: it still
   * answers, degraded, and taking every replica out of rotation for one store would turn a loss of
   * quality into an outage. The body says which stores are unhealthy.
   */
  @Get('readyz')
  async readyz(@Res() reply: FastifyReply): Promise<void> {
    if (this.shutdown.draining) {
      await reply.status(503).send({ status: 'draining', stores: {} });
      return;
    }
    const checks = await Promise.all(STORES.flatMap(([name, token]) => this.check(name, token)));
    const stores = Object.fromEntries(checks.filter((c) => c !== null).map((c) => [c.name, c.health]));
    const healthy = Object.values(stores).every((health) => health.ok);
    await reply.status(200).send({ status: healthy ? 'ready' : 'degraded', stores });
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
      // A hung store (a stopped process keeps its sockets open) must not hang readiness.
      return { name, health: await Promise.race([store.health(), healthTimeout(name)]) };
    } catch (error) {
      return { name, health: { ok: false, adapter: 'unknown', detail: error instanceof Error ? error.message : String(error) } };
    }
  }
}
