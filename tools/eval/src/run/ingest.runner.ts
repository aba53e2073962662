import type { CorpusEntry } from '../dataset/dataset.loader.js';
import { type DocumentStatus, type ProductClient, ProductError } from './product.client.js';
import { progressBar } from './progress.bar.js';
import { mapWithConcurrency, sleep } from './task.pool.js';

export interface IngestFailure {
  readonly corpusId: string;
  readonly reason: string;
}

export interface IngestOutcome {
  readonly documents: number;
  readonly indexed: number;
  readonly failures: readonly IngestFailure[];
  readonly chunks: number;
  /** From the first submission until every document was seen indexed (or failed). */
  readonly seconds: number;
  readonly submitSeconds: number;
  /** The product's document id → the corpus id it was submitted as. */
  readonly corpusIdOf: ReadonlyMap<string, string>;
}

export const INGEST_CONCURRENCY = 8;
/** The product requires a title; corpus entries without one (tatqa) get this, which yields no index terms. */
export const UNTITLED = '-';
const TITLE_LIMIT = 512;
const FRONTIER_POLL_MS = 500;
const STRAGGLER_POLL_MS = 200;
/** The worker retries a failing document with backoff for a few minutes before dead-lettering it. */
const STALL_LIMIT_MS = 10 * 60_000;

interface Submitted {
  readonly corpusId: string;
  readonly documentId: string;
}

/**
 * Submits every corpus entry as one plain-text document into `collection`, 8 at a time, then
 * waits until all are indexed. The index worker drains its outbox in order, so progress is
 * followed by a binary search for the first pending document; then every document is checked.
 */
export async function ingestCorpus(client: ProductClient, corpus: readonly CorpusEntry[], collection: string, contentType: 'text/plain' | 'text/markdown' = 'text/plain'): Promise<IngestOutcome> {
  const started = performance.now();
  const failures: IngestFailure[] = [];
  const submitBar = progressBar('Submitting', corpus.length);
  let submittedCount = 0;
  const results = await mapWithConcurrency(corpus, INGEST_CONCURRENCY, async (entry): Promise<Submitted | null> => {
    try {
      const { documentId } = await client.submit({ collection, externalId: entry.id, title: titleOf(entry), content: entry.text, contentType });
      return { corpusId: entry.id, documentId };
    } catch (error) {
      if (!(error instanceof ProductError)) throw error;
      failures.push({ corpusId: entry.id, reason: error.message });
      return null;
    } finally {
      submitBar.update(++submittedCount);
    }
  });
  submitBar.stop();
  const submitSeconds = (performance.now() - started) / 1000;
  const submitted = results.filter((result): result is Submitted => result !== null);

  const frontierReached = await followFrontier(client, submitted);
  const statuses = await mapWithConcurrency(submitted, INGEST_CONCURRENCY, (document) => finalStatus(client, document.documentId));
  const finished = statuses.reduce((latest, status) => Math.max(latest, status.seenAt ?? 0), frontierReached);

  let chunks = 0;
  statuses.forEach(({ status }, i) => {
    const document = submitted[i] as Submitted;
    const active = status.versions.find((version) => version.version === status.activeVersion);
    if (status.status === 'indexed' && active) chunks += active.chunkCount;
    else failures.push({ corpusId: document.corpusId, reason: `status ${status.status}: ${status.versions.at(-1)?.failureReason ?? 'no reason given'}` });
  });
  failures.sort((a, b) => a.corpusId.localeCompare(b.corpusId));
  return {
    documents: corpus.length,
    indexed: statuses.filter(({ status }) => status.status === 'indexed').length,
    failures,
    chunks,
    seconds: (finished - started) / 1000,
    submitSeconds,
    corpusIdOf: new Map(submitted.map((document) => [document.documentId, document.corpusId])),
  };
}

function titleOf(entry: CorpusEntry): string {
  const title = Array.from(entry.title.trim()).slice(0, TITLE_LIMIT).join('');
  return title.length > 0 ? title : UNTITLED;
}

/** Waits until the first pending document is past the end; returns when that was seen. */
async function followFrontier(client: ProductClient, submitted: readonly Submitted[]): Promise<number> {
  const bar = progressBar('Indexing', submitted.length);
  let last = { done: -1, at: performance.now() };
  for (;;) {
    const done = await firstPending(client, submitted);
    bar.update(done);
    if (done === submitted.length) break;
    if (done !== last.done) last = { done, at: performance.now() };
    else if (performance.now() - last.at > STALL_LIMIT_MS) throw new Error(`Indexing made no progress for ${STALL_LIMIT_MS / 60_000} minutes at document ${done} of ${submitted.length}.`);
    await sleep(FRONTIER_POLL_MS);
  }
  bar.stop();
  return performance.now();
}

/** Binary search for the first document still pending, assuming documents finish about in order. */
async function firstPending(client: ProductClient, submitted: readonly Submitted[]): Promise<number> {
  let low = 0;
  let high = submitted.length;
  while (low < high) {
    const middle = Math.floor((low + high) / 2);
    const { status } = await client.status((submitted[middle] as Submitted).documentId);
    if (status === 'pending') high = middle;
    else low = middle + 1;
  }
  return low;
}

/** A document's settled status; `seenAt` is set when it was still pending at the first look. */
async function finalStatus(client: ProductClient, documentId: string): Promise<{ status: DocumentStatus; seenAt: number | null }> {
  const started = performance.now();
  for (let waited = false; ; waited = true) {
    const status = await client.status(documentId);
    if (status.status !== 'pending') return { status, seenAt: waited ? performance.now() : null };
    if (performance.now() - started > STALL_LIMIT_MS) throw new Error(`Document ${documentId} was still pending after ${STALL_LIMIT_MS / 60_000} minutes.`);
    await sleep(STRAGGLER_POLL_MS);
  }
}
