import type { TenantId } from './tenant';

export const PDF_CONTENT_TYPE = 'application/pdf';
export const DOCX_CONTENT_TYPE = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';
export const CONTENT_TYPES = ['text/plain', 'text/markdown', 'text/html', PDF_CONTENT_TYPE, DOCX_CONTENT_TYPE] as const;
export type ContentType = (typeof CONTENT_TYPES)[number];
/** Formats whose content is bytes, not text; a submission carries them base64-encoded. */
export const BINARY_CONTENT_TYPES: readonly ContentType[] = [PDF_CONTENT_TYPE, DOCX_CONTENT_TYPE];

export function isBinaryContentType(contentType: ContentType): boolean {
  return BINARY_CONTENT_TYPES.includes(contentType);
}

/** The state of a document as a reader of the status endpoint sees it. */
export type DocumentStatus = 'pending' | 'indexed' | 'failed' | 'deleting' | 'deleted';

/** The state of one version of a document. */
export type VersionStatus = 'pending' | 'indexed' | 'failed' | 'superseded';

export interface DocumentRecord {
  readonly id: string;
  readonly tenantId: TenantId;
  readonly collection: string;
  readonly externalId: string;
  readonly title: string;
  readonly aclGroups: readonly string[];
  readonly metadata: Readonly<Record<string, unknown>>;
  readonly status: DocumentStatus;
  /** The version readers see; null before the first version is indexed and after a delete. */
  readonly activeVersion: number | null;
  readonly latestVersion: number;
  readonly createdAt: number;
  readonly updatedAt: number;
}

export interface DocumentVersion {
  readonly documentId: string;
  readonly version: number;
  readonly status: VersionStatus;
  readonly contentType: ContentType;
  readonly contentHash: string;
  readonly chunkCount: number;
  readonly failureReason: string | null;
  readonly createdAt: number;
  readonly indexedAt: number | null;
}

/** A document as a client submits it, after validation. */
export interface DocumentSubmission {
  readonly collection: string;
  readonly externalId: string;
  readonly title: string;
  /** The text itself for text formats; base64 of the file for binary ones (PDF, DOCX), stored as is. */
  readonly content: string;
  readonly contentType: ContentType;
  readonly aclGroups: readonly string[];
  readonly metadata: Readonly<Record<string, unknown>>;
}
