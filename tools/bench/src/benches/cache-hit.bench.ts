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
          const bareFigures = await runLoad(bareRun);
          const gatewayFigures = await runLoad(gatewayRun);
          // Latency at saturation is mostly queueing, so it repeats the throughput ratio. Both
          // routes are also asked one request at a time, where each answer's latency is the work
          // of the request itself. (autocannon's rate limit sends each second's quota back to
          // back, so a "fixed rate" over several connections still queues.)
          const bareAlone = await runLoad({ ...bareRun, connections: 1 });
          const gatewayAlone = await runLoad({ ...gatewayRun, connections: 1 });
          return { bare: bareFigures, gateway: gatewayFigures, alone: { bare: bareAlone, gateway: gatewayAlone }, bodyBytes: Buffer.byteLength(cachedBody) };
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

interface Alone {
  readonly bare: LoadFigures;
  readonly gateway: LoadFigures;
}

function report(run: { bare: LoadFigures; gateway: LoadFigures; alone: Alone; bodyBytes: number }, settings: Record<string, unknown>): BenchResult {
  const ratio = (gateway: number, bare: number) => (bare > 0 ? gateway / bare : Number.POSITIVE_INFINITY);
  const ratios = (gateway: LoadFigures, bare: LoadFigures) => ({
    p50: round2(ratio(gateway.latencyMs.p50, bare.latencyMs.p50)),
    p99: round2(ratio(gateway.latencyMs.p99, bare.latencyMs.p99)),
    throughput: round2(gateway.requestsPerSecond / bare.requestsPerSecond),
  });
  const saturated = ratios(run.gateway, run.bare);
  const alone = ratios(run.alone.gateway, run.alone.bare);
  const row = (name: string, f: LoadFigures) => [name, ms(f.latencyMs.p50), ms(f.latencyMs.p99), f.requestsPerSecond.toFixed(0), String(f.requests), String(f.non2xx + f.errors)];
  const ratioRow = (r: typeof alone) => ['gateway ÷ bare', `${r.p50.toFixed(2)}×`, `${r.p99.toFixed(2)}×`, `${r.throughput.toFixed(2)}×`, '', ''];
  const columns = ['route', 'p50', 'p99', 'req/s', 'requests', 'failed'];
  return {
    settings: { ...settings, responseBytes: run.bodyBytes },
    figures: { bare: run.bare, gateway: run.gateway, ratio: saturated, alone: { bare: run.alone.bare, gateway: run.alone.gateway, ratio: alone } },
    tables: [
      {
        caption: 'Cache hit, saturated (each connection sends again when answered): throughput (client-side ms, autocannon)',
        columns,
        rows: [row('bare Fastify + Redis GET', run.bare), row('gateway /v1/chat, cached', run.gateway), ratioRow(saturated)],
      },
      {
        caption: 'Cache hit, one request at a time (1 connection): latency of the request itself',
        columns,
        rows: [row('bare Fastify + Redis GET', run.alone.bare), row('gateway /v1/chat, cached', run.alone.gateway), ratioRow(alone)],
      },
    ],
    targets: [
      { name: 'cache-hit p99 vs bare route, one request at a time', target: `≤ ${P99_RATIO_TARGET}×`, measured: `${alone.p99.toFixed(2)}×`, met: alone.p99 <= P99_RATIO_TARGET },
      { name: `cache-hit p99 vs bare route, saturated (${String(settings.connections)} connections, mostly queueing)`, target: `≤ ${P99_RATIO_TARGET}×`, measured: `${saturated.p99.toFixed(2)}×`, met: saturated.p99 <= P99_RATIO_TARGET },
    ],
    notes: [
      `Both answer the same ${run.bodyBytes}-byte JSON body (the cached answer), to the same autocannon client, one after the other.`,
      'The gateway authenticates the key, takes two rate-limit tokens on Redis, validates the body, reads the answer and the tenant generation from Redis, masks personal data, and writes a ledger row and a session; the bare route does one GET.',
    ],
  };
}
