import type { SqlStore, TenantId } from '@rag/core';
import { LRUCache } from 'lru-cache';
import { buildDocumentTree, type DocumentTree } from './document.tree';

/**
 * Structure trees by document version, in process. A version's chunks never change, so an entry
 * is never stale; who may read it is checked before each use, never here.
 */
export class TreeCache {
  private readonly trees: LRUCache<string, DocumentTree>;

  constructor(
    private readonly sqlStore: SqlStore,
    maxTrees: number,
  ) {
    this.trees = new LRUCache({ max: maxTrees });
  }

  async load(tenantId: TenantId, documentId: string, version: number, title: string): Promise<DocumentTree> {
    const key = `${tenantId}\u0000${documentId}@${version}`;
    const cached = this.trees.get(key);
    if (cached) return cached;
    const chunks = await this.sqlStore.chunksOfVersion(tenantId, documentId, version);
    const tree = buildDocumentTree(chunks, title);
    this.trees.set(key, tree);
    return tree;
  }
}
