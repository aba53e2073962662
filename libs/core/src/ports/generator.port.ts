import type { Chunk } from '../domain/chunk';

/** A numbered piece of retrieved text the generator may cite as `[marker]`. */
export interface ContextBlock {
  readonly marker: number;
  readonly chunk: Chunk;
}

export interface GenerationRequest {
  readonly question: string;
  readonly contexts: readonly ContextBlock[];
  readonly signal?: AbortSignal;
  /** Set on a second attempt after the first answer failed verification: cite more carefully. */
  readonly strict?: boolean;
}

/**
 * Writes an answer from the context blocks only, citing them with `[n]` after each sentence.
 * Yields the answer text in pieces as it is produced.
 */
export interface Generator {
  readonly name: string;
  generate(request: GenerationRequest): AsyncIterable<string>;
}
