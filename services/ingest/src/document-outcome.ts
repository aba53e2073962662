import type { DocumentVersion, SubmittedVersion } from '@rag/core';

/** What a submission did, as a person feeding documents in would say it. */
export type SubmissionOutcome = 'ingested' | 'updated' | 'unchanged' | 'failed';

export interface SubmitDocumentResponse {
  readonly documentId: string;
  readonly version: number;
  readonly status: DocumentVersion['status'];
  readonly unchanged: boolean;
  readonly outcome: SubmissionOutcome;
  readonly failureReason: string | null;
}

export function describeSubmission(result: SubmittedVersion): SubmitDocumentResponse {
  return {
    documentId: result.document.id,
    version: result.version.version,
    status: result.version.status,
    unchanged: result.unchanged,
    outcome: outcomeOf(result),
    failureReason: result.version.failureReason,
  };
}

function outcomeOf({ unchanged, version }: SubmittedVersion): SubmissionOutcome {
  if (unchanged) return 'unchanged';
  if (version.status === 'failed') return 'failed';
  return version.version === 1 ? 'ingested' : 'updated';
}
