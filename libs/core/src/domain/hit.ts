import type { Chunk } from './chunk';

export const STORE_NAMES = ['vector', 'keyword'] as const;
/** A retrieval channel, named by its role rather than its product. */
export type RetrievalStore = (typeof STORE_NAMES)[number];

/**
 * `navigate` walks the structure tree of the best documents; `auto` chooses hybrid or navigate per
 * question and says why in the trace.
 */
export const RETRIEVAL_MODES = ['hybrid', 'keyword', 'vector', 'navigate', 'auto'] as const;
export type RetrievalMode = (typeof RETRIEVAL_MODES)[number];
/** The modes that search the indexes directly, without a walk. */
export type FlatRetrievalMode = Exclude<RetrievalMode, 'navigate' | 'auto'>;

/** One ranked result from one store, before fusion. */
export interface StoreHit {
  readonly chunkId: string;
  readonly documentId: string;
  readonly version: number;
  readonly score: number;
}

/** A hit after fusion: its fused score and where each store ranked it (1-based). */
export interface FusedHit {
  readonly chunkId: string;
  readonly documentId: string;
  readonly version: number;
  readonly score: number;
  readonly ranks: Partial<Record<RetrievalStore, number>>;
  /** Each store's own score, so fusion weights can be fitted from what the API returns. */
  readonly scores?: Partial<Record<RetrievalStore, number>>;
}

/** A fused hit joined with its chunk from the source of truth. */
export interface RetrievedChunk extends FusedHit {
  readonly chunk: Chunk;
}
