import type { TestModelUrls } from '@rag/testing';

const TIMEOUT_MS = 60_000;

/** The embedding server called directly, as the product's openai embedder calls it (one POST per batch). */
export class DirectEmbedder {
  constructor(private readonly models: TestModelUrls) {}

  async embed(input: readonly string[], inputType: 'query' | 'passage'): Promise<number[][]> {
    const { url, model, inputTypeField } = this.models.embedding;
    const response = await fetch(`${url.replace(/\/$/, '')}/embeddings`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ ...(inputTypeField ? { [inputTypeField]: inputType } : {}), model, input, encoding_format: 'float' }),
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
    if (!response.ok) throw new Error(`The embedding server at ${url} answered ${response.status}: ${(await response.text()).slice(0, 300)}`);
    const body = (await response.json()) as { data: { index: number; embedding: number[] }[] };
    return [...body.data].sort((a, b) => a.index - b.index).map((item) => item.embedding);
  }

  /** Seconds to embed the texts in batches of `batchSize`, one batch after another. */
  async timeBatches(texts: readonly string[], batchSize: number): Promise<number> {
    const started = performance.now();
    for (let start = 0; start < texts.length; start += batchSize) await this.embed(texts.slice(start, start + batchSize), 'passage');
    return (performance.now() - started) / 1000;
  }
}
