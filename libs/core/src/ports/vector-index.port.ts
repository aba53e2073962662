import type { StoreHit } from '../domain/hit';
import type { AccessScope, TenantId } from '../domain/tenant';
import type { ManagedStore } from './store-health';

export interface VectorRecord {
  readonly chunkId: string;
  readonly tenantId: TenantId;
  readonly collection: string;
  readonly documentId: string;
  readonly version: number;
  readonly aclGroups: readonly string[];
  readonly vector: Float32Array;
}

export interface VectorQuery {
  readonly scope: AccessScope;
  readonly collection?: string;
  readonly vector: Float32Array;
  readonly topK: number;
}

/** Dense vectors of chunks; filters by tenant, collection and ACL inside the index. */
export interface VectorIndex extends ManagedStore {
  /** Inserts or replaces records by chunk id; repeating a call changes nothing. */
  upsert(records: readonly VectorRecord[]): Promise<void>;
  delete(tenantId: TenantId, chunkIds: readonly string[]): Promise<void>;
  search(query: VectorQuery): Promise<StoreHit[]>;
  /** The next page of the tenant's chunk ids in ascending order, after `afterChunkId`; empty at the end. For reconciling with SQL. */
  listChunkIds(tenantId: TenantId, afterChunkId: string | null, limit: number): Promise<string[]>;
}
