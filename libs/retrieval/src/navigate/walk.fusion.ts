import type { RetrievedChunk } from '@rag/core';

/**
 * The walk's leaves and hybrid's hits in one ranking, by reciprocal rank (k as in hybrid's own
 * fusion): a leaf both rank well rises, a leaf only the walk found (its section matched) enters,
 * and hybrid's hits outside the walked sections still count. The walk is listed first, so it wins ties.
 */
export function fuseWalkWithHybrid(walked: readonly RetrievedChunk[], hybrid: readonly RetrievedChunk[], k: number): RetrievedChunk[] {
  const fused = new Map<string, { hit: RetrievedChunk; score: number; order: number }>();
  for (const list of [walked, hybrid]) {
    list.forEach((hit, index) => {
      const entry = fused.get(hit.chunkId) ?? { hit, score: 0, order: fused.size };
      entry.score += 1 / (k + index + 1);
      // Keep hybrid's per-store ranks on the hit, so the trace still shows where each store put it.
      if (list === hybrid) entry.hit = { ...entry.hit, ranks: hit.ranks };
      fused.set(hit.chunkId, entry);
    });
  }
  return [...fused.values()].sort((a, b) => b.score - a.score || a.order - b.order).map(({ hit, score }) => ({ ...hit, score: Math.round(score * 1e6) / 1e6 }));
}
