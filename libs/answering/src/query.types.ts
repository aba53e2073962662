import type { Citation, RetrievalMode, RetrievalStore, Trace } from '@rag/core';

export interface SearchInput {
  readonly query: string;
  readonly mode: RetrievalMode;
  readonly collection: string | undefined;
  readonly topK: number;
}

/** A hit as the API returns it. */
export interface HitView {
  readonly chunkId: string;
  readonly documentId: string;
  readonly version: number;
  readonly nodeId: string;
  readonly title: string;
  readonly sectionPath: readonly string[];
  readonly text: string;
  readonly score: number;
  readonly ranks: Partial<Record<RetrievalStore, number>>;
}

export interface SearchResponse {
  readonly requestId: string;
  readonly hits: readonly HitView[];
  readonly degraded: readonly RetrievalStore[];
  readonly trace: Trace;
}

export interface ChatResponse {
  readonly requestId: string;
  readonly answer: string;
  readonly citations: readonly Citation[];
  readonly generator: string;
  readonly degraded: readonly RetrievalStore[];
  readonly trace: Trace;
}

/** Server-sent events of a streamed chat, in the order they are sent. */
export type ChatEvent =
  | { readonly type: 'retrieval'; readonly hits: readonly HitView[] }
  | { readonly type: 'degraded'; readonly stores: readonly RetrievalStore[] }
  | { readonly type: 'token'; readonly text: string }
  | { readonly type: 'citation'; readonly citation: Citation }
  | { readonly type: 'done'; readonly response: ChatResponse };
