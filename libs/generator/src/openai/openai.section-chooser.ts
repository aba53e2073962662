import type { SectionChoice, SectionChooser, SectionOption } from '@rag/core';
import { type ChatCompletionEnd, type OpenAiCompatibleClient, streamChatCompletion } from '@rag/model-client';
import { chatModelClient, type OpenAiGeneratorSettings } from './openai.generator';

const LABEL_CHARS = 60;

/**
 * Asks the chat model which numbered parts of a document answer a question. The answer must be
 * numbers from the list ("3, 7"; "0" for none); anything else is null, so the walk scores lexically.
 */
export class OpenAiSectionChooser implements SectionChooser {
  private readonly client: OpenAiCompatibleClient;

  constructor(private readonly settings: OpenAiGeneratorSettings) {
    this.client = chatModelClient(settings);
  }

  async choose(question: string, options: readonly SectionOption[], maxTokens: number, signal?: AbortSignal): Promise<SectionChoice | null> {
    const messages = [
      {
        role: 'system' as const,
        content: 'You choose the parts of a document that answer a question. Reply with the numbers of the relevant parts only, best first, separated by commas, for example: 3, 7. Reply 0 if no part is relevant.',
      },
      { role: 'user' as const, content: `Question: ${question}\n\nParts:\n${options.map((o) => `${o.number}. ${Array.from(o.label).slice(0, LABEL_CHARS).join('')}`).join('\n')}\n\nRelevant parts:` },
    ];
    let text = '';
    let end: ChatCompletionEnd | undefined;
    for await (const piece of streamChatCompletion(this.client, { model: this.settings.model, messages, maxTokens, temperature: 0, stop: ['\n\n'] }, signal, (e) => (end = e))) text += piece;
    const picked = parsePicks(text, options.length);
    if (picked === null) return null;
    return { picked, promptTokens: end?.usage.promptTokens ?? 0, completionTokens: end?.usage.completionTokens ?? 0 };
  }
}

/** The numbers in the answer that name a listed part, first mention first; null when it names none and does not say 0. */
export function parsePicks(answer: string, count: number): number[] | null {
  const numbers = [...answer.matchAll(/\d+/g)].map((match) => Number(match[0]));
  const valid = [...new Set(numbers.filter((n) => n >= 1 && n <= count))];
  if (valid.length > 0) return valid;
  return numbers[0] === 0 ? [] : null;
}
