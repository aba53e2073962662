import type { NavigationBudget } from '@rag/core';
import type { WalkSettings } from './tree.walker';

export interface NavigationSettings {
  /** The budget of a walk when the request names none, and the most a request may ask for. */
  readonly budget: NavigationBudget;
  /** How many of hybrid's best documents a walk starts from. */
  readonly maxDocuments: number;
  readonly walk: WalkSettings;
  /** Whether the embedder is a real model worth asking (the lexical one only repeats the lexical score). */
  readonly useEmbeddings: boolean;
  readonly cacheTtlSeconds: number;
  /** `auto` navigates when hybrid's best documents have at least this many chunks. */
  readonly longDocumentChunks: number;
  readonly maxCachedTrees: number;
}

/** What a request may say about its walk: where to start, and a budget within the configured one. */
export interface NavigationRequest {
  readonly documentIds?: readonly string[];
  readonly maxModelCalls?: number;
  readonly maxTokens?: number;
  readonly maxMs?: number;
}
