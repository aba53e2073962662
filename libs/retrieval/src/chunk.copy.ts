import { type AccessScope, canRead, type Chunk } from '@rag/core';
import { LRUCache } from 'lru-cache';

/**
 * A bounded in-process copy of chunks this process recently read from SQL: what hydration falls
 * back to while SQL is down. The indexes already filtered each hit by tenant and ACL; a chunk id
 * names its content (and older ids their version), so the copy answers for that id alone and
 * checks the scope again. What it cannot know is a version activated or a document deleted while
 * SQL is down, since both go through SQL.
 */
export class ChunkCopy {
  private readonly chunks: LRUCache<string, Chunk>;

  constructor(maxChunks: number) {
    this.chunks = new LRUCache({ max: maxChunks });
  }

  remember(chunks: readonly Chunk[]): void {
    for (const chunk of chunks) this.chunks.set(chunk.id, chunk);
  }

  readable(scope: AccessScope, hits: readonly { chunkId: string }[]): Chunk[] {
    return hits.flatMap((hit) => {
      const chunk = this.chunks.get(hit.chunkId);
      return chunk && chunk.tenantId === scope.tenantId && canRead(scope, chunk.aclGroups) ? [chunk] : [];
    });
  }
}
