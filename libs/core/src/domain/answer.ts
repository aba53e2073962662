import type { RetrievalStore } from './hit';
import type { NavigationTrace, RouteDecision } from './navigation';

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

export type SentenceVerdict = 'supported' | 'no-citation' | 'unknown-citation' | 'low-support';

/** How one sentence of an answer fared: its citations, and how much of it the cited text supports. */
export interface SentenceCheck {
  readonly sentence: string;
  readonly markers: readonly number[];
  /** Share of the sentence's terms found in the text it cites, 0..1. */
  readonly support: number;
  readonly verdict: SentenceVerdict;
}

/** The check every answer goes through before it is returned, kept with the ledger row. */
export interface Verification {
  /** True when every sentence of the returned answer cites a given block that supports it. */
  readonly passed: boolean;
  readonly minSupport: number;
  readonly sentences: readonly SentenceCheck[];
  /** Sentences taken out of the generator's answer because they failed the check. */
  readonly removed: readonly string[];
  readonly regenerated: boolean;
  /** True when the generator's answer failed twice and the extractive answer was returned instead. */
  readonly fallbackUsed: boolean;
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
  /** A follow-up question rewritten into a standalone one, with how it was done. */
  readonly rewrite?: { readonly original: string; readonly rewritten: string; readonly method: 'model' | 'rule' | 'none' };
  /** What the generator was given. */
  readonly prompt?: { readonly contextBlocks: number; readonly characters: number };
  readonly verification?: Verification;
  /** Set on a replay: the request whose answer was written again. */
  readonly replayOf?: string;
  /** The `navigate` walk: every decision with its reason and score, its cost, and what stopped it. */
  readonly navigation?: NavigationTrace;
  /** The `auto` mode's choice and why. */
  readonly route?: RouteDecision;
}
