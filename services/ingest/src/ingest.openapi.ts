import type { OperationSpec } from '@rag/platform';
import { batchRequestDocSchema, batchRequestExample, submitDocumentExample, submitDocumentSchema, uploadFormDocSchema } from './document.request';

const SUBMIT_RESPONSES = {
  '202': 'Accepted: documentId, version, status, outcome (ingested, updated, unchanged or failed) and, when the content cannot be parsed, failureReason.',
  '400': 'Invalid request; the error names the field.',
  '413': 'The document is larger than MAX_DOCUMENT_BYTES.',
};

export const INGEST_OPERATIONS: readonly OperationSpec[] = [
  {
    method: 'post',
    path: '/v1/documents',
    summary: 'Submit a document as JSON: text as content, or a file (PDF, DOCX) as contentBase64. The same externalId again makes a new version.',
    tag: 'documents',
    body: submitDocumentSchema,
    example: submitDocumentExample,
    responses: SUBMIT_RESPONSES,
  },
  {
    method: 'post',
    path: '/v1/documents/upload',
    summary: 'Upload one file as multipart/form-data (part "file"); the file name is the externalId and title unless given, and the format comes from contentType, the part’s media type or the extension.',
    tag: 'documents',
    body: uploadFormDocSchema,
    bodyMediaType: 'multipart/form-data',
    responses: { ...SUBMIT_RESPONSES, '415': 'The body is not multipart/form-data.' },
  },
  {
    method: 'post',
    path: '/v1/documents/batch',
    summary: 'Submit up to MAX_BATCH_DOCUMENTS documents, each as POST /v1/documents takes it; each gets its own result, and a bad one never fails the others.',
    tag: 'documents',
    body: batchRequestDocSchema,
    example: batchRequestExample,
    responses: { '200': 'results (index, externalId, outcome, documentId, version, status, reason) in order, and a summary counting each outcome.', '400': 'Not a list of documents, or more than MAX_BATCH_DOCUMENTS; the error names the field.', '413': 'The request body is larger than the server accepts.' },
  },
  { method: 'get', path: '/v1/documents/{id}', summary: 'A document’s status, its versions and every step of its latest index or delete event.', tag: 'documents', pathParams: ['id'], responses: { '200': 'The document, its versions and latestEvent (queued, claimed by, attempts, last error, embedded, indexed, activated and completed times; chunks embedded and reused, chunks written to the indexes and left there unchanged).', '404': 'No such document.' } },
  { method: 'post', path: '/v1/documents/{id}/retry', summary: 'Queue the document’s dead-lettered event again.', tag: 'documents', pathParams: ['id'], responses: { '202': 'Queued again with a fresh count of attempts; the event is returned.', '404': 'No such document.', '409': 'The latest event of the document is not dead-lettered.' } },
  { method: 'delete', path: '/v1/documents/{id}', summary: 'Delete a document from every store.', tag: 'documents', pathParams: ['id'], responses: { '202': 'Hidden from readers at once; removal from the indexes is queued.', '404': 'No such document.' } },
];
