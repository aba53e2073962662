import type { RetrievalStore } from './hit';

export interface Citation {
  /** The number of the context block the answer cites, as in `[2]`. */
  readonly marker: number;
  readonly chunkId: string;
  readonly documentId: string;
  readonly version: number;
  readonly nodeId: string;
  readonly title: string;
  readonly sectionPath: readonly string[];
  /** Text copied verbatim from the chunk that supports the cited sentence. */
  readonly quote: string;
}

export interface Answer {
  readonly text: string;
  readonly citations: readonly Citation[];
  /** The generator that wrote it, e.g. `extractive`. */
  readonly generator: string;
}

export interface StageTiming {
  readonly stage: string;
  readonly ms: number;
}

export interface StoreTrace {
  readonly store: RetrievalStore;
  readonly ok: boolean;
  readonly ms: number;
  readonly hits: number;
  readonly error?: string;
}

/** The thinking pad: what happened while answering, returned to the caller and kept in the ledger. */
export interface Trace {
  readonly cache: 'hit' | 'miss' | 'bypass';
  readonly normalizedQuery: string;
  readonly stages: readonly StageTiming[];
  readonly stores: readonly StoreTrace[];
  readonly fused: readonly {
    readonly chunkId: string;
    readonly score: number;
    readonly ranks: Partial<Record<RetrievalStore, number>>;
  }[];
  /** Hits dropped after fusion because their document version is no longer active or visible. */
  readonly pruned: number;
}
