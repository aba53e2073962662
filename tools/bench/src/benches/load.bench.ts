import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type Deployment } from '@rag/deployment';
import { ProductClient } from '@rag/eval';
import type { BenchOptions, TrafficKind } from '../bench.options.js';
import { type BenchResult, mib, ms, round2, type Table } from '../report/bench.report.js';
import { benchCorpus } from '../run/bench.corpus.js';
import { loadDocuments } from '../run/document.loader.js';
import { residentBytes } from '../run/gateway.metrics.js';
import { type LoadFigures, type LoadRequest, runLoad } from '../run/load.runner.js';
import { startEmbeddedProduct, startFullProduct, withDeployment } from '../run/product.starter.js';

const RSS_SAMPLE_MS = 1_000;
const SEED_DOCUMENTS = 500;
const BANKING77 = 'banking77';

interface TrafficResult extends LoadFigures {
  readonly traffic: TrafficKind;
  readonly rssBeforeBytes: number;
  readonly rssAfterBytes: number;
  readonly rssPeakBytes: number;
}

/** Search, chat and mixed traffic for a set time; throughput, latency and the gateway's memory. */
export async function loadBench(options: BenchOptions): Promise<BenchResult> {
  const durationSeconds = options.durationSeconds ?? (options.quick ? 2 : 60);
  const connections = options.connections ?? (options.quick ? 4 : 16);
  const corpus = benchCorpus(options.quick, options.datasets);
  const queries = options.quick ? corpus.queries : [...corpus.queries, ...bankingQueries(options.datasets)];
  const drive = async (gatewayUrl: string, apiKey: string) => {
    const results: TrafficResult[] = [];
    for (const traffic of options.traffic) results.push(await driveTraffic(gatewayUrl, apiKey, traffic, queries, connections, durationSeconds));
    return results;
  };
  const target = options.url ? `the running gateway at ${options.url}` : `a gateway started for the run (${options.profile ?? 'embedded'} profile, ${options.quick ? corpus.documents.length : SEED_DOCUMENTS} documents of ${corpus.source})`;
  const results = options.url
    ? await drive(options.url, options.key ?? '')
    : await withDeployment(
        () => (options.profile === 'full' ? startFullProduct('load') : startEmbeddedProduct()),
        async (deployment: Deployment) => {
          const client = new ProductClient(deployment.gatewayUrl, deployment.ingestUrl, deployment.adminKey);
          await loadDocuments(client, corpus.documents.slice(0, SEED_DOCUMENTS), 'bench-load');
          return drive(deployment.gatewayUrl, deployment.adminKey);
        },
      );
  const first = results[0];
  const last = results.at(-1);
  return {
    settings: { target, durationSeconds, connections, traffic: options.traffic, distinctQuestions: queries.length },
    figures: { traffic: results },
    tables: [trafficTable(results)],
    targets: [],
    notes: [
      `Each connection sends ${queries.length} distinct questions in turn (Chinese and English${options.quick ? '' : ', and banking77 customer-service questions'}); a repeated question is a cache hit until the cache TTL or a new document invalidates it.`,
      'mixed: search and chat alternate. RSS is the gateway process\'s own figure from its /metrics, sampled every second.',
      ...(first && last ? [`Gateway RSS from ${mib(first.rssBeforeBytes)} MiB before the first run to ${mib(last.rssAfterBytes)} MiB after the last.`] : []),
    ],
  };
}

async function driveTraffic(gatewayUrl: string, apiKey: string, traffic: TrafficKind, queries: readonly string[], connections: number, durationSeconds: number): Promise<TrafficResult> {
  process.stderr.write(`load: ${traffic} traffic, ${connections} connections, ${durationSeconds} s\n`);
  const rssBeforeBytes = await residentBytes(gatewayUrl);
  let rssPeakBytes = rssBeforeBytes;
  const sampler = setInterval(() => {
    residentBytes(gatewayUrl).then(
      (bytes) => (rssPeakBytes = Math.max(rssPeakBytes, bytes)),
      () => undefined,
    );
  }, RSS_SAMPLE_MS);
  try {
    const figures = await runLoad({ url: gatewayUrl, headers: { authorization: `Bearer ${apiKey}` }, requests: requestsFor(traffic, queries), connections, durationSeconds });
    const rssAfterBytes = await residentBytes(gatewayUrl);
    return { traffic, ...figures, rssBeforeBytes, rssAfterBytes, rssPeakBytes: Math.max(rssPeakBytes, rssAfterBytes) };
  } finally {
    clearInterval(sampler);
  }
}

export function requestsFor(traffic: TrafficKind, queries: readonly string[]): LoadRequest[] {
  return queries.map((query, i) => {
    const chat = traffic === 'chat' || (traffic === 'mixed' && i % 2 === 1);
    return chat ? { method: 'POST', path: '/v1/chat', body: { query } } : { method: 'POST', path: '/v1/search', body: { query, mode: 'hybrid' } };
  });
}

/** Customer-service questions for load (../shared/datasets/banking77), when present. */
function bankingQueries(datasets: string): string[] {
  const file = join(datasets, BANKING77, 'queries.jsonl');
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => line.trim().length > 0)
    .map((line) => (JSON.parse(line) as { text: string }).text.trim())
    .filter((text) => text.length > 0);
}

function trafficTable(results: readonly TrafficResult[]): Table {
  return {
    caption: 'Load: throughput, client-side latency (ms) and gateway memory',
    columns: ['traffic', 'requests', 'req/s', 'p50', 'p90', 'p99', 'max', 'non-2xx', 'errors', 'RSS before MiB', 'RSS after MiB', 'RSS peak MiB'],
    rows: results.map((r) => [r.traffic, String(r.requests), round2(r.requestsPerSecond).toFixed(1), ms(r.latencyMs.p50), ms(r.latencyMs.p90), ms(r.latencyMs.p99), ms(r.latencyMs.max), String(r.non2xx), String(r.errors), mib(r.rssBeforeBytes), mib(r.rssAfterBytes), mib(r.rssPeakBytes)]),
  };
}
