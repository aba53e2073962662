import type { OperationSpec } from '@rag/platform';
import { submitDocumentExample, submitDocumentSchema } from './document.request';

export const INGEST_OPERATIONS: readonly OperationSpec[] = [
  { method: 'post', path: '/v1/documents', summary: 'Submit a document; the same externalId again makes a new version.', tag: 'documents', body: submitDocumentSchema, example: submitDocumentExample, responses: { '202': 'Accepted: documentId, version and status (failed, with the reason, when the content cannot be parsed).', '400': 'Invalid request; the error names the field.', '413': 'The content is larger than MAX_DOCUMENT_BYTES.' } },
  { method: 'get', path: '/v1/documents/{id}', summary: 'A document’s status and its versions.', tag: 'documents', pathParams: ['id'], responses: { '200': 'The document and its versions.', '404': 'No such document.' } },
  { method: 'delete', path: '/v1/documents/{id}', summary: 'Delete a document from every store.', tag: 'documents', pathParams: ['id'], responses: { '202': 'Hidden from readers at once; removal from the indexes is queued.', '404': 'No such document.' } },
];
