import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { type Deployment, ENTRY, PROJECT_ROOT, startEmbedded, startFull } from '@rag/deployment';
import { type Dataset, loadDataset } from './dataset/dataset.loader.js';
import { judgedQueries, QUICK_SUBSET, subsetOf } from './dataset/dataset.subset.js';
import { documentsFor, loadWholeDocuments, type WholeDocuments } from './dataset/whole-documents.js';
import type { EvalOptions } from './eval.options.js';
import type { EvalReport } from './report/eval.report.js';
import { markdownReport } from './report/markdown.table.js';
import { renderNdcgChart } from './report/ndcg.chart.js';
import { commitInfo, machineInfo } from './report/run.context.js';
import { ingestCorpus } from './run/ingest.runner.js';
import { ProductClient, type SearchResult } from './run/product.client.js';
import { type ModeResult, runQueries } from './run/query.runner.js';

/** The built product is what gets measured; the tool never builds it itself. */
export class NotBuiltError extends Error {}

/** Runs one evaluation end to end and writes its outputs; the product it starts is always stopped. */
export async function runEvaluation(options: EvalOptions, command: string): Promise<EvalReport> {
  const full = loadDataset(options.dataset);
  // Whole documents are few and long: the quick run keeps the queries' subset but not its article cut.
  const dataset = options.quick ? (options.wholeDocuments ? { ...subsetOf(full, QUICK_SUBSET), corpus: full.corpus } : subsetOf(full, QUICK_SUBSET)) : judgedQueries(full);
  requireBuilt(options.profile);
  const commit = commitInfo(PROJECT_ROOT);
  const date = new Date().toISOString();
  process.stderr.write(`Evaluating ${dataset.name}: ${dataset.corpus.length} documents, ${dataset.queries.length} queries, modes ${options.modes.join(', ')}, ${options.profile} profile.\n`);

  const deployment = await startProduct(options);
  const stopOnSignal = () => void deployment.stop().finally(() => process.exit(130));
  process.once('SIGINT', stopOnSignal).once('SIGTERM', stopOnSignal);
  let report: EvalReport;
  try {
    report = await measure(deployment, dataset, options, { command, date, commit });
  } catch (error) {
    const output = deployment.output().trim();
    if (output) process.stderr.write(`The product's output:\n${output.slice(-4000)}\n`);
    throw error;
  } finally {
    process.off('SIGINT', stopOnSignal).off('SIGTERM', stopOnSignal);
    await deployment.stop();
  }
  await writeOutputs(report, options);
  return report;
}

async function measure(deployment: Deployment, dataset: Dataset, options: EvalOptions, run: Pick<EvalReport, 'command' | 'date' | 'commit'>): Promise<EvalReport> {
  const client = new ProductClient(deployment.gatewayUrl, deployment.ingestUrl, deployment.adminKey);
  const collection = `eval-${dataset.name}`;
  const whole = options.wholeDocuments ? loadWholeDocuments(dataset) : null;
  const ingest = whole
    ? await ingestCorpus(client, documentsFor(whole, dataset, options.quick ? WHOLE_DOCUMENTS_QUICK : Number.MAX_SAFE_INTEGER), collection, 'text/markdown')
    : await ingestCorpus(client, dataset.corpus, collection);
  process.stderr.write(`Indexed ${ingest.indexed} of ${ingest.documents} documents (${ingest.chunks} chunks) in ${ingest.seconds.toFixed(1)} s.\n`);
  if (ingest.failures.length > 0) process.stderr.write(`${ingest.failures.length} documents were not indexed, e.g. ${ingest.failures[0]?.corpusId}: ${ingest.failures[0]?.reason}\n`);

  const modes: ModeResult[] = [];
  for (const mode of options.modes) {
    const rank = whole ? (hits: SearchResult['hits']) => articleRanking(hits, ingest.corpusIdOf, whole) : undefined;
    const result = await runQueries({ client, collection, topK: options.topK, relevant: dataset.relevant, corpusIdOf: ingest.corpusIdOf, ...(rank ? { rank } : {}) }, mode, dataset.queries);
    if (result.firstError) process.stderr.write(`${result.errors} ${mode} queries failed, e.g. ${result.firstError}\n`);
    modes.push(result);
  }
  return {
    format: 'rag-eval/1',
    dataset: { name: dataset.name, folder: dataset.folder, quick: options.quick, corpus: ingest.documents, queries: dataset.queries.length, ...(whole ? { scoredBy: 'article' as const } : {}) },
    profile: options.profile,
    topK: options.topK,
    ...run,
    machine: machineInfo(),
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
async function startProduct(options: EvalOptions): Promise<Deployment> {
  // The evaluation is one client sending thousands of requests: lift the per-key rate limit.
  const env = { MAX_TOP_K: String(Math.max(100, options.topK)), RATE_LIMIT_PER_KEY_PER_MINUTE: '1000000', RATE_LIMIT_PER_TENANT_PER_MINUTE: '1000000' };
  if (options.profile === 'full') return startFull({ namespacePrefix: 'rag_test_eval', env });
  const dataDir = mkdtempSync(join(tmpdir(), 'rag-eval-'));
  try {
    const service = await startEmbedded(dataDir, env);
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
