import type { Deployment } from '@rag/deployment';
import { ProductClient } from '@rag/eval';
import { uniqueTestName } from '@rag/testing';
import type { BenchOptions } from '../bench.options.js';
import { type BenchResult, ms, round2 } from '../report/bench.report.js';
import { startBareRoute } from '../run/bare.route.js';
import { benchCorpus } from '../run/bench.corpus.js';
import { loadDocuments } from '../run/document.loader.js';
import { type LoadFigures, type LoadRun, runLoad } from '../run/load.runner.js';
import { requireStores, startEmbeddedProduct, withDeployment } from '../run/product.starter.js';
import { RedisScratch } from '../run/redis.scratch.js';

const DOCUMENTS = 200;
const BARE_TTL_SECONDS = 3_600;
const P99_RATIO_TARGET = 2;

/**
 * The gateway answering a cached /v1/chat (authentication, rate limit, validation, one Redis
 * round trip, the ledger row) against the least a server can do with the same Redis: one GET.
 * The gateway runs the embedded profile with the Redis cache, so nothing else touches the network.
 */
export async function cacheHitBench(options: BenchOptions): Promise<BenchResult> {
  const stores = requireStores('cache-hit');
  const durationSeconds = options.durationSeconds ?? (options.quick ? 3 : 20);
  const warmSeconds = options.quick ? 1 : 3;
  const connections = options.connections ?? 10;
  const corpus = benchCorpus(options.quick, options.datasets);
  const prefix = `${uniqueTestName('rag_test_bench_cache')}:`;
  const question = corpus.queries[0] ?? '金卡年费怎么减免？';
  const scratch = new RedisScratch(stores.redisUrl);
  try {
    const run = await withDeployment(
      () => startEmbeddedProduct({ CACHE_ADAPTER: 'redis', REDIS_URL: stores.redisUrl, REDIS_KEY_PREFIX: prefix }),
      async (deployment) => {
        await loadDocuments(new ProductClient(deployment.gatewayUrl, deployment.ingestUrl, deployment.adminKey), corpus.documents.slice(0, DOCUMENTS), 'bench-cache');
        const cachedBody = await cachedChat(deployment, question);
        await scratch.set(`${prefix}bare`, cachedBody, BARE_TTL_SECONDS);
        const bare = await startBareRoute(stores.redisUrl, `${prefix}bare`);
        try {
          const bareRun: LoadRun = { url: `${bare.url}/bare`, headers: {}, requests: [{ method: 'POST', path: '/bare', body: { query: question } }], connections, durationSeconds };
          const gatewayRun: LoadRun = { url: `${deployment.gatewayUrl}/v1/chat`, headers: { authorization: `Bearer ${deployment.adminKey}` }, requests: [{ method: 'POST', path: '/v1/chat', body: { query: question } }], connections, durationSeconds };
          await runLoad({ ...bareRun, durationSeconds: warmSeconds });
          await runLoad({ ...gatewayRun, durationSeconds: warmSeconds });
          return { bare: await runLoad(bareRun), gateway: await runLoad(gatewayRun), bodyBytes: Buffer.byteLength(cachedBody) };
        } finally {
          await bare.stop();
        }
      },
    );
    return report(run, { durationSeconds, warmSeconds, connections, question, documents: Math.min(DOCUMENTS, corpus.documents.length), corpus: corpus.source, gateway: 'all-in-one, embedded profile, CACHE_ADAPTER=redis', redis: stores.redisUrl });
  } finally {
    await scratch.sweep(prefix);
    await scratch.close();
  }
}

/** Asks twice and returns the second answer's body, after checking it came from the cache. */
async function cachedChat(deployment: Deployment, query: string): Promise<string> {
  const ask = async () => {
    const response = await fetch(`${deployment.gatewayUrl}/v1/chat`, {
      method: 'POST',
      headers: { authorization: `Bearer ${deployment.adminKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ query }),
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`POST /v1/chat answered ${response.status}: ${text.slice(0, 300)}`);
    return { text, cache: (JSON.parse(text) as { trace: { cache: string } }).trace.cache };
  };
  await ask();
  const second = await ask();
  if (second.cache !== 'hit') throw new Error(`The same question asked twice was not answered from the cache (trace.cache is "${second.cache}"); the benchmark would not measure a cache hit.`);
  return second.text;
}

function report(run: { bare: LoadFigures; gateway: LoadFigures; bodyBytes: number }, settings: Record<string, unknown>): BenchResult {
  const ratio = (gateway: number, bare: number) => (bare > 0 ? gateway / bare : Number.POSITIVE_INFINITY);
  const p99Ratio = ratio(run.gateway.latencyMs.p99, run.bare.latencyMs.p99);
  const row = (name: string, f: LoadFigures) => [name, ms(f.latencyMs.p50), ms(f.latencyMs.p99), f.requestsPerSecond.toFixed(0), String(f.requests), String(f.non2xx + f.errors)];
  return {
    settings: { ...settings, responseBytes: run.bodyBytes },
    figures: { bare: run.bare, gateway: run.gateway, ratio: { p50: round2(ratio(run.gateway.latencyMs.p50, run.bare.latencyMs.p50)), p99: round2(p99Ratio), throughput: round2(run.gateway.requestsPerSecond / run.bare.requestsPerSecond) } },
    tables: [
      {
        caption: 'Cache hit: gateway /v1/chat vs a bare Fastify route doing one Redis GET (client-side ms, autocannon)',
        columns: ['route', 'p50', 'p99', 'req/s', 'requests', 'failed'],
        rows: [
          row('bare Fastify + Redis GET', run.bare),
          row('gateway /v1/chat, cached', run.gateway),
          ['gateway ÷ bare', `${ratio(run.gateway.latencyMs.p50, run.bare.latencyMs.p50).toFixed(2)}×`, `${p99Ratio.toFixed(2)}×`, `${(run.gateway.requestsPerSecond / run.bare.requestsPerSecond).toFixed(2)}×`, '', ''],
        ],
      },
    ],
    targets: [{ name: 'cache-hit p99 vs bare route', target: `≤ ${P99_RATIO_TARGET}×`, measured: `${p99Ratio.toFixed(2)}×`, met: p99Ratio <= P99_RATIO_TARGET }],
    notes: [`Both answer the same ${run.bodyBytes}-byte JSON body (the cached answer), to the same autocannon client, one after the other.`],
  };
}
