/** A vector computed before, under the hash of the exact text that was embedded. */
export interface CachedEmbedding {
  readonly textHash: string;
  readonly vector: Float32Array;
}

/**
 * Vectors by (embedding model, text hash), so a new version of a document embeds only the chunks
 * whose text changed, and a retried event after a crash embeds nothing twice.
 */
export interface EmbeddingCache {
  /** The cached vectors among these hashes, by hash; missing hashes are simply absent. */
  cachedEmbeddings(modelId: string, textHashes: readonly string[]): Promise<Map<string, Float32Array>>;
  /** Stores vectors; an entry that exists already is left as it is. */
  saveEmbeddings(modelId: string, entries: readonly CachedEmbedding[]): Promise<void>;
}
