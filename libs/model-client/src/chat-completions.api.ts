import { z } from 'zod';
import type { OpenAiCompatibleClient } from './openai-compatible.client';
import { approximateTokenCount, type TokenUsage } from './token.usage';

export interface ChatMessage {
  readonly role: 'system' | 'user' | 'assistant';
  readonly content: string;
}

export interface ChatCompletionRequest {
  readonly model: string;
  readonly messages: readonly ChatMessage[];
  readonly maxTokens: number;
  readonly temperature: number;
  /** Up to four strings that end the answer where they would appear; they are not part of it. */
  readonly stop?: readonly string[];
}

export interface ChatCompletionEnd {
  readonly usage: TokenUsage;
  /** `stop`, `length` (max tokens reached), ...; null when the stream ended without saying, or was cut. */
  readonly finishReason: string | null;
}

const PATH = '/chat/completions';
const DONE = '[DONE]';

const usageSchema = z.object({ prompt_tokens: z.number().int().nonnegative(), completion_tokens: z.number().int().nonnegative() });
const chunkSchema = z.object({
  choices: z
    .array(z.object({ delta: z.object({ content: z.string().nullish() }).nullish(), finish_reason: z.string().nullish() }))
    .nullish(),
  usage: usageSchema.nullish(),
  error: z.union([z.string(), z.object({ message: z.string().optional() })]).optional(),
});

/**
 * `POST /chat/completions` with `stream: true`: yields the answer's text deltas as they come. When
 * the stream ends, however it ends, `onEnd` receives the token usage: the server's, from the final
 * chunk (asked for with `stream_options.include_usage`), or an estimate marked `approximate` when
 * the server sent none or the stream was cut short.
 */
export async function* streamChatCompletion(
  client: OpenAiCompatibleClient,
  request: ChatCompletionRequest,
  signal?: AbortSignal,
  onEnd?: (end: ChatCompletionEnd) => void,
): AsyncGenerator<string> {
  const body = {
    model: request.model,
    messages: request.messages,
    max_tokens: request.maxTokens,
    temperature: request.temperature,
    ...(request.stop && request.stop.length > 0 ? { stop: request.stop } : {}),
    stream: true,
    stream_options: { include_usage: true },
  };
  let text = '';
  let reported: z.infer<typeof usageSchema> | undefined;
  let finishReason: string | null = null;
  try {
    for await (const data of client.postStream(PATH, body, signal)) {
      if (data.trim() === DONE) break;
      const chunk = parseChunk(client, data);
      if (chunk.usage) reported = chunk.usage;
      for (const choice of chunk.choices ?? []) {
        finishReason = choice.finish_reason ?? finishReason;
        const delta = choice.delta?.content;
        if (delta) {
          text += delta;
          yield delta;
        }
      }
    }
  } finally {
    onEnd?.({ usage: usageOf(reported, request.messages, text), finishReason });
  }
}

function parseChunk(client: OpenAiCompatibleClient, data: string): z.infer<typeof chunkSchema> {
  let json: unknown;
  try {
    json = JSON.parse(data);
  } catch {
    throw client.unexpected('POST', PATH, `an event that is not JSON: ${data.slice(0, 200)}`);
  }
  const parsed = chunkSchema.safeParse(json);
  if (!parsed.success) throw client.unexpected('POST', PATH, `an event that is not a chat completion chunk (${parsed.error.issues[0]?.message ?? 'invalid'})`);
  const error = parsed.data.error;
  if (error !== undefined) throw client.unexpected('POST', PATH, `an error in mid-answer: ${typeof error === 'string' ? error : (error.message ?? 'no message')}`);
  return parsed.data;
}

function usageOf(reported: z.infer<typeof usageSchema> | undefined, messages: readonly ChatMessage[], answer: string): TokenUsage {
  if (reported) return { promptTokens: reported.prompt_tokens, completionTokens: reported.completion_tokens, approximate: false };
  return {
    promptTokens: messages.reduce((sum, message) => sum + approximateTokenCount(message.content), 0),
    completionTokens: approximateTokenCount(answer),
    approximate: true,
  };
}
