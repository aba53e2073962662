import { AppError, CONTENT_TYPES, type ContentType, type DocumentSubmission, isBinaryContentType } from '@rag/core';
import { contentTypeOfFileName, contentTypeOfMediaType } from './content-type.resolver';
import type { SubmitDocumentRequest, UploadFields } from './document.request';

/** A file as a multipart upload delivers it. */
export interface UploadedFile {
  readonly fileName: string;
  readonly mediaType: string;
  readonly bytes: Buffer;
}

export function submissionFromJson(body: SubmitDocumentRequest): DocumentSubmission {
  const { acl, content, contentBase64, ...rest } = body;
  const stored = content ?? storedContent(Buffer.from(contentBase64 ?? '', 'base64'), body.contentType);
  return { ...rest, content: stored, aclGroups: acl.groups };
}

export function submissionFromUpload(fields: UploadFields, file: UploadedFile): DocumentSubmission {
  const contentType = fields.contentType ?? contentTypeOfMediaType(file.mediaType) ?? contentTypeOfFileName(file.fileName);
  if (!contentType) {
    throw new AppError('VALIDATION_FAILED', `contentType: cannot tell the format of "${file.fileName}" (${file.mediaType}); give contentType, one of ${CONTENT_TYPES.join(', ')}`, { field: 'contentType' });
  }
  const externalId = fields.externalId ?? file.fileName.trim();
  const title = fields.title ?? stripExtension(file.fileName).trim();
  if (!externalId || !title) throw new AppError('VALIDATION_FAILED', 'externalId: the file has no name; give externalId and title', { field: 'externalId' });
  return {
    collection: fields.collection,
    externalId: externalId.slice(0, 256),
    title: title.slice(0, 512),
    contentType,
    content: storedContent(file.bytes, contentType),
    aclGroups: fields.groups,
    metadata: fields.metadata,
  };
}

/**
 * Binary formats are kept as base64, byte for byte. Text is decoded as UTF-8; bytes that are not
 * UTF-8 become replacement characters, which the parser counts to tell binary junk from text.
 */
function storedContent(bytes: Buffer, contentType: ContentType): string {
  return isBinaryContentType(contentType) ? bytes.toString('base64') : bytes.toString('utf8');
}

function stripExtension(fileName: string): string {
  const dot = fileName.lastIndexOf('.');
  return dot > 0 ? fileName.slice(0, dot) : fileName;
}
