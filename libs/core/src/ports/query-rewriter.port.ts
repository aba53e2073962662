import type { ChatMessage } from '../domain/session';

/** Rewrites a follow-up question into one that stands alone, using the conversation so far. */
export interface QueryRewriter {
  /** The standalone question, or null when it cannot say (the caller then falls back to rules). */
  rewrite(question: string, history: readonly ChatMessage[], signal?: AbortSignal): Promise<string | null>;
}
