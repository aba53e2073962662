import { createHash } from 'node:crypto';
import {
  AppError,
  type AnswerCache,
  EVERYONE_GROUP,
  isBinaryContentType,
  type DocumentRecord,
  type DocumentSubmission,
  type DocumentVersion,
  type NewVersion,
  type OutboxEventView,
  type Principal,
  type SqlStore,
  type SubmittedVersion,
} from '@rag/core';
import { type ChunkingSettings, chunkStructure, DEFAULT_CHUNKING } from './chunking/structure.chunker';
import { buildStructureTree } from './chunking/structure-tree';
import { UnparsableDocumentError } from './parsing/content-block';
import type { ContentBlock } from './parsing/content-block';
import { parseDocument } from './parsing/document.parser';
import type { ParseLimits } from './parsing/parse-limits';

/** Turns stored content into blocks; IsolatedDocumentParser does it in worker threads. */
export interface DocumentParser {
  parse(content: string, contentType: DocumentSubmission['contentType']): Promise<ContentBlock[]>;
}

export interface IngestSettings {
  readonly maxDocumentBytes: number;
  readonly chunking: ChunkingSettings;
  readonly parsing: ParseLimits;
}

/** The ingest settings from the configured limits, with the default chunking. */
export function ingestSettingsFrom(limits: ParseLimits & { readonly maxDocumentBytes: number }): IngestSettings {
  const { maxPdfPages, maxHtmlDepth, parseTimeoutMs, maxDocxExpandedBytes } = limits;
  return { maxDocumentBytes: limits.maxDocumentBytes, chunking: DEFAULT_CHUNKING, parsing: { maxPdfPages, maxHtmlDepth, parseTimeoutMs, maxDocxExpandedBytes } };
}

export interface DocumentStatusView {
  readonly document: DocumentRecord;
  readonly versions: readonly DocumentVersion[];
  /** The steps of the document's most recent index or delete event; null when none was queued. */
  readonly latestEvent: OutboxEventView | null;
}

/**
 * The ingest use cases. A submission is parsed and chunked here, then written with its outbox
 * event in one SQL transaction; the index worker does the rest. Content that cannot be parsed is
 * still recorded, as a failed version with its reason, and the active version stays as it was.
 */
export class IngestService {
  constructor(
    private readonly sqlStore: SqlStore,
    private readonly cache: AnswerCache,
    private readonly settings: IngestSettings,
    private readonly onWorkQueued: () => void,
    private readonly parser: DocumentParser = { parse: (content, contentType) => parseDocument(content, contentType, settings.parsing) },
  ) {}

  /** `traceContext`: the request's W3C traceparent, kept on the outbox event so indexing joins its trace. */
  async submit(principal: Principal, submission: DocumentSubmission, traceContext: string | null = null): Promise<SubmittedVersion> {
    const bytes = contentBytes(submission);
    if (bytes > this.settings.maxDocumentBytes) {
      throw new AppError('PAYLOAD_TOO_LARGE', `content is ${bytes} bytes; the limit (MAX_DOCUMENT_BYTES) is ${this.settings.maxDocumentBytes}.`, { field: isBinaryContentType(submission.contentType) ? 'contentBase64' : 'content' });
    }
    const normalized: DocumentSubmission = { ...submission, aclGroups: normalizeAcl(submission.aclGroups) };
    const input: NewVersion = { tenantId: principal.tenantId, submission: normalized, contentHash: hashSubmission(normalized), outcome: await this.chunk(normalized), traceContext };
    const result = await this.sqlStore.submitVersion(input);
    if (!result.unchanged && result.version.status === 'pending') this.onWorkQueued();
    return result;
  }

  async status(principal: Principal, documentId: string): Promise<DocumentStatusView> {
    const document = await this.sqlStore.findDocument(principal.tenantId, documentId);
    if (!document) throw notFound(documentId);
    const [versions, latestEvent] = await Promise.all([this.sqlStore.listVersions(principal.tenantId, documentId), this.sqlStore.latestOutboxEvent(principal.tenantId, documentId)]);
    return { document, versions, latestEvent };
  }

  /** Queues a dead-lettered event again, after its cause (a store, the embedder) has been fixed. */
  async retry(principal: Principal, documentId: string): Promise<OutboxEventView> {
    const document = await this.sqlStore.findDocument(principal.tenantId, documentId);
    if (!document) throw notFound(documentId);
    const event = await this.sqlStore.retryDeadEvent(principal.tenantId, documentId);
    if (!event) {
      const latest = await this.sqlStore.latestOutboxEvent(principal.tenantId, documentId);
      throw new AppError('CONFLICT', `Document "${documentId}" has no dead-lettered event to retry; its latest event is ${latest ? latest.status : 'missing'}.`, { documentId, eventStatus: latest?.status ?? null });
    }
    await this.sqlStore.appendAudit({ tenantId: principal.tenantId, actor: `${principal.tenantId}/${principal.subject}`, action: 'document.retry', target: documentId, details: { eventId: event.id, version: event.version }, createdAt: Date.now() });
    this.onWorkQueued();
    return event;
  }

  async delete(principal: Principal, documentId: string): Promise<DocumentRecord> {
    const document = await this.sqlStore.deleteDocument(principal.tenantId, documentId);
    if (!document) throw notFound(documentId);
    // Readers stop seeing it now, so must cached answers built from it.
    await this.cache.invalidateTenant(principal.tenantId);
    await this.sqlStore.appendAudit({ tenantId: principal.tenantId, actor: `${principal.tenantId}/${principal.subject}`, action: 'document.delete', target: documentId, details: { externalId: document.externalId }, createdAt: Date.now() });
    this.onWorkQueued();
    return document;
  }

  private async chunk(submission: DocumentSubmission): Promise<NewVersion['outcome']> {
    try {
      const tree = buildStructureTree(submission.title, await this.parser.parse(submission.content, submission.contentType));
      return { chunks: chunkStructure(tree, this.settings.chunking) };
    } catch (error) {
      if (error instanceof UnparsableDocumentError) return { failureReason: error.message };
      throw error;
    }
  }
}

/** The size of the document itself: a binary file's bytes, not its base64 text. */
function contentBytes(submission: DocumentSubmission): number {
  if (!isBinaryContentType(submission.contentType)) return Buffer.byteLength(submission.content, 'utf8');
  const padding = submission.content.endsWith('==') ? 2 : submission.content.endsWith('=') ? 1 : 0;
  return Math.floor((submission.content.length * 3) / 4) - padding;
}

function normalizeAcl(groups: readonly string[]): string[] {
  const distinct = [...new Set(groups.map((group) => group.trim()).filter((group) => group.length > 0))].sort();
  return distinct.length > 0 ? distinct : [EVERYONE_GROUP];
}

/** Everything that changes what readers get; equal hashes mean a resubmission changes nothing. */
function hashSubmission(submission: DocumentSubmission): string {
  const { title, contentType, aclGroups, metadata, content } = submission;
  return createHash('sha256').update(JSON.stringify([title, contentType, aclGroups, metadata, content])).digest('hex');
}

function notFound(documentId: string): AppError {
  return new AppError('NOT_FOUND', `No document with id "${documentId}".`, { documentId });
}
