import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { type Deployment, ENTRY, PROJECT_ROOT, startEmbedded, startFull } from '@rag/deployment';
import type { RetrievalStore, StoreHit } from '@rag/core';
import { DEFAULT_RRF_K } from '@rag/retrieval';
import { testModelUrls, testStoreUrls } from '@rag/testing';
import { type AnswerReport, evaluateAnswers } from './answers/answer.runner.js';
import { type Dataset, loadDataset } from './dataset/dataset.loader.js';
import { judgedQueries, QUICK_SUBSET, subsetOf } from './dataset/dataset.subset.js';
import { documentsFor, loadWholeDocuments, type WholeDocuments } from './dataset/whole-documents.js';
import { type EvalOptions, UsageError } from './eval.options.js';
import { fitFusion, fusionEnvFile, type QueryLists } from './fusion/fusion.fitter.js';
import { PEERS_NEEDING_EMBEDDINGS } from './peers/peer.registry.js';
import { type PeerJob, type PeerResult, PeersNotInstalledError, runPeers } from './peers/peer.runner.js';
import type { EvalReport } from './report/eval.report.js';
import { markdownReport } from './report/markdown.table.js';
import { renderNdcgChart } from './report/ndcg.chart.js';
import { commitInfo, loadAverages, machineInfo } from './report/run.context.js';
import { ingestCorpus } from './run/ingest.runner.js';
import { ProductClient, type SearchHit, type SearchResult } from './run/product.client.js';
import { type ModeResult, runQueries } from './run/query.runner.js';

/** The built product is what gets measured; the tool never builds it itself. */
export class NotBuiltError extends Error {}

/** Runs one evaluation end to end and writes its outputs; the product it starts is always stopped. */
export async function runEvaluation(options: EvalOptions, command: string): Promise<EvalReport> {
  const full = loadDataset(options.dataset);
  // Whole documents are few and long: the quick run keeps the queries' subset but not its article cut.
  const dataset = options.quick ? (options.wholeDocuments ? { ...subsetOf(full, QUICK_SUBSET), corpus: full.corpus } : subsetOf(full, QUICK_SUBSET)) : options.sample ? subsetOf(full, options.sample) : judgedQueries(full);
  requireBuilt(options.profile);
  requireConsistent(options);
  const productEnv = productEnvironment(options);
  const commit = commitInfo(PROJECT_ROOT);
  const date = new Date().toISOString();
  const loadAtStart = loadAverages();
  process.stderr.write(`Evaluating ${dataset.name}: ${dataset.corpus.length} documents, ${dataset.queries.length} queries, modes ${options.modes.join(', ')}, ${options.profile} profile, ${options.embedder} embedder.\n`);

  // Listening from before the start-up: a signal then aborts it, and startProduct stops every
  // process it started before it rejects, so none is left running without its parent.
  const startUp = new AbortController();
  const starting = startProduct(options, productEnv.all, startUp.signal);
  const stopOnSignal = () => {
    startUp.abort();
    void starting.then((started) => started.stop(), () => undefined).finally(() => process.exit(130));
  };
  process.once('SIGINT', stopOnSignal).once('SIGTERM', stopOnSignal);
  let deployment: Deployment;
  try {
    deployment = await starting;
  } catch (error) {
    process.off('SIGINT', stopOnSignal).off('SIGTERM', stopOnSignal);
    // Stopped by a signal: the handler exits once the start-up has cleaned up; nothing to report.
    if (startUp.signal.aborted) return new Promise<never>(() => undefined);
    throw error;
  }
  let measured: Measured;
  try {
    measured = await measure(deployment, dataset, options);
  } catch (error) {
    const output = deployment.output().trim();
    if (output) process.stderr.write(`The product's output:\n${output.slice(-4000)}\n`);
    throw error;
  } finally {
    process.off('SIGINT', stopOnSignal).off('SIGTERM', stopOnSignal);
    await deployment.stop();
  }
  // The peers run after the product has stopped, so neither slows the other down. A peer that
  // fails (or is stopped) costs its rows, never the product's figures measured before it.
  let peers: PeerResult[] = [];
  let peersError: string | null = null;
  try {
    peers = await runPeers(dataset, peerJob(options));
  } catch (error) {
    if (error instanceof PeersNotInstalledError) throw error;
    peersError = error instanceof Error ? error.message : String(error);
    process.stderr.write(`The peers did not finish, so the report has no peer rows: ${peersError}\n`);
  }
  const report: EvalReport = {
    format: 'rag-eval/1',
    dataset: { name: dataset.name, folder: dataset.folder, quick: options.quick, sample: options.sample, corpus: measured.ingest.documents, queries: dataset.queries.length, ...(options.wholeDocuments ? { scoredBy: 'article' as const } : {}) },
    profile: options.profile,
    embedder: options.embedder,
    productSettings: productEnv.shown,
    topK: options.topK,
    command,
    date,
    commit,
    machine: { ...machineInfo(), load: { start: loadAtStart, end: loadAverages() } },
    ...measured,
    peers,
    peersError,
  };
  await writeOutputs(report, options);
  return report;
}

type Measured = Pick<EvalReport, 'ingest' | 'modes' | 'fit' | 'answers'>;

async function measure(deployment: Deployment, dataset: Dataset, options: EvalOptions): Promise<Measured> {
  const client = new ProductClient(deployment.gatewayUrl, deployment.ingestUrl, deployment.adminKey);
  const collection = `eval-${dataset.name}`;
  const whole = options.wholeDocuments ? loadWholeDocuments(dataset) : null;
  const ingest = whole
    ? await ingestCorpus(client, documentsFor(whole, dataset, options.quick ? WHOLE_DOCUMENTS_QUICK : Number.MAX_SAFE_INTEGER), collection, 'text/markdown')
    : await ingestCorpus(client, dataset.corpus, collection);
  process.stderr.write(`Indexed ${ingest.indexed} of ${ingest.documents} documents (${ingest.chunks} chunks) in ${ingest.seconds.toFixed(1)} s.\n`);
  if (ingest.failures.length > 0) process.stderr.write(`${ingest.failures.length} documents were not indexed, e.g. ${ingest.failures[0]?.corpusId}: ${ingest.failures[0]?.reason}\n`);

  const modes: ModeResult[] = [];
  const kept = new Map<RetrievalStore, Map<string, readonly SearchHit[]>>();
  for (const mode of options.modes) {
    const rank = whole ? (hits: SearchResult['hits']) => articleRanking(hits, ingest.corpusIdOf, whole) : undefined;
    const keep = options.fit && (mode === 'keyword' || mode === 'vector') ? new Map<string, readonly SearchHit[]>() : undefined;
    if (keep) kept.set(mode as RetrievalStore, keep);
    const result = await runQueries({ client, collection, topK: options.topK, relevant: dataset.relevant, corpusIdOf: ingest.corpusIdOf, keep, ...(rank ? { rank } : {}) }, mode, dataset.queries);
    if (result.firstError) process.stderr.write(`${result.errors} ${mode} queries failed, e.g. ${result.firstError}\n`);
    modes.push(result);
  }
  const fit = options.fit ? fitFusion(storeLists(dataset, kept), dataset.relevant, ingest.corpusIdOf, DEFAULT_RRF_K) : null;
  let answers: AnswerReport | null = null;
  if (options.answers > 0) answers = await evaluateAnswers({ client, collection, generator: options.generator, corpusIdOf: ingest.corpusIdOf }, dataset, options.answers);
  return {
    ingest: {
      documents: ingest.documents,
      indexed: ingest.indexed,
      failed: ingest.failures.length,
      failures: ingest.failures,
      chunks: ingest.chunks,
      seconds: ingest.seconds,
      submitSeconds: ingest.submitSeconds,
      documentsPerSecond: ingest.seconds > 0 ? ingest.indexed / ingest.seconds : 0,
      chunksPerSecond: ingest.seconds > 0 ? ingest.chunks / ingest.seconds : 0,
    },
    modes,
    fit,
    answers,
  };
}

/** The keyword and vector lists of every query both modes answered, with each store's own score. */
function storeLists(dataset: Dataset, kept: ReadonlyMap<RetrievalStore, ReadonlyMap<string, readonly SearchHit[]>>): QueryLists[] {
  const toStoreHits = (store: RetrievalStore, hits: readonly SearchHit[]): StoreHit[] =>
    hits.map((hit) => {
      const score = hit.scores?.[store];
      if (score === undefined) throw new Error(`The product returned no ${store} score for its hits: fitting needs a build that reports each store's score (hits[].scores).`);
      return { chunkId: hit.chunkId, documentId: hit.documentId, version: hit.version, score };
    });
  return dataset.queries.flatMap((query): QueryLists[] => {
    const keyword = kept.get('keyword')?.get(query.id);
    const vector = kept.get('vector')?.get(query.id);
    return keyword && vector ? [{ queryId: query.id, lists: { keyword: toStoreHits('keyword', keyword), vector: toStoreHits('vector', vector) } }] : [];
  });
}

/** Combinations of options that cannot work, refused before anything starts. */
function requireConsistent(options: EvalOptions): void {
  if (options.fit && !(options.modes.includes('keyword') && options.modes.includes('vector'))) throw new UsageError('--fit needs the keyword and vector modes in --modes: it fuses their lists.');
  const needEmbeddings = options.peers.filter((peer) => PEERS_NEEDING_EMBEDDINGS.includes(peer));
  if (needEmbeddings.length > 0 && options.embedder !== 'model') throw new UsageError(`--peers ${needEmbeddings.join(', ')} needs --embedder model: it ranks with the same embedding server as the product.`);
}

/**
 * The settings the product runs with beyond its defaults: `all` goes to the processes, `shown`
 * into the report (server addresses and secrets left out).
 */
function productEnvironment(options: EvalOptions): { all: Record<string, string>; shown: Record<string, string> } {
  // The evaluation is one client sending thousands of requests: lift the per-key rate limit.
  const shown: Record<string, string> = { MAX_TOP_K: String(Math.max(100, options.topK)), RATE_LIMIT_PER_KEY_PER_MINUTE: '1000000', RATE_LIMIT_PER_TENANT_PER_MINUTE: '1000000' };
  const all: Record<string, string> = {};
  if (options.embedder === 'model' || options.generator === 'model') {
    const models = testModelUrls();
    if (!models) throw new UsageError('--embedder model and --generator model need the model servers: CONTRACT_EMBEDDED_ONLY=1 is set.');
    if (options.embedder === 'model') {
      // A small CPU model embeds long passages at about one a second: small batches, long timeouts.
      Object.assign(shown, { EMBEDDER_ADAPTER: 'openai', EMBEDDING_MODEL: models.embedding.model, EMBEDDING_DIMENSIONS: String(models.embedding.dimensions), EMBED_BATCH_SIZE: '16', EMBEDDING_TIMEOUT_MS: '300000' });
      Object.assign(all, { EMBEDDING_URL: models.embedding.url, ...(models.embedding.inputTypeField ? { EMBEDDING_INPUT_TYPE_FIELD: models.embedding.inputTypeField } : {}) });
    }
    if (options.generator === 'model') {
      Object.assign(shown, { GENERATOR_ADAPTER: 'openai', CHAT_MODEL: models.chat.model, CHAT_TIMEOUT_MS: '300000' });
      all.CHAT_URL = models.chat.url;
    }
  }
  if (options.productEnv) Object.assign(shown, readEnvFile(options.productEnv));
  return { all: { ...all, ...shown }, shown };
}

/** KEY=value lines; blank lines and # comments skipped. */
function readEnvFile(file: string): Record<string, string> {
  if (!existsSync(file)) throw new UsageError(`--env: there is no file at ${file}.`);
  const settings: Record<string, string> = {};
  readFileSync(file, 'utf8')
    .split('\n')
    .forEach((line, i) => {
      const text = line.trim();
      if (text.length === 0 || text.startsWith('#')) return;
      const match = /^([A-Z][A-Z0-9_]*)=(.*)$/.exec(text);
      if (!match) throw new UsageError(`--env: line ${i + 1} of ${file} is not KEY=value: "${text}".`);
      settings[match[1] as string] = match[2] as string;
    });
  return settings;
}

function peerJob(options: EvalOptions): PeerJob {
  const models = options.embedder === 'model' ? testModelUrls() : null;
  return {
    peers: options.peers,
    topK: options.topK,
    embedding: models ? { url: models.embedding.url, model: models.embedding.model, inputTypeField: models.embedding.inputTypeField } : null,
    elasticsearchUrl: options.peers.includes('elasticsearch-bm25') ? (testStoreUrls()?.elasticsearchUrl ?? null) : null,
    slowPeerQueries: options.slowPeerQueries,
  };
}

/** Documents ingested by a quick whole-document run: the queries' own, topped up to this many. */
const WHOLE_DOCUMENTS_QUICK = 40;

/** Corpus (article) ids of the hits' texts, best hit first, without repeats. */
function articleRanking(hits: SearchResult['hits'], corpusIdOf: ReadonlyMap<string, string>, whole: WholeDocuments): string[] {
  const ranking: string[] = [];
  for (const hit of hits) {
    const documentId = corpusIdOf.get(hit.documentId);
    if (documentId === undefined) continue;
    for (const article of whole.articlesOf(documentId, hit.text)) if (!ranking.includes(article)) ranking.push(article);
  }
  return ranking;
}

function requireBuilt(profile: EvalOptions['profile']): void {
  const entries = profile === 'embedded' ? [ENTRY.allInOne] : [ENTRY.gateway, ENTRY.ingest, ENTRY.worker];
  const missing = entries.filter((entry) => !existsSync(join(PROJECT_ROOT, entry)));
  if (missing.length > 0) throw new NotBuiltError(`The product is not built (${missing.join(', ')} is missing): run npm run build first.`);
}

/** Embedded: the all-in-one on a fresh temporary data folder, removed again when it stops. */
async function startProduct(options: EvalOptions, env: Readonly<Record<string, string>>, signal: AbortSignal): Promise<Deployment> {
  if (options.profile === 'full') return startFull({ namespacePrefix: 'rag_test_eval', env, workers: options.workers, signal });
  const dataDir = mkdtempSync(join(tmpdir(), 'rag-eval-'));
  try {
    const service = await startEmbedded(dataDir, env, signal);
    return { ...service, stop: () => service.stop().finally(() => rmSync(dataDir, { recursive: true, force: true })) };
  } catch (error) {
    rmSync(dataDir, { recursive: true, force: true });
    throw error;
  }
}

async function writeOutputs(report: EvalReport, options: EvalOptions): Promise<void> {
  process.stdout.write(markdownReport(report));
  if (options.json) {
    writeFileAt(options.json, `${JSON.stringify(report, null, 2)}\n`);
    process.stderr.write(`Wrote ${resolve(options.json)}\n`);
  }
  if (options.fit && report.fit) {
    writeFileAt(options.fit, fusionEnvFile(report.fit, [`Fitted by: ${report.command}`, `commit ${report.commit.hash ?? 'unknown'}, ${report.date}, ${report.profile} profile, ${report.embedder} embedder`]));
    process.stderr.write(`Wrote ${resolve(options.fit)}\n`);
  }
  const chart = options.chart ?? (options.json ? options.json.replace(/(\.json)?$/i, '.png') : null);
  if (chart) {
    writeFileAt(chart, await renderNdcgChart(report));
    process.stderr.write(`Wrote ${resolve(chart)}\n`);
  }
}

function writeFileAt(file: string, content: string | Buffer): void {
  mkdirSync(dirname(resolve(file)), { recursive: true });
  writeFileSync(file, content);
}
