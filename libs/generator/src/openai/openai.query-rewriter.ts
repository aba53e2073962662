import type { ChatMessage, QueryRewriter } from '@rag/core';
import { type OpenAiCompatibleClient, streamChatCompletion } from '@rag/model-client';
import { chatModelClient, type OpenAiGeneratorSettings } from './openai.generator';

const MAX_TURNS = 6;
const MAX_TOKENS = 64;
/** A rewrite this much longer than question and history together is the model rambling. */
const MAX_GROWTH = 1.5;

/**
 * Asks the chat model to turn a follow-up into a standalone question. The answer is checked for
 * shape (one line, not empty, not longer than what it was built from); anything else is null, so
 * the caller falls back to its rules rather than retrieving with a model's ramble.
 */
export class OpenAiQueryRewriter implements QueryRewriter {
  private readonly client: OpenAiCompatibleClient;

  constructor(private readonly settings: OpenAiGeneratorSettings) {
    this.client = chatModelClient(settings);
  }

  async rewrite(question: string, history: readonly ChatMessage[], signal?: AbortSignal): Promise<string | null> {
    const turns = history.slice(-MAX_TURNS).map((m) => `${m.role === 'user' ? 'Customer' : 'Assistant'}: ${m.content}`);
    const messages = [
      { role: 'system' as const, content: 'Rewrite the customer\'s last question so that it can be understood without the conversation. Keep its language. Reply with the rewritten question only, on one line.' },
      { role: 'user' as const, content: `Conversation:\n${turns.join('\n')}\n\nLast question: ${question}\n\nRewritten question:` },
    ];
    let text = '';
    try {
      for await (const piece of streamChatCompletion(this.client, { model: this.settings.model, messages, maxTokens: MAX_TOKENS, temperature: 0, stop: ['\n'] }, signal)) text += piece;
    } catch {
      return null;
    }
    return acceptable(text.trim(), question, turns.join('\n'));
  }
}

function acceptable(rewritten: string, question: string, context: string): string | null {
  if (rewritten.length === 0 || rewritten.includes('\n')) return null;
  if (rewritten.length > (question.length + context.length) * MAX_GROWTH) return null;
  return rewritten;
}
