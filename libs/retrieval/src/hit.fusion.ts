import type { FusedHit, RetrievalStore, StoreHit } from '@rag/core';
import { fuseByConvexCombination } from './convex.fusion';
import { fuseByReciprocalRank, type FusionWeights } from './rrf.fusion';

export const FUSION_METHODS = ['rrf', 'convex'] as const;
export type FusionMethod = (typeof FUSION_METHODS)[number];

export interface FusionSettings {
  readonly method: FusionMethod;
  /** Used by RRF only. */
  readonly rrfK: number;
  readonly weights: FusionWeights;
}

/** Fuses the stores' ranked lists with the configured method (FUSION_METHOD). */
export function fuseHits(lists: Partial<Record<RetrievalStore, readonly StoreHit[]>>, settings: FusionSettings): FusedHit[] {
  switch (settings.method) {
    case 'rrf':
      return fuseByReciprocalRank(lists, settings.rrfK, settings.weights);
    case 'convex':
      return fuseByConvexCombination(lists, settings.weights);
  }
}
