import { type CorpusEntry, mapWithConcurrency, type ProductClient, sleep } from '@rag/eval';

const SUBMIT_CONCURRENCY = 8;
const POLL_MS = 25;
/** A document pending this long means the worker stopped (its output is printed); waiting on is pointless. */
const WAIT_LIMIT_MS = 3 * 60_000;

export interface LoadedDocuments {
  readonly documentIds: readonly string[];
  readonly chunks: number;
  /** From the first submission until the last document was seen indexed. */
  readonly seconds: number;
  readonly submitSeconds: number;
}

/** Submits the entries as plain-text documents over HTTP, 8 in flight, and waits until all are indexed. */
export async function loadDocuments(client: ProductClient, entries: readonly CorpusEntry[], collection: string): Promise<LoadedDocuments> {
  const started = performance.now();
  const documentIds = await mapWithConcurrency(entries, SUBMIT_CONCURRENCY, async (entry) => {
    const { documentId } = await client.submit({ collection, externalId: entry.id, title: entry.title.trim() || entry.id, content: entry.text });
    return documentId;
  });
  const submitSeconds = (performance.now() - started) / 1000;
  const chunks = await waitIndexed(client, documentIds);
  return { documentIds, chunks, seconds: (performance.now() - started) / 1000, submitSeconds };
}

/**
 * Waits, in submission order (the order the outbox drains), until every document is indexed;
 * returns the chunks of their active versions. A failed document stops the benchmark with its reason.
 */
export async function waitIndexed(client: ProductClient, documentIds: readonly string[]): Promise<number> {
  let chunks = 0;
  for (const documentId of documentIds) {
    const started = performance.now();
    for (;;) {
      const status = await client.status(documentId);
      if (status.status === 'indexed') {
        chunks += status.versions.find((version) => version.version === status.activeVersion)?.chunkCount ?? 0;
        break;
      }
      if (status.status !== 'pending') throw new Error(`Document ${documentId} ended ${status.status}: ${status.versions.at(-1)?.failureReason ?? 'no reason given'}`);
      if (performance.now() - started > WAIT_LIMIT_MS) throw new Error(`Document ${documentId} was still pending after ${WAIT_LIMIT_MS / 60_000} minutes.`);
      await sleep(POLL_MS);
    }
  }
  return chunks;
}
