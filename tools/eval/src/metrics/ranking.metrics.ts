/**
 * Ranking metrics with binary relevance: a document is relevant when its qrels score is above 0,
 * and every relevant document counts the same. `ranking` is a list of corpus ids, best first,
 * without duplicates; `relevant` is the set of relevant corpus ids of one query.
 */

/** nDCG@k: DCG of the first k results (1 / log2(rank + 1) per relevant one) over the best possible DCG. */
export function ndcgAt(k: number, ranking: readonly string[], relevant: ReadonlySet<string>): number {
  if (relevant.size === 0) return 0;
  let dcg = 0;
  ranking.slice(0, k).forEach((id, index) => {
    if (relevant.has(id)) dcg += 1 / Math.log2(index + 2);
  });
  let ideal = 0;
  for (let index = 0; index < Math.min(k, relevant.size); index++) ideal += 1 / Math.log2(index + 2);
  return dcg / ideal;
}

/** Recall@k: the share of the relevant documents found in the first k results. */
export function recallAt(k: number, ranking: readonly string[], relevant: ReadonlySet<string>): number {
  if (relevant.size === 0) return 0;
  const found = ranking.slice(0, k).filter((id) => relevant.has(id)).length;
  return found / relevant.size;
}

/** Reciprocal rank within the first k results: 1 / rank of the first relevant one, 0 if none. */
export function reciprocalRankAt(k: number, ranking: readonly string[], relevant: ReadonlySet<string>): number {
  const index = ranking.slice(0, k).findIndex((id) => relevant.has(id));
  return index === -1 ? 0 : 1 / (index + 1);
}

/** The metrics reported per query and, averaged, per mode. */
export interface RankingMetrics {
  readonly ndcg10: number;
  readonly recall1: number;
  readonly recall5: number;
  readonly recall10: number;
  readonly recall100: number;
  readonly mrr10: number;
}

export const METRIC_NAMES = ['ndcg10', 'recall1', 'recall5', 'recall10', 'recall100', 'mrr10'] as const satisfies readonly (keyof RankingMetrics)[];

export function rankingMetrics(ranking: readonly string[], relevant: ReadonlySet<string>): RankingMetrics {
  return {
    ndcg10: ndcgAt(10, ranking, relevant),
    recall1: recallAt(1, ranking, relevant),
    recall5: recallAt(5, ranking, relevant),
    recall10: recallAt(10, ranking, relevant),
    recall100: recallAt(100, ranking, relevant),
    mrr10: reciprocalRankAt(10, ranking, relevant),
  };
}

/** The mean of each metric over queries; all zeros for no queries. */
export function meanMetrics(perQuery: readonly RankingMetrics[]): RankingMetrics {
  const mean = (name: keyof RankingMetrics) => (perQuery.length === 0 ? 0 : perQuery.reduce((sum, metrics) => sum + metrics[name], 0) / perQuery.length);
  return { ndcg10: mean('ndcg10'), recall1: mean('recall1'), recall5: mean('recall5'), recall10: mean('recall10'), recall100: mean('recall100'), mrr10: mean('mrr10') };
}
