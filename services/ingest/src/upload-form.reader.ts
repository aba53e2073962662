import '@fastify/multipart';
import { AppError, isAppError } from '@rag/core';
import type { FastifyRequest } from 'fastify';
import type { UploadedFile } from './document-submission.mapper';

export interface UploadForm {
  /** Text fields by name; `groups` may repeat, so every value is kept. */
  readonly fields: Readonly<Record<string, string | string[]>>;
  readonly file: UploadedFile;
}

const REPEATABLE = new Set(['groups']);

/**
 * Reads a multipart upload: text fields and one part named `file`. The file streams in and stops
 * at MAX_DOCUMENT_BYTES (the multipart plugin's limit), so an oversized upload is never held whole.
 */
export async function readUploadForm(request: FastifyRequest, maxDocumentBytes: number): Promise<UploadForm> {
  if (!request.isMultipart()) {
    throw new AppError('UNSUPPORTED_MEDIA_TYPE', 'Send the upload as multipart/form-data with the document in a part named "file"; JSON bodies go to POST /v1/documents.', { field: '(body)' });
  }
  const fields: Record<string, string | string[]> = {};
  let file: UploadedFile | undefined;
  try {
    for await (const part of request.parts()) {
      if (part.type === 'file') {
        if (part.fieldname !== 'file') throw invalid(part.fieldname, 'is a file part; the document goes in the part named "file"');
        if (file) throw invalid('file', 'holds one document per upload; send several with POST /v1/documents/batch');
        file = { fileName: part.filename, mediaType: part.mimetype, bytes: await part.toBuffer() };
      } else {
        if (part.valueTruncated) throw invalid(part.fieldname, 'is too long');
        addField(fields, part.fieldname, String(part.value));
      }
    }
  } catch (error) {
    throw uploadError(error, maxDocumentBytes);
  }
  if (!file) throw invalid('file', 'is required: a part named "file" holding the document');
  return { fields, file };
}

function addField(fields: Record<string, string | string[]>, name: string, value: string): void {
  const existing = fields[name];
  if (REPEATABLE.has(name)) fields[name] = [...(Array.isArray(existing) ? existing : []), value];
  else if (existing !== undefined) throw invalid(name, 'is given more than once');
  else fields[name] = value;
}

function invalid(field: string, message: string): AppError {
  return new AppError('VALIDATION_FAILED', `${field}: ${message}`, { field });
}

const LIMIT_MESSAGES: Readonly<Record<string, string>> = {
  FST_PARTS_LIMIT: 'the form has more parts than an upload may have (128)',
  FST_FIELDS_LIMIT: 'the form has more fields than an upload may have (64)',
  FST_FILES_LIMIT: 'the form has more files than an upload may have',
};

/**
 * Everything that can go wrong while the form streams in is the client's doing (our own checks,
 * the plugin's limits, or a body the multipart parser cannot read), so each becomes a 4xx.
 */
function uploadError(error: unknown, maxDocumentBytes: number): AppError {
  if (isAppError(error)) return error;
  const code = typeof error === 'object' && error !== null ? (error as { code?: unknown }).code : undefined;
  if (code === 'FST_REQ_FILE_TOO_LARGE') {
    return new AppError('PAYLOAD_TOO_LARGE', `file: the upload is larger than ${maxDocumentBytes} bytes, the limit (MAX_DOCUMENT_BYTES).`, { field: 'file', limitBytes: maxDocumentBytes });
  }
  if (typeof code === 'string' && code in LIMIT_MESSAGES) return new AppError('PAYLOAD_TOO_LARGE', `(body): ${LIMIT_MESSAGES[code]}.`, { field: '(body)' });
  const reason = error instanceof Error ? error.message : String(error);
  return new AppError('VALIDATION_FAILED', `(body): the multipart form could not be read: ${reason}.`, { field: '(body)' });
}
