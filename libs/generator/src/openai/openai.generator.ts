import type { GenerationRequest, Generator } from '@rag/core';
import { type ChatCompletionEnd, OpenAiCompatibleClient, streamChatCompletion } from '@rag/model-client';
import { NO_ANSWER_TEXT } from '../no-answer.text';
import { ANSWER_STOP_SEQUENCES, buildAnswerPrompt } from './answer.prompt';

export interface OpenAiGeneratorSettings {
  /** The API's base URL, such as `http://127.0.0.1:8001/v1`. */
  readonly url: string;
  readonly model: string;
  readonly apiKey: string | undefined;
  readonly maxTokens: number;
  readonly temperature: number;
  /** The longest wait for the first byte of an answer, and between two of its chunks. */
  readonly timeoutMs: number;
  readonly concurrency: number;
  /** Receives each answer's token usage (the server's count, or an estimate marked as such). */
  readonly onEnd?: (end: ChatCompletionEnd, model: string) => void;
}

/** The client of the chat model server, named by its settings in every error it reports. */
export function chatModelClient(settings: Pick<OpenAiGeneratorSettings, 'url' | 'apiKey' | 'timeoutMs' | 'concurrency'>): OpenAiCompatibleClient {
  return new OpenAiCompatibleClient({
    store: 'generator',
    label: 'chat model server',
    baseUrl: settings.url,
    apiKey: settings.apiKey,
    timeoutMs: settings.timeoutMs,
    concurrency: settings.concurrency,
    settingNames: { url: 'CHAT_URL', timeout: 'CHAT_TIMEOUT_MS', apiKey: 'CHAT_API_KEY' },
  });
}

/**
 * Writes the answer with a chat model behind an OpenAI-compatible `POST /chat/completions`,
 * streamed: text is yielded as the model writes it. The model sees the question and the numbered
 * context blocks (see answer.prompt.ts) and is told to cite `[n]` after each sentence; whether it
 * did is for the answer's verification to judge. Aborting the request's signal (the client went
 * away) closes the upstream connection, so the server stops generating, and ends the answer quietly.
 */
export class OpenAiGenerator implements Generator {
  readonly name = 'openai';
  private readonly client: OpenAiCompatibleClient;

  constructor(private readonly settings: OpenAiGeneratorSettings) {
    this.client = chatModelClient(settings);
  }

  /** One cheap request at start-up (`GET /models`), so a wrong URL or key stops the service at once. */
  async verify(signal?: AbortSignal): Promise<void> {
    await this.client.getJson('/models', signal);
  }

  async *generate(request: GenerationRequest): AsyncIterable<string> {
    if (request.contexts.length === 0) {
      yield NO_ANSWER_TEXT;
      return;
    }
    const chat = {
      model: this.settings.model,
      messages: buildAnswerPrompt(request.question, request.contexts, { strict: request.strict }),
      maxTokens: this.settings.maxTokens,
      temperature: this.settings.temperature,
      stop: ANSWER_STOP_SEQUENCES,
    };
    const onEnd = this.settings.onEnd ? (end: ChatCompletionEnd) => this.settings.onEnd?.(end, this.settings.model) : undefined;
    try {
      for await (const delta of streamChatCompletion(this.client, chat, request.signal, onEnd)) {
        // Deltas already received when the caller gave up are dropped; leaving the loop closes the stream.
        if (request.signal?.aborted) return;
        yield delta;
      }
    } catch (error) {
      // The caller gave up on the answer; there is no one left to tell.
      if (request.signal?.aborted) return;
      throw error;
    }
  }
}
