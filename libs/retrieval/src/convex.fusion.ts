import type { FusedHit, RetrievalStore, StoreHit } from '@rag/core';
import type { FusionWeights } from './rrf.fusion';

/**
 * Scores are normalised against each list's first hits only. Every request asks each store for
 * at least this many candidates (MIN_CANDIDATES), so a hit's normalised score is the same whatever
 * topK the caller asked for, and weights fitted at one depth hold at another.
 */
export const NORMALISATION_DEPTH = 20;

/**
 * Normalised weighted (convex) fusion, after Bruch et al. (2022, arXiv 2210.11934): each store's
 * scores are min-max normalised over its first NORMALISATION_DEPTH hits (the best maps to 1, the
 * twentieth to 0, deeper hits are clamped to 0), then summed with the stores' weights. A hit a
 * store did not return gets 0 from it. Unlike RRF it keeps how far ahead the best hits are, which
 * is what lets a strong store carry the ranking. Ties keep the order of first appearance.
 */
export function fuseByConvexCombination(lists: Partial<Record<RetrievalStore, readonly StoreHit[]>>, weights: FusionWeights): FusedHit[] {
  const fused = new Map<string, { hit: StoreHit; score: number; ranks: Partial<Record<RetrievalStore, number>>; scores: Partial<Record<RetrievalStore, number>>; order: number }>();
  for (const [store, hits] of Object.entries(lists) as [RetrievalStore, readonly StoreHit[]][]) {
    const normalise = minMaxOverHead(hits);
    hits.forEach((hit, index) => {
      const entry = fused.get(hit.chunkId) ?? { hit, score: 0, ranks: {}, scores: {}, order: fused.size };
      if (entry.ranks[store] !== undefined) return;
      entry.score += weights[store] * normalise(hit.score);
      entry.ranks[store] = index + 1;
      entry.scores[store] = hit.score;
      fused.set(hit.chunkId, entry);
    });
  }
  return [...fused.values()]
    .sort((a, b) => b.score - a.score || a.order - b.order)
    .map(({ hit, score, ranks, scores }) => ({ chunkId: hit.chunkId, documentId: hit.documentId, version: hit.version, score, ranks, scores }));
}

/** Maps a store's score to [0, 1] against the best and the NORMALISATION_DEPTH-th score of its list. */
function minMaxOverHead(hits: readonly StoreHit[]): (score: number) => number {
  const head = hits.slice(0, NORMALISATION_DEPTH).map((hit) => hit.score);
  if (head.length === 0) return () => 0;
  const high = Math.max(...head);
  const low = Math.min(...head);
  // One hit, or all equal: nothing tells them apart, so each counts fully.
  if (high === low) return (score) => (score >= high ? 1 : 0);
  return (score) => Math.max(0, (score - low) / (high - low));
}
