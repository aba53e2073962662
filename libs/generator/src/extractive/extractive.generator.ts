import type { GenerationRequest, Generator } from '@rag/core';
import { NO_ANSWER_TEXT } from '../no-answer.text';
import { pickSentences } from './sentence-picker';

export { NO_ANSWER_TEXT };

export interface ExtractiveGeneratorSettings {
  readonly maxSentences: number;
}

/**
 * Answers without a model: it quotes the retrieved sentences that best cover the question, each
 * followed by the marker of the block it came from. Every sentence is verbatim source text, so
 * every citation holds by construction. Used only when no model server is configured.
 */
export class ExtractiveGenerator implements Generator {
  readonly name = 'extractive';

  constructor(private readonly settings: ExtractiveGeneratorSettings) {}

  async *generate(request: GenerationRequest): AsyncIterable<string> {
    const picked = pickSentences(request.question, request.contexts, this.settings.maxSentences);
    if (picked.length === 0) {
      yield NO_ANSWER_TEXT;
      return;
    }
    for (const [i, sentence] of picked.entries()) {
      if (request.signal?.aborted) return;
      yield `${i === 0 ? '' : ' '}${sentence.text} [${sentence.marker}]`;
      await Promise.resolve();
    }
  }
}
