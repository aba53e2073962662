import type { estypes } from '@elastic/elasticsearch';

/** One chunk as stored in Elasticsearch; `_id` is the chunk id. */
export interface ChunkDocument {
  readonly chunk_id: string;
  readonly tenant_id: string;
  readonly collection: string;
  readonly document_id: string;
  readonly version: number;
  readonly acl_groups: readonly string[];
  /** The project's analyzer output joined by spaces, so the whitespace analyzer only splits it again. */
  readonly terms: string;
  readonly title: string;
  readonly section_path: readonly string[];
  readonly text: string;
}

export const CHUNK_INDEX_SETTINGS: estypes.IndicesIndexSettings = {
  // One shard keeps BM25 statistics index-wide, as in FTS5; per-shard IDF would rank differently.
  number_of_shards: 1,
  // A replica where there is a second node, none on a single node (which would stay yellow).
  auto_expand_replicas: '0-1',
};

/**
 * Only `terms` is searched. It needs term frequencies and norms for BM25 (the default similarity,
 * k1 1.2 and b 0.75, as in FTS5) but no positions, since queries never use phrases. The raw text
 * fields are kept for debugging and later highlighting, not indexed. `vector` is declared so the
 * index can take embeddings later; this adapter does not write it, and its dims are set by the
 * first vector written.
 */
export const CHUNK_INDEX_MAPPINGS: estypes.MappingTypeMapping = {
  dynamic: 'strict',
  properties: {
    chunk_id: { type: 'keyword' },
    tenant_id: { type: 'keyword' },
    collection: { type: 'keyword' },
    document_id: { type: 'keyword' },
    version: { type: 'integer' },
    acl_groups: { type: 'keyword' },
    terms: { type: 'text', analyzer: 'whitespace', index_options: 'freqs' },
    title: { type: 'text', index: false },
    section_path: { type: 'text', index: false },
    text: { type: 'text', index: false },
    vector: { type: 'dense_vector', index: false },
  },
};
