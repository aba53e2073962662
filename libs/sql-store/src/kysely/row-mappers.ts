import type {
  Feedback,
  LedgerSummary,
  ApiKeyRecord,
  AuditEvent,
  ChatMessage,
  Scope,
  Chunk,
  ContentType,
  DocumentRecord,
  DocumentStatus,
  DocumentVersion,
  LedgerEntry,
  OutboxEvent,
  OutboxEventKind,
  OutboxEventView,
  OutboxStatus,
  TenantId,
  VersionStatus,
} from '@rag/core';
import type { Selectable } from 'kysely';
import type { ApiKeysTable, AuditLogTable, ChatMessagesTable, ChunksTable, DocumentsTable, DocumentVersionsTable, FeedbackTable, LedgerTable, OutboxTable } from './database.schema';

export function toDocument(row: Selectable<DocumentsTable>): DocumentRecord {
  return {
    id: row.id,
    tenantId: row.tenant_id as TenantId,
    collection: row.collection,
    externalId: row.external_id,
    title: row.title,
    aclGroups: JSON.parse(row.acl_groups) as string[],
    metadata: JSON.parse(row.metadata) as Record<string, unknown>,
    status: row.status as DocumentStatus,
    activeVersion: row.active_version === null ? null : Number(row.active_version),
    latestVersion: Number(row.latest_version),
    createdAt: Number(row.created_at),
    updatedAt: Number(row.updated_at),
  };
}

export type VersionRow = Omit<Selectable<DocumentVersionsTable>, 'content'>;

export function toVersion(row: VersionRow): DocumentVersion {
  return {
    documentId: row.document_id,
    version: Number(row.version),
    status: row.status as VersionStatus,
    contentType: row.content_type as ContentType,
    contentHash: row.content_hash,
    chunkCount: Number(row.chunk_count),
    failureReason: row.failure_reason,
    createdAt: Number(row.created_at),
    indexedAt: row.indexed_at === null ? null : Number(row.indexed_at),
  };
}

export type ChunkRow = Selectable<ChunksTable> & Pick<Selectable<DocumentsTable>, 'title' | 'collection' | 'acl_groups'>;

export function toChunk(row: ChunkRow): Chunk {
  return {
    id: row.id,
    tenantId: row.tenant_id as TenantId,
    collection: row.collection,
    documentId: row.document_id,
    version: Number(row.version),
    nodeId: row.node_id,
    ordinal: Number(row.ordinal),
    title: row.title,
    sectionPath: JSON.parse(row.section_path) as string[],
    text: row.text,
    contentHash: row.content_hash,
    aclGroups: JSON.parse(row.acl_groups) as string[],
  };
}

export function toOutboxEvent(row: Pick<Selectable<OutboxTable>, 'id' | 'tenant_id' | 'kind' | 'document_id' | 'version' | 'attempts'> & { trace_context?: string | null }): OutboxEvent {
  return {
    traceContext: row.trace_context ?? null,
    id: Number(row.id),
    tenantId: row.tenant_id as TenantId,
    kind: row.kind as OutboxEventKind,
    documentId: row.document_id,
    version: Number(row.version),
    attempts: Number(row.attempts),
  };
}

export function toMessage(row: Selectable<ChatMessagesTable>): ChatMessage {
  return {
    role: row.role as ChatMessage['role'],
    content: row.content,
    rewrittenQuery: row.rewritten_query,
    requestId: row.request_id,
    createdAt: Number(row.created_at),
  };
}

export function toLedgerRow(entry: LedgerEntry): Selectable<LedgerTable> {
  return {
    request_id: entry.requestId,
    tenant_id: entry.tenantId,
    kind: entry.kind,
    query: entry.query,
    mode: entry.mode,
    collection: entry.collection,
    cache_hit: entry.cacheHit ? 1 : 0,
    degraded: JSON.stringify(entry.degraded),
    hits: JSON.stringify(entry.hits),
    answer: entry.answer,
    citations: JSON.stringify(entry.citations),
    trace: JSON.stringify(entry.trace),
    rewritten_query: entry.rewrittenQuery,
    subject: entry.subject,
    session_id: entry.sessionId,
    verification: entry.verification === null ? null : JSON.stringify(entry.verification),
    latency_ms: Math.round(entry.latencyMs),
    created_at: entry.createdAt,
  };
}

export function toLedgerEntry(row: Selectable<LedgerTable>): LedgerEntry {
  return {
    requestId: row.request_id,
    tenantId: row.tenant_id as TenantId,
    kind: row.kind as LedgerEntry['kind'],
    query: row.query,
    rewrittenQuery: row.rewritten_query,
    subject: row.subject ?? '',
    sessionId: row.session_id,
    mode: row.mode as LedgerEntry['mode'],
    collection: row.collection,
    cacheHit: Number(row.cache_hit) === 1,
    degraded: JSON.parse(row.degraded) as LedgerEntry['degraded'],
    hits: JSON.parse(row.hits) as LedgerEntry['hits'],
    answer: row.answer,
    citations: JSON.parse(row.citations) as LedgerEntry['citations'],
    verification: row.verification === null ? null : (JSON.parse(row.verification) as LedgerEntry['verification']),
    trace: JSON.parse(row.trace) as LedgerEntry['trace'],
    latencyMs: Number(row.latency_ms),
    createdAt: Number(row.created_at),
  };
}

export function toApiKey(row: Selectable<ApiKeysTable>): ApiKeyRecord {
  return {
    id: row.id,
    tenantId: row.tenant_id as TenantId,
    name: row.name,
    prefix: row.prefix,
    subject: row.subject,
    scopes: JSON.parse(row.scopes) as Scope[],
    groups: JSON.parse(row.groups_json) as string[],
    createdAt: Number(row.created_at),
    expiresAt: row.expires_at === null ? null : Number(row.expires_at),
    revokedAt: row.revoked_at === null ? null : Number(row.revoked_at),
  };
}

export function toAuditEvent(row: Selectable<AuditLogTable>): AuditEvent {
  return {
    tenantId: row.tenant_id as TenantId,
    actor: row.actor,
    action: row.action,
    target: row.target,
    details: JSON.parse(row.details) as Record<string, unknown>,
    createdAt: Number(row.created_at),
  };
}

export function toFeedback(row: Selectable<FeedbackTable>): Feedback {
  return {
    tenantId: row.tenant_id as TenantId,
    requestId: row.request_id,
    subject: row.subject,
    rating: row.rating as Feedback['rating'],
    comment: row.comment,
    createdAt: Number(row.created_at),
  };
}

type LedgerSummaryRow = Pick<Selectable<LedgerTable>, 'request_id' | 'kind' | 'query' | 'cache_hit' | 'degraded' | 'hits' | 'verification' | 'latency_ms' | 'created_at'>;

export function toLedgerSummary(row: LedgerSummaryRow): LedgerSummary {
  const hits = JSON.parse(row.hits) as LedgerEntry['hits'];
  const verification = row.verification === null ? null : (JSON.parse(row.verification) as NonNullable<LedgerEntry['verification']>);
  return {
    requestId: row.request_id,
    kind: row.kind as LedgerSummary['kind'],
    query: row.query,
    cacheHit: Number(row.cache_hit) === 1,
    degraded: JSON.parse(row.degraded) as string[],
    hitCount: hits.length,
    topScore: hits.length > 0 ? Math.max(...hits.map((hit) => hit.score)) : null,
    verified: verification === null ? null : verification.passed && !verification.fallbackUsed,
    latencyMs: Number(row.latency_ms),
    createdAt: Number(row.created_at),
  };
}

export function toOutboxEventView(row: Selectable<OutboxTable>): OutboxEventView {
  // MySQL may hand back numbers as strings.
  const time = (value: number | null) => (value === null ? null : Number(value));
  const status = row.status as OutboxStatus;
  const retried = status === 'pending' && Number(row.attempts) > 0;
  return {
    id: Number(row.id),
    kind: row.kind as OutboxEventKind,
    version: Number(row.version),
    status,
    attempts: Number(row.attempts),
    queuedAt: Number(row.created_at),
    claimedBy: row.claimed_by,
    claimedAt: time(row.claimed_at),
    nextAttemptAt: retried ? Number(row.available_at) : null,
    lastError: row.last_error,
    embeddedAt: time(row.embedded_at),
    chunksEmbedded: time(row.chunks_embedded),
    chunksReused: time(row.chunks_reused),
    indexedAt: time(row.indexed_at),
    chunksWritten: time(row.chunks_written),
    chunksUnchanged: time(row.chunks_unchanged),
    activatedAt: time(row.activated_at),
    completedAt: time(row.completed_at),
  };
}
