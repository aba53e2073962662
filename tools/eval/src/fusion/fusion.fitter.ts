import type { RetrievalStore, StoreHit } from '@rag/core';
import { type FusionMethod, fuseHits, type FusionWeights } from '@rag/retrieval';
import { corpusRanking } from '../metrics/document.ranking.js';
import { ndcgAt } from '../metrics/ranking.metrics.js';
import { type Split, splitOf } from './query.split.js';

/** Each store's own ranked list for one query, as the single-store modes returned it. */
export interface QueryLists {
  readonly queryId: string;
  readonly lists: Readonly<Record<RetrievalStore, readonly StoreHit[]>>;
}

export interface FusionCandidate {
  readonly method: FusionMethod;
  readonly weights: FusionWeights;
}

export interface ScoredCandidate extends FusionCandidate {
  /** Mean nDCG@10 on each split. */
  readonly dev: number;
  readonly test: number;
}

export interface FitResult {
  readonly queries: { readonly dev: number; readonly test: number };
  readonly rrfK: number;
  /** One store alone, and plain RRF (equal weights): what fusion has to beat. */
  readonly baselines: { readonly keyword: ScoredCandidate; readonly vector: ScoredCandidate; readonly plainRrf: ScoredCandidate };
  readonly bestRrf: ScoredCandidate;
  readonly bestConvex: ScoredCandidate;
  /** The best on dev among every candidate; its test figure is the honest one. */
  readonly chosen: ScoredCandidate;
  readonly candidates: readonly ScoredCandidate[];
}

const RRF_VECTOR_WEIGHTS = [0, 0.1, 0.2, 0.3, 0.5, 0.7, 1, 1.5, 2, 3, 5, 10];
const CONVEX_STEPS = 20;

/** The grid searched: weighted RRF (keyword 1, vector weight varied) and convex weights summing to 1. */
export function fusionGrid(): FusionCandidate[] {
  const rrf = RRF_VECTOR_WEIGHTS.map((vector): FusionCandidate => ({ method: 'rrf', weights: { keyword: 1, vector } }));
  const convex = Array.from({ length: CONVEX_STEPS + 1 }, (_, i): FusionCandidate => {
    const vector = round(i / CONVEX_STEPS);
    return { method: 'convex', weights: { keyword: round(1 - vector), vector } };
  });
  return [...rrf, { method: 'rrf', weights: { keyword: 0, vector: 1 } }, ...convex];
}

/**
 * Scores every candidate offline with the product's own fusion code over the lists each store
 * returned, and picks the best by dev nDCG@10. Ties go to the earlier candidate in the grid.
 */
export function fitFusion(queries: readonly QueryLists[], relevant: ReadonlyMap<string, ReadonlySet<string>>, corpusIdOf: ReadonlyMap<string, string>, rrfK: number): FitResult {
  const splits = queries.map((query) => splitOf(query.queryId));
  const score = (candidate: FusionCandidate, only?: RetrievalStore): ScoredCandidate => {
    const sums: Record<Split, number> = { dev: 0, test: 0 };
    queries.forEach((query, i) => {
      const lists = only ? { [only]: query.lists[only] } : query.lists;
      const fused = fuseHits(lists, { method: candidate.method, rrfK, weights: candidate.weights });
      sums[splits[i] as Split] += ndcgAt(10, corpusRanking(fused, corpusIdOf), relevant.get(query.queryId) ?? new Set<string>());
    });
    const count = (split: Split) => splits.filter((s) => s === split).length;
    return { ...candidate, dev: mean(sums.dev, count('dev')), test: mean(sums.test, count('test')) };
  };
  const candidates = fusionGrid().map((candidate) => score(candidate));
  const best = (method: FusionMethod) => bestOnDev(candidates.filter((candidate) => candidate.method === method));
  return {
    queries: { dev: splits.filter((s) => s === 'dev').length, test: splits.filter((s) => s === 'test').length },
    rrfK,
    baselines: {
      keyword: score({ method: 'rrf', weights: { keyword: 1, vector: 0 } }, 'keyword'),
      vector: score({ method: 'rrf', weights: { keyword: 0, vector: 1 } }, 'vector'),
      plainRrf: score({ method: 'rrf', weights: { keyword: 1, vector: 1 } }),
    },
    bestRrf: best('rrf'),
    bestConvex: best('convex'),
    chosen: bestOnDev(candidates),
    candidates,
  };
}

/** The env file the services read (docker compose `env_file`, or `set -a; source FILE`). */
export function fusionEnvFile(fit: FitResult, provenance: readonly string[]): string {
  const { chosen, baselines } = fit;
  const f = (value: number) => value.toFixed(3);
  return [
    ...provenance.map((line) => `# ${line}`),
    `# nDCG@10 dev ${f(chosen.dev)} (${fit.queries.dev} queries), held-out test ${f(chosen.test)} (${fit.queries.test} queries);`,
    `# on test: keyword alone ${f(baselines.keyword.test)}, vector alone ${f(baselines.vector.test)}, plain RRF ${f(baselines.plainRrf.test)}.`,
    `FUSION_METHOD=${chosen.method}`,
    `FUSION_WEIGHT_KEYWORD=${chosen.weights.keyword}`,
    `FUSION_WEIGHT_VECTOR=${chosen.weights.vector}`,
    ...(chosen.method === 'rrf' ? [`RRF_K=${fit.rrfK}`] : []),
    '',
  ].join('\n');
}

function bestOnDev(candidates: readonly ScoredCandidate[]): ScoredCandidate {
  const first = candidates[0];
  if (!first) throw new Error('No fusion candidates to choose from.');
  return candidates.reduce((best, candidate) => (candidate.dev > best.dev ? candidate : best), first);
}

function mean(sum: number, count: number): number {
  return count === 0 ? 0 : sum / count;
}

function round(value: number): number {
  return Math.round(value * 1000) / 1000;
}
