import { type CorpusEntry, mapWithConcurrency, type ProductClient, sleep } from '@rag/eval';

/** Documents per POST /v1/documents/batch, and batches in flight: how a bulk load reaches the product. */
export const BATCH_DOCUMENTS = 50;
export const BATCHES_IN_FLIGHT = 2;
const POLL_MS = 25;
/** The outbox not shrinking for this long means the worker stopped (its output is printed); waiting on is pointless. */
const STALL_LIMIT_MS = 3 * 60_000;

export interface LoadedDocuments {
  readonly documentIds: readonly string[];
  readonly chunks: number;
  /** From the first submission until the outbox held no event left to do. */
  readonly seconds: number;
  readonly submitSeconds: number;
}

/**
 * Submits the entries as documents (plain text unless told) over HTTP, in batches, and waits until the index
 * worker has done every event. Then, off the clock, checks that each document reads indexed and
 * counts the chunks of their active versions.
 */
export async function loadDocuments(client: ProductClient, entries: readonly CorpusEntry[], collection: string, contentType: 'text/plain' | 'text/markdown' = 'text/plain'): Promise<LoadedDocuments> {
  const started = performance.now();
  const batches = Array.from({ length: Math.ceil(entries.length / BATCH_DOCUMENTS) }, (_, i) => entries.slice(i * BATCH_DOCUMENTS, (i + 1) * BATCH_DOCUMENTS));
  const answers = await mapWithConcurrency(batches, BATCHES_IN_FLIGHT, (batch) =>
    client.submitBatch(batch.map((entry) => ({ collection, externalId: entry.id, title: entry.title.trim() || entry.id, content: entry.text, contentType }))),
  );
  const documentIds = answers.flatMap((answer, batch) =>
    answer.results.map((result) => {
      if (result.documentId === null) throw new Error(`Document ${batches[batch]?.[result.index]?.id ?? result.index} was refused: ${result.reason ?? 'no reason given'}`);
      return result.documentId;
    }),
  );
  const submitSeconds = (performance.now() - started) / 1000;
  await waitUntilDrained(client);
  const seconds = (performance.now() - started) / 1000;
  return { documentIds, chunks: await indexedChunks(client, documentIds), seconds, submitSeconds };
}

/** Polls the outbox until no index event is pending or in progress. */
async function waitUntilDrained(client: ProductClient): Promise<void> {
  let last = Number.POSITIVE_INFINITY;
  let progressAt = performance.now();
  for (;;) {
    const { pending } = await client.outboxPending();
    if (pending === 0) return;
    if (pending < last) [last, progressAt] = [pending, performance.now()];
    if (performance.now() - progressAt > STALL_LIMIT_MS) throw new Error(`${pending} index events were still pending after ${STALL_LIMIT_MS / 60_000} minutes without progress.`);
    await sleep(POLL_MS);
  }
}

/** The chunks of the documents' active versions; a document that is not indexed stops the benchmark with its reason. */
async function indexedChunks(client: ProductClient, documentIds: readonly string[]): Promise<number> {
  const counts = await mapWithConcurrency(documentIds, 8, async (documentId) => {
    const status = await client.status(documentId);
    if (status.status !== 'indexed') throw new Error(`Document ${documentId} ended ${status.status}: ${status.versions.at(-1)?.failureReason ?? 'no reason given'}`);
    return status.versions.find((version) => version.version === status.activeVersion)?.chunkCount ?? 0;
  });
  return counts.reduce((sum, count) => sum + count, 0);
}
