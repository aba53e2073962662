import type { OperationSpec } from '@rag/platform';
import { issueKeyExample, issueKeyRequestSchema } from './admin.request';
import { chatCompletionsExample, chatCompletionsRequestSchema } from './openai-compat.request';
import { chatExample, chatRequestSchema, searchExample, searchRequestSchema } from './query.request';

export const GATEWAY_OPERATIONS: readonly OperationSpec[] = [
  { method: 'post', path: '/v1/search', summary: 'Hybrid, keyword or vector search over the caller’s documents.', tag: 'query', body: searchRequestSchema, example: searchExample, responses: { '200': 'Ranked hits with each store’s rank and a trace.', '400': 'Invalid request; the error names the field.' } },
  { method: 'post', path: '/v1/chat', summary: 'An answer with citations; `stream: true` answers as Server-Sent Events.', tag: 'query', body: chatRequestSchema, example: chatExample, responses: { '200': 'Answer, citations, degraded stores and trace (or an event stream).', '400': 'Invalid request; the error names the field.' } },
  { method: 'get', path: '/v1/ledger/{requestId}', summary: 'The ledger row of a past request.', tag: 'query', pathParams: ['requestId'], responses: { '200': 'The ledger row.', '404': 'No such request.' } },
  { method: 'post', path: '/v1/ledger/{requestId}/replay', summary: 'Write a past chat answer again from the same chunks and document versions, and compare.', tag: 'query', pathParams: ['requestId'], responses: { '200': 'The new answer, its verification, and whether it equals the original.', '404': 'No such request.' } },
  { method: 'post', path: '/v1/chat/completions', summary: 'OpenAI-compatible chat completions; citations and verification ride along.', tag: 'query', body: chatCompletionsRequestSchema, example: chatCompletionsExample, responses: { '200': 'A chat.completion object, or chat.completion.chunk events ending with data: [DONE].', '400': 'Invalid request; the error names the field.' } },
  { method: 'post', path: '/v1/admin/keys', summary: 'Issue an API key (its secret is shown once).', tag: 'admin', body: issueKeyRequestSchema, example: issueKeyExample, responses: { '201': 'The key and its secret.', '403': 'The caller may not grant this.' } },
  { method: 'get', path: '/v1/admin/keys', summary: 'List the tenant’s API keys (never their secrets).', tag: 'admin', responses: { '200': 'The keys.' } },
  { method: 'delete', path: '/v1/admin/keys/{id}', summary: 'Revoke an API key.', tag: 'admin', pathParams: ['id'], responses: { '204': 'Revoked.', '404': 'No such key.' } },
  { method: 'post', path: '/v1/admin/keys/{id}/rotate', summary: 'Replace an API key’s secret; the old one stops working.', tag: 'admin', pathParams: ['id'], responses: { '201': 'The new key and secret.', '404': 'No such key.' } },
  { method: 'get', path: '/v1/admin/audit', summary: 'The tenant’s audit trail, newest first.', tag: 'admin', responses: { '200': 'Audit events.' } },
  { method: 'get', path: '/v1/chunks/{chunkId}', summary: 'A chunk of an active document version, to check a citation against, widened to its section and neighbours.', tag: 'query', pathParams: ['chunkId'], responses: { '200': 'The chunk, and its context: the section id and path, every chunk of the section, and the chunks before and after it.', '404': 'No such readable chunk.' } },
];
