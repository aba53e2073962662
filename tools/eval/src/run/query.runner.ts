import type { RetrievalMode } from '@rag/core';
import type { DatasetQuery } from '../dataset/dataset.loader.js';
import { corpusRanking } from '../metrics/document.ranking.js';
import { summarizeLatency, type LatencySummary } from '../metrics/latency.summary.js';
import { meanMetrics, rankingMetrics, type RankingMetrics } from '../metrics/ranking.metrics.js';
import { type ProductClient, ProductError, type SearchHit, type SearchResult } from './product.client.js';
import { progressBar } from './progress.bar.js';

export interface ModeResult {
  readonly mode: RetrievalMode;
  readonly queries: number;
  readonly metrics: RankingMetrics;
  /** Client-side, from sending the request to having parsed the answer, one query at a time. */
  readonly latencyMs: LatencySummary;
  readonly queriesPerSecond: number;
  /** Answers in which a store was reported degraded (slow or failed): their hits are partial. */
  readonly degraded: number;
  /** Queries the product refused or failed; they score 0. */
  readonly errors: number;
  readonly firstError: string | null;
  /** Answers served from the product's cache (repeated query texts). */
  readonly cacheHits: number;
  /** Mean number of distinct documents among the hits. */
  readonly meanDocumentsReturned: number;
  /** Mean chat-model calls per query spent by navigation (0 for the flat modes). */
  readonly modelCallsPerQuery: number;
  /** Queries that walked a document tree: every one in `navigate`, those the router sent there in `auto`. */
  readonly navigated: number;
}

export interface QueryRun {
  readonly client: ProductClient;
  readonly collection: string;
  readonly topK: number;
  readonly relevant: ReadonlyMap<string, ReadonlySet<string>>;
  readonly corpusIdOf: ReadonlyMap<string, string>;
  /** Turns hits into the ranking of corpus ids that is scored; by default one id per hit's document. */
  readonly rank?: (hits: SearchResult['hits']) => string[];
  /** When given, every query's hits are kept here by query id (for fitting fusion weights). */
  readonly keep?: Map<string, readonly SearchHit[]>;
}

/** Runs every query in one mode, one at a time, and scores the rankings by document. */
export async function runQueries(run: QueryRun, mode: RetrievalMode, queries: readonly DatasetQuery[]): Promise<ModeResult> {
  const bar = progressBar(`Queries (${mode})`, queries.length);
  const perQuery: RankingMetrics[] = [];
  const latencies: number[] = [];
  let degraded = 0;
  let errors = 0;
  let firstError: string | null = null;
  let cacheHits = 0;
  let documentsReturned = 0;
  let modelCalls = 0;
  let navigated = 0;
  const started = performance.now();
  for (const [i, query] of queries.entries()) {
    const relevant = run.relevant.get(query.id) ?? new Set<string>();
    const sent = performance.now();
    try {
      const result = await run.client.search({ query: query.text, mode, collection: run.collection, topK: run.topK });
      latencies.push(performance.now() - sent);
      run.keep?.set(query.id, result.hits);
      const ranking = run.rank ? run.rank(result.hits) : corpusRanking(result.hits, run.corpusIdOf);
      perQuery.push(rankingMetrics(ranking, relevant));
      documentsReturned += run.rank ? new Set(result.hits.map((hit) => hit.documentId)).size : ranking.length;
      modelCalls += result.trace.navigation?.modelCalls ?? 0;
      if (result.trace.navigation) navigated++;
      if (result.degraded.length > 0) degraded++;
      if (result.trace.cache === 'hit') cacheHits++;
    } catch (error) {
      if (!(error instanceof ProductError)) throw error;
      errors++;
      firstError ??= `${query.id}: ${error.message}`;
      perQuery.push(rankingMetrics([], relevant));
    }
    bar.update(i + 1);
  }
  const seconds = (performance.now() - started) / 1000;
  bar.stop();
  return {
    mode,
    queries: queries.length,
    metrics: meanMetrics(perQuery),
    latencyMs: summarizeLatency(latencies),
    queriesPerSecond: seconds > 0 ? queries.length / seconds : 0,
    degraded,
    errors,
    firstError,
    cacheHits,
    meanDocumentsReturned: queries.length > 0 ? documentsReturned / queries.length : 0,
    modelCallsPerQuery: queries.length > 0 ? modelCalls / queries.length : 0,
    navigated,
  };
}
