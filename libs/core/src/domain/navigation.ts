/** Limits on one navigation walk; whichever runs out first stops the walk. */
export interface NavigationBudget {
  /** Calls to the chat model that picks sections; 0 walks by the lexical scorer alone. */
  readonly maxModelCalls: number;
  /** Prompt and completion tokens of those calls together. */
  readonly maxTokens: number;
  /** Wall-clock time of the whole walk. */
  readonly maxMs: number;
}

export type BudgetName = keyof NavigationBudget;

/** How the children of one node were scored: by the chat model, or lexically (with embeddings when a model embeds). */
export type ChildScorer = 'model' | 'lexical' | 'lexical+embedding';

/** One child a step kept, with its score (0..1, relative to the best sibling) and why. */
export interface KeptChild {
  readonly nodeId: string;
  readonly heading: string;
  readonly score: number;
  readonly reason: string;
}

/** One step of the scratchpad: at `nodeId`, which children were kept and why the rest were not. */
export interface NavigationDecision {
  readonly documentId: string;
  readonly version: number;
  readonly level: number;
  readonly nodeId: string;
  readonly heading: string;
  readonly scorer: ChildScorer;
  readonly candidates: number;
  readonly kept: readonly KeptChild[];
  readonly dropped: number;
  /** Why the step ended the way it did, e.g. that the model's answer could not be read. */
  readonly note?: string;
}

/** What the walk did, returned in the trace (the scratchpad) and kept in the ledger. */
export interface NavigationTrace {
  /** Where the walk started: the documents hybrid ranked highest, or those named in the request. */
  readonly start: 'hybrid' | 'request';
  readonly documents: readonly { readonly documentId: string; readonly version: number; readonly title: string; readonly chunks: number; readonly cached: boolean }[];
  readonly decisions: readonly NavigationDecision[];
  /** The nodes whose leaves were collected, in the order they were ranked. */
  readonly collected: readonly string[];
  readonly modelCalls: number;
  readonly tokens: number;
  readonly ms: number;
  readonly budget: NavigationBudget;
  /** The budget that ran out and stopped the walk early; null when the walk finished. */
  readonly stoppedBy: BudgetName | null;
}

/** Why `auto` chose the mode it did. */
export interface RouteDecision {
  readonly chosen: 'hybrid' | 'navigate';
  readonly reason: string;
  readonly signals: Readonly<Record<string, number | boolean>>;
}
