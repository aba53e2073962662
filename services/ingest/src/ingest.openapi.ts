import type { OperationSpec } from '@rag/platform';
import { submitDocumentExample, submitDocumentSchema } from './document.request';

export const INGEST_OPERATIONS: readonly OperationSpec[] = [
  { method: 'post', path: '/v1/documents', summary: 'Submit a document; the same externalId again makes a new version.', tag: 'documents', body: submitDocumentSchema, example: submitDocumentExample, responses: { '202': 'Accepted: documentId, version and status (failed, with the reason, when the content cannot be parsed).', '400': 'Invalid request; the error names the field.', '413': 'The content is larger than MAX_DOCUMENT_BYTES.' } },
  { method: 'get', path: '/v1/documents/{id}', summary: 'A document’s status, its versions and every step of its latest index or delete event.', tag: 'documents', pathParams: ['id'], responses: { '200': 'The document, its versions and latestEvent (queued, claimed by, attempts, last error, embedded, indexed, activated and completed times).', '404': 'No such document.' } },
  { method: 'post', path: '/v1/documents/{id}/retry', summary: 'Queue the document’s dead-lettered event again.', tag: 'documents', pathParams: ['id'], responses: { '202': 'Queued again with a fresh count of attempts; the event is returned.', '404': 'No such document.', '409': 'The latest event of the document is not dead-lettered.' } },
  { method: 'delete', path: '/v1/documents/{id}', summary: 'Delete a document from every store.', tag: 'documents', pathParams: ['id'], responses: { '202': 'Hidden from readers at once; removal from the indexes is queued.', '404': 'No such document.' } },
];
