import type { StoreHit } from '../domain/hit';
import type { AccessScope, TenantId } from '../domain/tenant';
import type { ManagedStore } from './store-health';

export interface KeywordRecord {
  readonly chunkId: string;
  readonly tenantId: TenantId;
  readonly collection: string;
  readonly documentId: string;
  readonly version: number;
  readonly aclGroups: readonly string[];
  readonly title: string;
  readonly sectionPath: readonly string[];
  readonly text: string;
}

export interface KeywordQuery {
  readonly scope: AccessScope;
  readonly collection?: string;
  readonly text: string;
  readonly topK: number;
}

export interface KeywordDeleteOptions {
  /**
   * False lets the removal show in searches a moment later (Elasticsearch: at its next refresh)
   * instead of waiting for it, for a caller whose readers drop such hits anyway. Default true.
   */
  readonly awaitVisibility?: boolean;
}

/** BM25 keyword search over chunk text; filters by tenant, collection and ACL inside the index. */
export interface KeywordIndex extends ManagedStore {
  upsert(records: readonly KeywordRecord[]): Promise<void>;
  delete(tenantId: TenantId, chunkIds: readonly string[], options?: KeywordDeleteOptions): Promise<void>;
  search(query: KeywordQuery): Promise<StoreHit[]>;
  /** The next page of the tenant's chunk ids in ascending order, after `afterChunkId`; empty at the end. For reconciling with SQL. */
  listChunkIds(tenantId: TenantId, afterChunkId: string | null, limit: number): Promise<string[]>;
}
