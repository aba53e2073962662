import { createHash } from 'node:crypto';
import type { Chunk, Embedder, EmbeddingCache, KeywordDeleteOptions, KeywordIndex, TenantId, VectorIndex } from '@rag/core';

export interface IndexWriterPorts {
  readonly embedder: Embedder;
  readonly embeddingCache: EmbeddingCache;
  readonly vectorIndex: VectorIndex;
  readonly keywordIndex: KeywordIndex;
}

/** How a write's vectors were found: embedded by the model now, or reused from the cache. */
export interface EmbeddingCounts {
  readonly embedded: number;
  readonly reused: number;
}

/** Called when every chunk of a write has its vector, before the last of them are indexed. */
export type OnEmbedded = (counts: EmbeddingCounts) => Promise<void>;

/** How many chunks are embedded before they are written, so a huge document never sits in memory whole. */
const WINDOW_CHUNKS = 2_048;

/**
 * Writes chunks to both derived indexes and removes them from both. Vectors come from the
 * embedding cache when the same model embedded the same text before (an unchanged chunk of a new
 * version, a retried event); only the rest go to the embedder, in batches.
 */
export class IndexWriter {
  constructor(
    private readonly ports: IndexWriterPorts,
    private readonly embedBatchSize: number,
  ) {}

  async write(chunks: readonly Chunk[], onEmbedded: OnEmbedded = () => Promise.resolve()): Promise<void> {
    const { vectorIndex, keywordIndex } = this.ports;
    const counts = { embedded: 0, reused: 0 };
    for (let start = 0; start < chunks.length; start += WINDOW_CHUNKS) {
      const window = chunks.slice(start, start + WINDOW_CHUNKS);
      const { vectors, embedded } = await this.vectorsOf(window);
      counts.embedded += embedded;
      counts.reused += window.length - embedded;
      if (start + WINDOW_CHUNKS >= chunks.length) await onEmbedded(counts);
      await vectorIndex.upsert(window.map((chunk, i) => ({ ...chunk, chunkId: chunk.id, vector: vectors[i] as Float32Array })));
      await keywordIndex.upsert(window.map((chunk) => ({ ...chunk, chunkId: chunk.id })));
    }
    if (chunks.length === 0) await onEmbedded(counts);
  }

  async remove(tenantId: TenantId, chunkIds: readonly string[], options?: KeywordDeleteOptions): Promise<void> {
    if (chunkIds.length === 0) return;
    await this.ports.vectorIndex.delete(tenantId, chunkIds);
    await this.ports.keywordIndex.delete(tenantId, chunkIds, options);
  }

  /** The vectors of the chunks, in their order: cached ones reused, the others embedded and cached. */
  private async vectorsOf(chunks: readonly Chunk[]): Promise<{ vectors: Float32Array[]; embedded: number }> {
    const { embedder, embeddingCache } = this.ports;
    const texts = chunks.map(embeddingText);
    const hashes = texts.map(hashText);
    const known = await embeddingCache.cachedEmbeddings(embedder.modelId, [...new Set(hashes)]);
    const missing = [...new Set(hashes.filter((hash) => !known.has(hash)))];
    const textByHash = new Map(hashes.map((hash, i) => [hash, texts[i] as string]));
    for (let start = 0; start < missing.length; start += this.embedBatchSize) {
      const batch = missing.slice(start, start + this.embedBatchSize);
      const vectors = await embedder.embed(batch.map((hash) => textByHash.get(hash) as string), 'passage');
      const entries = batch.map((textHash, i) => ({ textHash, vector: vectors[i] as Float32Array }));
      await embeddingCache.saveEmbeddings(embedder.modelId, entries);
      for (const entry of entries) known.set(entry.textHash, entry.vector);
    }
    const vectors = hashes.map((hash) => known.get(hash) as Float32Array);
    // Chunks with the same text as another chunk of the window count as reused: they cost no call.
    return { vectors, embedded: missing.length };
  }
}

/** The text a chunk is embedded as: where it sits, then what it says. */
function embeddingText(chunk: Chunk): string {
  return `${chunk.sectionPath.join(' / ')}\n${chunk.text}`;
}

function hashText(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}
