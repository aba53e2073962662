import { AppError, isAppError, type Principal } from '@rag/core';
import type { IngestService } from '@rag/ingestion';
import { ZodValidationPipe } from '@rag/platform';
import { describeSubmission, type SubmissionOutcome } from './document-outcome';
import { submissionFromJson } from './document-submission.mapper';
import { submitDocumentSchema } from './document.request';

export interface BatchItemResult {
  readonly index: number;
  readonly externalId: string | null;
  readonly outcome: SubmissionOutcome;
  readonly documentId: string | null;
  readonly version: number | null;
  readonly status: string | null;
  readonly reason: string | null;
}

export interface BatchResponse {
  readonly results: readonly BatchItemResult[];
  readonly summary: Readonly<Record<SubmissionOutcome, number>>;
}

/** Errors that belong to one item (its shape, its size); anything else, such as a store outage, fails the request. */
const ITEM_ERRORS = new Set(['VALIDATION_FAILED', 'PAYLOAD_TOO_LARGE', 'DOCUMENT_UNPARSABLE']);
const itemPipe = new ZodValidationPipe(submitDocumentSchema);

/**
 * Submits a batch one document after another, so a document that appears twice gets two versions
 * in order. A bad item is reported as failed with its reason and never stops the others.
 */
export async function submitBatch(ingest: IngestService, principal: Principal, items: readonly unknown[], maxDocuments: number, traceContext: string | null = null): Promise<BatchResponse> {
  if (items.length > maxDocuments) {
    throw new AppError('VALIDATION_FAILED', `documents: a batch holds at most ${maxDocuments} documents (MAX_BATCH_DOCUMENTS); this one has ${items.length}.`, { field: 'documents' });
  }
  const results: BatchItemResult[] = [];
  for (const [index, item] of items.entries()) results.push(await submitItem(ingest, principal, item, index, traceContext));
  const summary = { ingested: 0, updated: 0, unchanged: 0, failed: 0 };
  for (const result of results) summary[result.outcome]++;
  return { results, summary };
}

async function submitItem(ingest: IngestService, principal: Principal, item: unknown, index: number, traceContext: string | null): Promise<BatchItemResult> {
  const externalId = externalIdOf(item);
  try {
    const submission = submissionFromJson(itemPipe.transform(item));
    const response = describeSubmission(await ingest.submit(principal, submission, traceContext));
    return { index, externalId: submission.externalId, outcome: response.outcome, documentId: response.documentId, version: response.version, status: response.status, reason: response.failureReason };
  } catch (error) {
    if (!isAppError(error) || !ITEM_ERRORS.has(error.code)) throw error;
    return { index, externalId, outcome: 'failed', documentId: null, version: null, status: null, reason: `documents[${index}]: ${error.message}` };
  }
}

function externalIdOf(item: unknown): string | null {
  if (typeof item !== 'object' || item === null) return null;
  const id = (item as { externalId?: unknown }).externalId;
  return typeof id === 'string' ? id : null;
}
