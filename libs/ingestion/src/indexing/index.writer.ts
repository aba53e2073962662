import type { Chunk, Embedder, KeywordIndex, TenantId, VectorIndex } from '@rag/core';

export interface IndexWriterPorts {
  readonly embedder: Embedder;
  readonly vectorIndex: VectorIndex;
  readonly keywordIndex: KeywordIndex;
}

/** Writes chunks to both derived indexes, embedding them in batches; removes them from both. */
export class IndexWriter {
  constructor(
    private readonly ports: IndexWriterPorts,
    private readonly embedBatchSize: number,
  ) {}

  async write(chunks: readonly Chunk[]): Promise<void> {
    const { embedder, vectorIndex, keywordIndex } = this.ports;
    for (let start = 0; start < chunks.length; start += this.embedBatchSize) {
      const batch = chunks.slice(start, start + this.embedBatchSize);
      const vectors = await embedder.embed(batch.map(embeddingText), 'passage');
      await vectorIndex.upsert(batch.map((chunk, i) => ({ ...chunk, chunkId: chunk.id, vector: vectors[i] as Float32Array })));
      await keywordIndex.upsert(batch.map((chunk) => ({ ...chunk, chunkId: chunk.id })));
    }
  }

  async remove(tenantId: TenantId, chunkIds: readonly string[]): Promise<void> {
    if (chunkIds.length === 0) return;
    await this.ports.vectorIndex.delete(tenantId, chunkIds);
    await this.ports.keywordIndex.delete(tenantId, chunkIds);
  }
}

/** The text a chunk is embedded as: where it sits, then what it says. */
function embeddingText(chunk: Chunk): string {
  return `${chunk.sectionPath.join(' / ')}\n${chunk.text}`;
}
