import type { Chunk } from '../domain/chunk';
import type { DocumentRecord, DocumentSubmission, DocumentVersion } from '../domain/document';
import type { LedgerEntry } from '../domain/ledger';
import type { OutboxEvent, OutboxEventView, OutboxStep, OutboxStepCounts } from '../domain/outbox';
import type { ChatMessage, ChatSession } from '../domain/session';
import type { ApiKeyRecord, AuditEvent } from '../domain/api-key';
import type { Feedback } from '../domain/feedback';
import type { FailedDocument, LedgerSummary, OutboxStats } from '../domain/operations';
import type { AccessScope, TenantId } from '../domain/tenant';
import type { EmbeddingCache } from './embedding-cache.port';
import type { ManagedStore } from './store-health';

/** A chunk as the chunker produced it, before it belongs to a stored version. */
export interface DraftChunk {
  readonly nodeId: string;
  readonly sectionPath: readonly string[];
  readonly text: string;
  readonly contentHash: string;
}

export interface NewVersion {
  readonly tenantId: TenantId;
  readonly submission: DocumentSubmission;
  readonly contentHash: string;
  /** The chunks to index, or the reason the content could not be parsed. */
  readonly outcome: { readonly chunks: readonly DraftChunk[] } | { readonly failureReason: string };
  /** The submitting request's W3C `traceparent`, kept on the outbox event. */
  readonly traceContext?: string | null;
}

export interface SubmittedVersion {
  readonly document: DocumentRecord;
  readonly version: DocumentVersion;
  /** True when the content equals the latest version's, so nothing new was written. */
  readonly unchanged: boolean;
}

/** A document's active version as navigation needs it: which version, and how long. */
export interface ActiveVersionInfo {
  readonly documentId: string;
  readonly version: number;
  readonly title: string;
  readonly chunkCount: number;
}

export interface VersionActivation {
  /** False when a newer version is already active; the indexed chunks are then stale. */
  readonly activated: boolean;
  /** The version readers saw before, whose chunks can now leave the indexes. */
  readonly previousVersion: number | null;
}

/** The source of truth: documents, versions, chunks, the outbox of index work and the ledger. */
export interface SqlStore extends ManagedStore, EmbeddingCache {
  /** One transaction: the document, its new version, its chunks and the outbox event. */
  submitVersion(input: NewVersion): Promise<SubmittedVersion>;
  findDocument(tenantId: TenantId, documentId: string): Promise<DocumentRecord | null>;
  listVersions(tenantId: TenantId, documentId: string): Promise<DocumentVersion[]>;
  /** Hides the document from readers at once and queues the removal of its chunks. */
  deleteDocument(tenantId: TenantId, documentId: string): Promise<DocumentRecord | null>;

  chunksOfVersion(tenantId: TenantId, documentId: string, version: number): Promise<Chunk[]>;
  /** Chunk ids of every version up to `upToVersion`, for removing a deleted document from the indexes. */
  chunkIdsOfDocument(tenantId: TenantId, documentId: string, upToVersion: number): Promise<string[]>;
  /** The chunk ids of the given versions of the document (a chunk unchanged across versions has one id), in no order. */
  chunkIdsOfVersions(tenantId: TenantId, documentId: string, versions: readonly number[]): Promise<string[]>;
  /**
   * Chunk ids the document may still need in the indexes besides those of `version`: the active
   * version's, and those of newer versions still pending or indexed. Removing a chunk of an old or
   * losing version must spare these, since unchanged chunks are shared between versions.
   */
  chunkIdsInUse(tenantId: TenantId, documentId: string, version: number): Promise<string[]>;
  /** A page of the tenant's active chunks in chunk id order, after `afterChunkId`: for rebuilding indexes. */
  activeChunksOfTenant(tenantId: TenantId, afterChunkId: string | null, limit: number): Promise<Chunk[]>;
  /** Of the given ids, the chunks of active versions that the scope may read, in no order. */
  readableActiveChunks(scope: AccessScope, chunkIds: readonly string[]): Promise<Chunk[]>;

  /** Of the given documents, the active versions the scope may read (in the collection, when one is given), in no order. */
  readableActiveVersions(scope: AccessScope, documentIds: readonly string[], collection?: string): Promise<ActiveVersionInfo[]>;

  /** Of the given ids, the chunks of any version that the scope may read: for replaying a past answer. */
  readableChunks(scope: AccessScope, chunkIds: readonly string[]): Promise<Chunk[]>;

  /** The session if it belongs to the tenant and subject, else null. */
  findSession(tenantId: TenantId, sessionId: string, subject: string): Promise<ChatSession | null>;
  createSession(tenantId: TenantId, subject: string): Promise<ChatSession>;
  appendMessages(tenantId: TenantId, sessionId: string, messages: readonly ChatMessage[]): Promise<void>;
  /** The last `limit` messages of the session, oldest first. */
  recentMessages(tenantId: TenantId, sessionId: string, limit: number): Promise<ChatMessage[]>;

  /** Takes up to `limit` due events for this worker; a claim expires after `leaseMs`. */
  claimOutboxEvents(workerId: string, limit: number, leaseMs: number): Promise<OutboxEvent[]>;
  /** True when a newer version than this one is pending or indexed, so indexing it is wasted work. */
  hasNewerVersion(tenantId: TenantId, documentId: string, version: number): Promise<boolean>;
  /**
   * One transaction: flips the active version, so readers switch to it. Running it again for the
   * same event changes nothing. A stale event (a newer version is active, or the document is being
   * deleted) changes nothing and is reported as not activated; the caller then removes its chunks
   * from the indexes and supersedes it.
   */
  activateVersion(event: OutboxEvent): Promise<VersionActivation>;
  /** Marks the document indexed, once the old version left the indexes and caches, and completes the event. */
  completeIndexing(event: OutboxEvent): Promise<void>;
  /** Marks a version superseded without indexing it, and completes the event. */
  supersedeVersion(event: OutboxEvent): Promise<void>;
  /** Completes a delete: drops the chunks from SQL and marks the document deleted. */
  finishDelete(event: OutboxEvent): Promise<void>;
  /**
   * Records a failure: the event is retried at `retryAt`, or dead-lettered when that is null. A
   * claim whose lease ran out (the event was claimed again or finished meanwhile) changes nothing.
   */
  failOutboxEvent(event: OutboxEvent, reason: string, retryAt: number | null): Promise<void>;
  pendingOutboxCount(): Promise<number>;
  /**
   * Gives back the events this worker claimed but has not finished (at shutdown), so another worker
   * takes them at once instead of after the lease; the attempt is not counted against them.
   */
  releaseOutboxEvents(workerId: string, eventIds: readonly number[]): Promise<void>;
  /**
   * Records that the claimed event reached a step; a claim starts the steps afresh. The embedded
   * step says how many chunks the model embedded and how many vectors came from the cache; the
   * indexed step how many chunks were written to the indexes and how many the version before
   * had there already, unchanged.
   */
  markOutboxStep(event: OutboxEvent, step: OutboxStep, counts?: OutboxStepCounts): Promise<void>;
  /** The document's most recent outbox event with its steps, or null when it has none. */
  latestOutboxEvent(tenantId: TenantId, documentId: string): Promise<OutboxEventView | null>;
  /**
   * Queues the document's latest dead-lettered event again with a fresh count of attempts, and
   * marks its version pending again; null when its latest event is not dead.
   */
  retryDeadEvent(tenantId: TenantId, documentId: string): Promise<OutboxEventView | null>;

  /** The key whose secret hashes to this value, whatever its state: the caller checks expiry and revocation. */
  findApiKeyByHash(secretHash: string): Promise<ApiKeyRecord | null>;
  insertApiKey(key: ApiKeyRecord, secretHash: string): Promise<void>;
  listApiKeys(tenantId: TenantId): Promise<ApiKeyRecord[]>;
  /** Revokes the tenant's key; false when there is no such key. */
  revokeApiKey(tenantId: TenantId, keyId: string, at: number): Promise<boolean>;
  countApiKeys(): Promise<number>;
  /** Audit events are only ever appended. */
  appendAudit(event: AuditEvent): Promise<void>;
  listAudit(tenantId: TenantId, limit: number): Promise<AuditEvent[]>;

  appendLedger(entries: readonly LedgerEntry[]): Promise<void>;
  findLedgerEntry(tenantId: TenantId, requestId: string): Promise<LedgerEntry | null>;

  /** Keeps a reader's feedback; a second verdict by the same subject on the same request replaces the first. */
  recordFeedback(feedback: Feedback): Promise<void>;
  /** The tenant's feedback, newest first; `rating` narrows it to one verdict. */
  listFeedback(tenantId: TenantId, limit: number, rating?: Feedback['rating']): Promise<Feedback[]>;
  /** The tenant's ledger rows created at or after `since`, newest first, at most `limit`. */
  recentLedger(tenantId: TenantId, since: number, limit: number): Promise<LedgerSummary[]>;
  /** Waiting and dead-lettered index events across every tenant, for the outbox gauges. */
  outboxStats(): Promise<OutboxStats>;
  /** The tenant's most recent failed document versions, newest first. */
  failedDocuments(tenantId: TenantId, limit: number): Promise<FailedDocument[]>;
}
