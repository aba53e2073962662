import type { FusedHit, RetrievalStore, StoreHit } from '@rag/core';

export const DEFAULT_RRF_K = 60;

export type FusionWeights = Readonly<Record<RetrievalStore, number>>;
const EQUAL_WEIGHTS: FusionWeights = { keyword: 1, vector: 1 };

/**
 * Reciprocal rank fusion (Cormack et al., 2009): each store contributes weight / (k + rank) for
 * every hit it returned, so stores with incomparable score scales can be merged; equal weights give
 * plain RRF. Ties keep the order of first appearance, which favours the store listed first.
 */
export function fuseByReciprocalRank(lists: Partial<Record<RetrievalStore, readonly StoreHit[]>>, k = DEFAULT_RRF_K, weights: FusionWeights = EQUAL_WEIGHTS): FusedHit[] {
  const fused = new Map<string, { hit: StoreHit; score: number; ranks: Partial<Record<RetrievalStore, number>>; scores: Partial<Record<RetrievalStore, number>>; order: number }>();
  for (const [store, hits] of Object.entries(lists) as [RetrievalStore, readonly StoreHit[]][]) {
    hits.forEach((hit, index) => {
      const rank = index + 1;
      const entry = fused.get(hit.chunkId) ?? { hit, score: 0, ranks: {}, scores: {}, order: fused.size };
      if (entry.ranks[store] !== undefined) return;
      entry.score += weights[store] / (k + rank);
      entry.ranks[store] = rank;
      entry.scores[store] = hit.score;
      fused.set(hit.chunkId, entry);
    });
  }
  return [...fused.values()]
    .sort((a, b) => b.score - a.score || a.order - b.order)
    .map(({ hit, score, ranks, scores }) => ({ chunkId: hit.chunkId, documentId: hit.documentId, version: hit.version, score, ranks, scores }));
}
