/** Queries and passages may be embedded differently (e5-style models mark them). */
export type EmbeddingPurpose = 'query' | 'passage';

export interface Embedder {
  /** Identifies the model, so vectors from different models are never mixed. */
  readonly modelId: string;
  readonly dimensions: number;
  embed(texts: readonly string[], purpose: EmbeddingPurpose, signal?: AbortSignal): Promise<Float32Array[]>;
}
