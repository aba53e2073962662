import type { ChatMessage, Citation, DependencyRole, RetrievalMode, RetrievalStore, Trace, Verification } from '@rag/core';

export interface SearchInput {
  readonly query: string;
  readonly mode: RetrievalMode;
  readonly collection: string | undefined;
  readonly topK: number;
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
}

export interface SearchResponse {
  readonly requestId: string;
  readonly hits: readonly HitView[];
  readonly degraded: readonly DependencyRole[];
  readonly trace: Trace;
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
