import type { ChatMessage, Citation, DependencyRole, RetrievalMode, RetrievalStore, Trace, Verification } from '@rag/core';
import type { NavigationRequest } from '@rag/retrieval';

export interface SearchInput {
  readonly query: string;
  readonly mode: RetrievalMode;
  readonly collection: string | undefined;
  readonly topK: number;
  /** For `navigate` (and `auto` when it walks): where to start and the budget. */
  readonly navigation?: NavigationRequest;
}

export interface ChatInput extends SearchInput {
  /** Continue this stored conversation; omitted (and no `history`), a new one starts. */
  readonly sessionId: string | undefined;
  /** Earlier turns sent by the client itself (OpenAI style): nothing is stored server-side. */
  readonly history?: readonly ChatMessage[];
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
  /** Each store's own score for this hit (BM25, cosine), before fusion. */
  readonly scores: Partial<Record<RetrievalStore, number>>;
}

export interface SearchResponse {
  readonly requestId: string;
  readonly hits: readonly HitView[];
  readonly degraded: readonly DependencyRole[];
  readonly trace: Trace;
  /** Set when a navigation budget ran out: the result is what the walk had found by then. */
  readonly notice?: string;
}

export interface ChatResponse {
  readonly requestId: string;
  /** The stored conversation this turn belongs to; null when the client keeps the history itself. */
  readonly sessionId: string | null;
  readonly answer: string;
  readonly citations: readonly Citation[];
  readonly verification: Verification;
  readonly generator: string;
  readonly degraded: readonly DependencyRole[];
  readonly trace: Trace;
  /** Set when a navigation budget ran out: the answer rests on what the walk had found by then. */
  readonly notice?: string;
}

export interface ReplayResponse extends Omit<ChatResponse, 'sessionId'> {
  readonly replayOf: string;
  /** Whether the replay wrote the same answer as the original request. */
  readonly sameAnswer: boolean;
  readonly original: { readonly answer: string | null; readonly citations: readonly Citation[] };
}

/** Server-sent events of a streamed chat, in the order they are sent. */
export type ChatEvent =
  | { readonly type: 'retrieval'; readonly hits: readonly HitView[] }
  | { readonly type: 'degraded'; readonly stores: readonly DependencyRole[] }
  | { readonly type: 'token'; readonly text: string }
  | { readonly type: 'citation'; readonly citation: Citation }
  | { readonly type: 'verification'; readonly verification: Verification }
  | { readonly type: 'done'; readonly response: ChatResponse };
