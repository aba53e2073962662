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

/** One event's share of a write: its chunks, and whom to tell when their vectors are known. */
export interface WriteGroup {
  readonly chunks: readonly Chunk[];
  readonly onEmbedded?: OnEmbedded;
}

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

  async write(chunks: readonly Chunk[], onEmbedded: OnEmbedded = noCallback): Promise<void> {
    await this.writeMany([{ chunks, onEmbedded }]);
  }

  /**
   * Writes several events' chunks as one: one embedding pass, one upsert to each index per window.
   * Each group is told its own counts once every vector is known, before the last window is indexed.
   */
  async writeMany(groups: readonly WriteGroup[]): Promise<void> {
    const { vectorIndex, keywordIndex } = this.ports;
    const chunks = groups.flatMap((group) => group.chunks);
    const hashes = chunks.map(embeddingHash);
    const embeddedNow = new Set<string>();
    for (let start = 0; start < chunks.length; start += WINDOW_CHUNKS) {
      const window = chunks.slice(start, start + WINDOW_CHUNKS);
      const vectors = await this.vectorsOf(window, hashes.slice(start, start + WINDOW_CHUNKS), embeddedNow);
      if (start + WINDOW_CHUNKS >= chunks.length) await tellCounts(groups, hashes, embeddedNow);
      await vectorIndex.upsert(window.map((chunk, i) => ({ ...chunk, chunkId: chunk.id, vector: vectors[i] as Float32Array })));
      await keywordIndex.upsert(window.map((chunk) => ({ ...chunk, chunkId: chunk.id })));
    }
    if (chunks.length === 0) await tellCounts(groups, hashes, embeddedNow);
  }

  async remove(tenantId: TenantId, chunkIds: readonly string[], options?: KeywordDeleteOptions): Promise<void> {
    if (chunkIds.length === 0) return;
    await this.ports.vectorIndex.delete(tenantId, chunkIds);
    await this.ports.keywordIndex.delete(tenantId, chunkIds, options);
  }

  /**
   * The vectors of the chunks, in their order: cached ones reused, the others embedded and cached.
   * `hashes` are their embedding texts' hashes; those embedded now are added to `embeddedNow`.
   */
  private async vectorsOf(chunks: readonly Chunk[], hashes: readonly string[], embeddedNow: Set<string>): Promise<Float32Array[]> {
    const { embedder, embeddingCache } = this.ports;
    const known = await embeddingCache.cachedEmbeddings(embedder.modelId, [...new Set(hashes)]);
    // The texts of the chunks whose vectors are not cached, once per distinct text.
    const textByHash = new Map<string, string>();
    hashes.forEach((hash, i) => {
      if (!known.has(hash) && !textByHash.has(hash)) textByHash.set(hash, embeddingText(chunks[i] as Chunk));
    });
    const missing = [...textByHash.keys()];
    for (let start = 0; start < missing.length; start += this.embedBatchSize) {
      const batch = missing.slice(start, start + this.embedBatchSize);
      const vectors = await embedder.embed(batch.map((hash) => textByHash.get(hash) as string), 'passage');
      const entries = batch.map((textHash, i) => ({ textHash, vector: vectors[i] as Float32Array }));
      await embeddingCache.saveEmbeddings(embedder.modelId, entries);
      for (const entry of entries) {
        known.set(entry.textHash, entry.vector);
        embeddedNow.add(entry.textHash);
      }
    }
    return hashes.map((hash) => known.get(hash) as Float32Array);
  }
}

/**
 * Tells each group how its vectors were found. A text that several chunks of a group share costs one
 * call, so it counts once as embedded and its other chunks as reused.
 */
async function tellCounts(groups: readonly WriteGroup[], hashes: readonly string[], embeddedNow: ReadonlySet<string>): Promise<void> {
  let offset = 0;
  const counts = groups.map((group) => {
    const own = hashes.slice(offset, (offset += group.chunks.length));
    const embedded = new Set(own.filter((hash) => embeddedNow.has(hash))).size;
    return { embedded, reused: own.length - embedded };
  });
  await Promise.all(groups.map((group, i) => (group.onEmbedded ?? noCallback)(counts[i] as EmbeddingCounts)));
}

/** The text a chunk is embedded as: where it sits, then what it says. */
function embeddingText(chunk: Chunk): string {
  return `${chunk.sectionPath.join(' / ')}\n${chunk.text}`;
}

const noCallback: OnEmbedded = () => Promise.resolve();

function embeddingHash(chunk: Chunk): string {
  return createHash('sha256').update(embeddingText(chunk)).digest('hex');
}
