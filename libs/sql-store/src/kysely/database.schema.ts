import type { ColumnType, Generated } from 'kysely';

/** Table shapes as stored. JSON values are kept as text so SQLite and MySQL behave alike. */
export interface DocumentsTable {
  id: string;
  tenant_id: string;
  collection: string;
  external_id: string;
  title: string;
  acl_groups: string;
  metadata: string;
  status: string;
  active_version: number | null;
  latest_version: number;
  created_at: number;
  updated_at: number;
}

export interface DocumentAclTable {
  document_id: string;
  group_name: string;
}

export interface DocumentVersionsTable {
  document_id: string;
  version: number;
  tenant_id: string;
  status: string;
  content_type: string;
  content_hash: string;
  content: string;
  chunk_count: number;
  failure_reason: string | null;
  created_at: number;
  indexed_at: number | null;
}

export interface ChunksTable {
  id: string;
  tenant_id: string;
  document_id: string;
  version: number;
  node_id: string;
  ordinal: number;
  section_path: string;
  text: string;
  content_hash: string;
}

/** Which chunks each version holds, and where: a chunk unchanged across versions is shared. */
export interface VersionChunksTable {
  tenant_id: string;
  document_id: string;
  version: number;
  chunk_id: string;
  node_id: string;
  ordinal: number;
}

export interface OutboxTable {
  id: Generated<number>;
  tenant_id: string;
  kind: string;
  document_id: string;
  version: number;
  status: string;
  attempts: ColumnType<number, number | undefined, number>;
  available_at: number;
  claimed_by: string | null;
  claimed_until: number | null;
  last_error: string | null;
  trace_context: ColumnType<string | null, string | null | undefined, string | null>;
  created_at: number;
  updated_at: number;
  claimed_at: ColumnType<number | null, number | null | undefined, number | null>;
  embedded_at: ColumnType<number | null, number | null | undefined, number | null>;
  indexed_at: ColumnType<number | null, number | null | undefined, number | null>;
  activated_at: ColumnType<number | null, number | null | undefined, number | null>;
  completed_at: ColumnType<number | null, number | null | undefined, number | null>;
  chunks_embedded: ColumnType<number | null, number | null | undefined, number | null>;
  chunks_reused: ColumnType<number | null, number | null | undefined, number | null>;
  chunks_written: ColumnType<number | null, number | null | undefined, number | null>;
  chunks_unchanged: ColumnType<number | null, number | null | undefined, number | null>;
}

export interface EmbeddingCacheTable {
  model_id: string;
  text_hash: string;
  vector: Buffer;
  created_at: number;
}

export interface LedgerTable {
  request_id: string;
  tenant_id: string;
  kind: string;
  query: string;
  mode: string;
  collection: string | null;
  cache_hit: number;
  degraded: string;
  hits: string;
  answer: string | null;
  citations: string;
  trace: string;
  rewritten_query: string | null;
  session_id: string | null;
  verification: string | null;
  subject: string | null;
  latency_ms: number;
  created_at: number;
}

export interface ChatSessionsTable {
  id: string;
  tenant_id: string;
  subject: string;
  created_at: number;
}

export interface ChatMessagesTable {
  id: Generated<number>;
  session_id: string;
  tenant_id: string;
  role: string;
  content: string;
  rewritten_query: string | null;
  request_id: string;
  created_at: number;
}

export interface ApiKeysTable {
  id: string;
  tenant_id: string;
  name: string;
  prefix: string;
  secret_hash: string;
  subject: string;
  scopes: string;
  groups_json: string;
  created_at: number;
  expires_at: number | null;
  revoked_at: number | null;
}

export interface AuditLogTable {
  id: Generated<number>;
  tenant_id: string;
  actor: string;
  action: string;
  target: string;
  details: string;
  created_at: number;
}

export interface FeedbackTable {
  tenant_id: string;
  request_id: string;
  subject: string;
  rating: string;
  comment: string | null;
  created_at: number;
}

export interface DatabaseSchema {
  feedback: FeedbackTable;
  api_keys: ApiKeysTable;
  audit_log: AuditLogTable;
  chat_sessions: ChatSessionsTable;
  chat_messages: ChatMessagesTable;
  documents: DocumentsTable;
  document_acl: DocumentAclTable;
  document_versions: DocumentVersionsTable;
  chunks: ChunksTable;
  version_chunks: VersionChunksTable;
  outbox: OutboxTable;
  embedding_cache: EmbeddingCacheTable;
  ledger: LedgerTable;
}
