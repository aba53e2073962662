import type { Deployment } from '@rag/deployment';
import { type CorpusEntry, ProductClient, summarizeLatency } from '@rag/eval';
import type { BenchOptions } from '../bench.options.js';
import { type BenchResult, ms, type TargetCheck } from '../report/bench.report.js';
import { benchCorpus, LONG_DOCUMENTS_SET, longDocuments } from '../run/bench.corpus.js';
import { BATCH_DOCUMENTS, BATCHES_IN_FLIGHT, loadDocuments } from '../run/document.loader.js';
import { DirectEmbedder } from '../run/embedding.direct.js';
import { embeddingServerEnv, requireModels, startEmbeddedProduct, startFullProduct, withDeployment } from '../run/product.starter.js';
import { markerWord, type UpdateSteps, updateToVisibleMs } from '../run/update.visibility.js';

/** What the index worker embeds per call, by default (EMBED_BATCH_SIZE). */
const EMBED_BATCH_SIZE = 64;
const COLLECTION = 'bench-ingest';
/** Updates probed on the whole laws: each rewrites one chunk of a long document. */
const LONG_DOCUMENT_PROBES = 5;

/** What one run loads: its documents, as one kind of content. */
interface Workload {
  readonly label: string;
  readonly entries: readonly CorpusEntry[];
  readonly contentType: 'text/plain' | 'text/markdown';
}

interface ProfileRun {
  readonly profile: 'embedded' | 'full';
  readonly corpus: string;
  readonly embedder: string;
  readonly documents: number;
  readonly chunks: number;
  readonly seconds: number;
  readonly submitSeconds: number;
  readonly chunksPerSecond: number;
  /** Full profile: the same texts embedded by the server alone, one batch after another. */
  readonly embeddingSeconds: number | null;
  readonly updateToVisibleMs: { readonly samples: readonly number[]; readonly p50: number; readonly p95: number; readonly max: number };
  /** The median of each step the worker recorded for the updates. */
  readonly updateStepsP50: Record<keyof UpdateSteps, number | null>;
}

/** Chunks per second end to end and update-to-visible latency, on both profiles. */
export async function ingestBench(options: BenchOptions): Promise<BenchResult> {
  const corpus = benchCorpus(options.quick, options.datasets);
  // The full profile indexes about one document a second (see the notes), so its sample is smaller.
  const sizes = options.quick ? { embedded: corpus.documents.length, full: 4, probes: 3 } : { embedded: 2_000, full: 100, probes: 20 };
  const passages = (size: number): Workload => ({ label: `${corpus.source}, passages`, entries: corpus.documents.slice(0, size), contentType: 'text/plain' });
  const laws = options.quick ? null : longDocuments(options.datasets);
  const runs: ProfileRun[] = [];
  if (options.profile !== 'full') {
    runs.push(await withDeployment(() => startEmbeddedProduct(), (deployment) => measure(deployment, 'embedded', 'lexical', passages(sizes.embedded), sizes.probes, null)));
    // Per-document costs (the request, the SQL rows of a document and its event) dominate short
    // passages; whole laws show the rate per chunk, as a bank's long manuals and policies would.
    if (laws) {
      const workload: Workload = { label: `${LONG_DOCUMENTS_SET}, whole laws (Markdown)`, entries: laws, contentType: 'text/markdown' };
      runs.push(await withDeployment(() => startEmbeddedProduct(), (deployment) => measure(deployment, 'embedded', 'lexical', workload, LONG_DOCUMENT_PROBES, null)));
    }
  }
  if (options.profile !== 'embedded') {
    const models = requireModels('ingest (full profile)');
    runs.push(
      await withDeployment(
        () => startFullProduct('ingest', embeddingServerEnv(models)),
        (deployment) => measure(deployment, 'full', `openai (${models.embedding.model})`, passages(sizes.full), sizes.probes, new DirectEmbedder(models)),
      ),
    );
  }
  return report(runs, { corpus: corpus.source, probes: sizes.probes, batchDocuments: BATCH_DOCUMENTS, batchesInFlight: BATCHES_IN_FLIGHT, embedBatchSize: EMBED_BATCH_SIZE });
}

async function measure(deployment: Deployment, profile: ProfileRun['profile'], embedder: string, workload: Workload, probes: number, direct: DirectEmbedder | null): Promise<ProfileRun> {
  const { entries, contentType } = workload;
  process.stderr.write(`ingest: ${entries.length} documents (${workload.label}) on the ${profile} profile\n`);
  const client = new ProductClient(deployment.gatewayUrl, deployment.ingestUrl, deployment.adminKey);
  const loaded = await loadDocuments(client, entries, COLLECTION, contentType);
  const embeddingSeconds = direct ? await direct.timeBatches(entries.map((entry) => `${entry.title}\n${entry.text}`), EMBED_BATCH_SIZE) : null;
  const samples: number[] = [];
  const steps: UpdateSteps[] = [];
  for (let round = 0; round < probes; round++) {
    const entry = entries[round % entries.length] as CorpusEntry;
    const probe = await updateToVisibleMs({ client, collection: COLLECTION, externalId: entry.id, title: entry.title.trim() || entry.id, text: entry.text, contentType }, markerWord(round));
    samples.push(probe.ms);
    steps.push(probe.steps);
  }
  const latency = summarizeLatency(samples);
  return {
    profile,
    corpus: workload.label,
    embedder,
    documents: entries.length,
    chunks: loaded.chunks,
    seconds: loaded.seconds,
    submitSeconds: loaded.submitSeconds,
    chunksPerSecond: loaded.chunks / loaded.seconds,
    embeddingSeconds,
    updateToVisibleMs: { samples, p50: latency.p50, p95: latency.p95, max: latency.max },
    updateStepsP50: { waiting: stepMedian(steps, 'waiting'), embedding: stepMedian(steps, 'embedding'), indexing: stepMedian(steps, 'indexing'), activating: stepMedian(steps, 'activating') },
  };
}

function stepMedian(steps: readonly UpdateSteps[], step: keyof UpdateSteps): number | null {
  const values = steps.map((s) => s[step]).filter((value): value is number => value !== null);
  return values.length === 0 ? null : summarizeLatency(values).p50;
}

function report(runs: readonly ProfileRun[], settings: Record<string, unknown>): BenchResult {
  const embedded = runs.find((run) => run.profile === 'embedded' && !run.corpus.startsWith(LONG_DOCUMENTS_SET));
  const embeddedLong = runs.find((run) => run.profile === 'embedded' && run.corpus.startsWith(LONG_DOCUMENTS_SET));
  const full = runs.find((run) => run.profile === 'full');
  const share = (run: ProfileRun) => (run.embeddingSeconds === null ? '–' : `${((100 * run.embeddingSeconds) / run.seconds).toFixed(0)} % (${run.embeddingSeconds.toFixed(1)} s)`);
  const targets: TargetCheck[] = [
    ...(embedded
      ? [
          { name: 'embedded ingest, lexical embedder', target: '≥ 1,000 chunks/s', measured: `${embedded.chunksPerSecond.toFixed(0)} chunks/s`, met: embedded.chunksPerSecond >= 1000 },
          { name: 'embedded update-to-visible p95', target: '< 500 ms', measured: `${ms(embedded.updateToVisibleMs.p95)} ms`, met: embedded.updateToVisibleMs.p95 < 500 },
        ]
      : []),
    ...(embeddedLong ? [{ name: 'embedded ingest of whole laws, lexical embedder', target: '≥ 1,000 chunks/s', measured: `${embeddedLong.chunksPerSecond.toFixed(0)} chunks/s`, met: embeddedLong.chunksPerSecond >= 1000 }] : []),
    ...(full ? [{ name: 'full update-to-visible p95', target: '< 2,000 ms', measured: `${ms(full.updateToVisibleMs.p95)} ms`, met: full.updateToVisibleMs.p95 < 2000 }] : []),
  ];
  return {
    settings,
    figures: { runs },
    tables: [
      {
        caption: 'Ingest: chunks per second end to end, and update-to-visible latency (ms)',
        columns: ['profile', 'corpus', 'embedder', 'documents', 'chunks', 'seconds', 'chunks/s', 'embedding server share', 'update→visible p50', 'p95', 'max'],
        rows: runs.map((run) => [run.profile, run.corpus, run.embedder, String(run.documents), String(run.chunks), run.seconds.toFixed(1), run.chunksPerSecond.toFixed(0), share(run), ms(run.updateToVisibleMs.p50), ms(run.updateToVisibleMs.p95), ms(run.updateToVisibleMs.max)]),
      },
      {
        caption: 'Update to visible by step: the median of each step the worker recorded (ms)',
        columns: ['profile', 'corpus', 'waiting for a worker', 'embedding', 'indexing', 'activating'],
        rows: runs.map((run) => [run.profile, run.corpus, ...(['waiting', 'embedding', 'indexing', 'activating'] as const).map((step) => (run.updateStepsP50[step] === null ? '–' : ms(run.updateStepsP50[step])))]),
      },
    ],
    targets,
    notes: [
      `End to end: from the first POST /v1/documents/batch (${BATCH_DOCUMENTS} plain-text documents a request, ${BATCHES_IN_FLIGHT} requests in flight, one document per corpus entry; the whole laws as Markdown) until the outbox holds no event left to do; each document is then checked to read indexed.`,
      'Embedding server share: the same texts embedded by the server alone, in batches of 64, one after another, as a share of the end-to-end time; the worker may overlap other work with it, so this is an estimate.',
      'Update to visible: a new version carrying a word no document contains is submitted; the clock runs from the POST returning until /v1/search (keyword mode, polled every 10 ms) returns that version.',
      'By step: from the outbox event of each update, read once it is visible: queued until claimed, claimed until embedded, embedded until written to both indexes, written until activated.',
    ],
  };
}
