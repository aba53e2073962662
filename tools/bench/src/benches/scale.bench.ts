import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Deployment } from '@rag/deployment';
import { ProductClient, summarizeLatency } from '@rag/eval';
import type { BenchOptions } from '../bench.options.js';
import { type BenchResult, mib, ms } from '../report/bench.report.js';
import { benchCorpus } from '../run/bench.corpus.js';
import { residentBytes } from '../run/gateway.metrics.js';
import { startEmbeddedProduct, withDeployment } from '../run/product.starter.js';
import { BulkLoader } from '../scale/bulk.loader.js';
import { passagesFrom } from '../scale/passage.source.js';

const FULL_SIZES = [10_000, 100_000, 1_000_000];
const QUICK_SIZES = [1_000, 5_000];
const QUESTIONS = 300;
const WARM_UP = 5;
const TOP_K = 8;
const P95_TARGET_MS = 25;
const TARGET_SIZE = 100_000;

interface SizeRun {
  readonly chunks: number;
  readonly documents: number;
  /** Seconds the bulk loader took to add this step's chunks. */
  readonly growSeconds: number;
  readonly startSeconds: number;
  readonly searchMs: ReturnType<typeof summarizeLatency>;
  readonly questions: number;
  readonly rssIdleBytes: number;
  readonly rssAfterBytes: number;
}

/** /v1/search on the embedded profile as the corpus grows: latency and the process's memory per size. */
export async function scaleBench(options: BenchOptions): Promise<BenchResult> {
  const sizes = [...(options.sizes ?? (options.quick ? QUICK_SIZES : FULL_SIZES))].sort((a, b) => a - b);
  const corpus = benchCorpus(options.quick, options.datasets);
  const questions = options.quick ? corpus.queries.flatMap((query) => [TOP_K, TOP_K + 1, TOP_K + 2].map((topK) => ({ query, topK }))) : corpus.queries.slice(0, QUESTIONS).map((query) => ({ query, topK: TOP_K }));
  const dataDir = mkdtempSync(join(tmpdir(), 'rag-bench-scale-'));
  // One key for every start: only the first start on an empty store creates it.
  const env = { BOOTSTRAP_ADMIN_KEY: `rag_${randomBytes(32).toString('base64url')}` };
  const passages = passagesFrom(corpus.documents);
  const runs: SizeRun[] = [];
  try {
    let chunks = 0;
    let documents = 0;
    for (const size of sizes) {
      const grown = await grow(dataDir, size - chunks, passages, documents, chunks);
      chunks += grown.chunks;
      documents = grown.documents;
      const started = performance.now();
      const measured = await withDeployment(() => startEmbeddedProduct(env, dataDir), (deployment) => measureSearch(deployment, questions, performance.now() - started));
      runs.push({ chunks, documents, growSeconds: grown.seconds, ...measured });
    }
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
  return report(runs, { sizes, corpus: corpus.source, mode: 'hybrid', topK: TOP_K, questions: questions.length, sectionsPerDocument: 10, profile: 'embedded, lexical embedder (512 dimensions), hnswlib + SQLite FTS5' });
}

async function grow(dataDir: string, count: number, passages: Iterator<{ title: string; text: string }>, documentsBefore: number, chunksBefore: number): Promise<{ chunks: number; documents: number; seconds: number }> {
  const started = performance.now();
  const loader = await BulkLoader.open(dataDir);
  try {
    let last = 0;
    const added = await loader.add(count, passages, documentsBefore, (done) => {
      if (done - last >= 10_000 || done >= count) process.stderr.write(`scale: ${chunksBefore + done} chunks loaded (${((performance.now() - started) / 1000).toFixed(0)} s)\n`);
      if (done - last >= 10_000) last = done;
    });
    return { chunks: added.chunks, documents: documentsBefore + added.documents, seconds: (performance.now() - started) / 1000 };
  } finally {
    await loader.close();
  }
}

async function measureSearch(deployment: Deployment, questions: readonly { query: string; topK: number }[], startMs: number): Promise<Omit<SizeRun, 'chunks' | 'documents' | 'growSeconds'>> {
  const client = new ProductClient(deployment.gatewayUrl, deployment.ingestUrl, deployment.adminKey);
  const rssIdleBytes = await residentBytes(deployment.gatewayUrl);
  const latencies: number[] = [];
  for (const [i, question] of questions.entries()) {
    const started = performance.now();
    const result = await client.search({ query: question.query, mode: 'hybrid', collection: 'bench-scale', topK: question.topK });
    const elapsed = performance.now() - started;
    if (result.trace.cache === 'hit') throw new Error(`A scale sample was a cache hit ("${question.query}"); it would not measure a search.`);
    if (i >= WARM_UP) latencies.push(elapsed);
  }
  return { startSeconds: startMs / 1000, searchMs: summarizeLatency(latencies), questions: latencies.length, rssIdleBytes, rssAfterBytes: await residentBytes(deployment.gatewayUrl) };
}

function report(runs: readonly SizeRun[], settings: Record<string, unknown>): BenchResult {
  const atTarget = runs.find((run) => run.chunks >= TARGET_SIZE && run.chunks < TARGET_SIZE * 2);
  return {
    settings,
    figures: { runs },
    tables: [
      {
        caption: 'Scale: embedded /v1/search (hybrid) latency and process memory by corpus size',
        columns: ['chunks', 'documents', 'load s', 'start s', 'p50 ms', 'p95 ms', 'max ms', 'questions', 'RSS idle MiB', 'RSS after MiB'],
        rows: runs.map((run) => [run.chunks.toLocaleString('en-US'), run.documents.toLocaleString('en-US'), run.growSeconds.toFixed(0), run.startSeconds.toFixed(1), ms(run.searchMs.p50), ms(run.searchMs.p95), ms(run.searchMs.max), String(run.questions), mib(run.rssIdleBytes), mib(run.rssAfterBytes)]),
      },
    ],
    targets: atTarget ? [{ name: `embedded search p95 at ${atTarget.chunks.toLocaleString('en-US')} chunks`, target: `< ${P95_TARGET_MS} ms at 100k`, measured: `${ms(atTarget.searchMs.p95)} ms`, met: atTarget.searchMs.p95 < P95_TARGET_MS }] : [],
    notes: [
      'The corpus is grown from real passages: first each one as it is, then passages of 3–6 sentences drawn at random (seeded) from passages of the same script; ten passages make one Markdown document of ten sections.',
      'Loading goes through the product\'s own IngestService (parse, chunk, one SQL transaction per document with its outbox event) and IndexWriter (lexical embeddings, hnswlib, FTS5) in-process, in rounds of 200 documents, not over HTTP; then the all-in-one starts on the folder.',
      'Each question is asked once (a cache miss), one at a time; latency is client-side on loopback. RSS is the all-in-one process (gateway, ingest API, worker and every embedded store).',
    ],
  };
}
