import { DataType, type FieldType } from '@zilliz/milvus2-sdk-node';
import type { VectorRecord } from '@rag/core';
import { filterKey } from './filter-key';

/**
 * One chunk as a row of the collection; `*_key` fields hold digests and are what filters use.
 * A type, not an interface, so that it is assignable to the client's indexed row type.
 */
export type ChunkRow = {
  readonly chunk_id: string;
  readonly tenant: string;
  readonly collection: string;
  readonly collection_key: string;
  readonly document_id: string;
  readonly version: number;
  readonly acl_keys: string[];
  readonly vector: number[];
};

export const VECTOR_FIELD = 'vector';
/** What a search returns besides the score. */
export const HIT_FIELDS = ['chunk_id', 'document_id', 'version'];

/** The ingest API allows 256 groups per document; room to spare, under Milvus's limit of 4096. */
const MAX_ACL_GROUPS = 1024;
const KEY_BYTES = 32;

/**
 * VarChar lengths are in bytes: a 128-character collection name of Chinese takes up to 512. The
 * tenant is the partition key, so a tenant-filtered search only touches that tenant's partition.
 */
export function chunkFields(dimensions: number): FieldType[] {
  return [
    { name: 'chunk_id', data_type: DataType.VarChar, is_primary_key: true, autoID: false, max_length: 1024 },
    { name: 'tenant', data_type: DataType.VarChar, is_partition_key: true, max_length: 64 },
    { name: 'collection', data_type: DataType.VarChar, max_length: 512 },
    { name: 'collection_key', data_type: DataType.VarChar, max_length: KEY_BYTES },
    { name: 'document_id', data_type: DataType.VarChar, max_length: 512 },
    { name: 'version', data_type: DataType.Int64 },
    { name: 'acl_keys', data_type: DataType.Array, element_type: DataType.VarChar, max_capacity: MAX_ACL_GROUPS, max_length: KEY_BYTES },
    { name: VECTOR_FIELD, data_type: DataType.FloatVector, dim: dimensions },
  ];
}

/** HNSW over cosine, as the embedded index: Milvus then returns the similarity, higher is closer. */
export const VECTOR_INDEX_PARAMS = { field_name: VECTOR_FIELD, index_type: 'HNSW', metric_type: 'COSINE', params: { M: 16, efConstruction: 200 } };

export function toRow(record: VectorRecord): ChunkRow {
  return {
    chunk_id: record.chunkId,
    tenant: record.tenantId,
    collection: record.collection,
    collection_key: filterKey('c', record.collection),
    document_id: record.documentId,
    version: record.version,
    acl_keys: [...new Set(record.aclGroups)].map((group) => filterKey('g', group)),
    vector: Array.from(record.vector),
  };
}
