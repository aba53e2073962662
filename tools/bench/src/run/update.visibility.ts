import { type ProductClient, sleep } from '@rag/eval';

const POLL_MS = 10;
const GIVE_UP_MS = 60_000;

export interface VisibilityProbe {
  readonly client: ProductClient;
  readonly collection: string;
  readonly externalId: string;
  readonly title: string;
  readonly text: string;
  readonly contentType?: 'text/plain' | 'text/markdown';
}

/** Where an update's time went, from the steps its outbox event records (ms; null when a step is not recorded). */
export interface UpdateSteps {
  /** Queued until a worker claimed it: the poll, and any earlier event the worker was still busy with. */
  readonly waiting: number | null;
  readonly embedding: number | null;
  /** Writing to both indexes (on Elasticsearch, until a refresh made the write searchable). */
  readonly indexing: number | null;
  readonly activating: number | null;
}

export interface UpdateProbeResult {
  readonly ms: number;
  readonly steps: UpdateSteps;
}

interface EventTimes {
  readonly queuedAt: number | null;
  readonly claimedAt: number | null;
  readonly embeddedAt: number | null;
  readonly indexedAt: number | null;
  readonly activatedAt: number | null;
}

/**
 * Submits a new version of a document carrying a word never seen before, then searches for that
 * word until the new version is the hit: milliseconds from the update call returning to that,
 * and the steps the worker recorded for it.
 */
export async function updateToVisibleMs(probe: VisibilityProbe, marker: string): Promise<UpdateProbeResult> {
  const content = `${probe.text}\n\n${marker} 更新标记 update marker ${marker}`;
  const { documentId, version } = await probe.client.submit({ collection: probe.collection, externalId: probe.externalId, title: probe.title, content, contentType: probe.contentType ?? 'text/plain' });
  const returned = performance.now();
  for (;;) {
    const { hits } = await probe.client.search({ query: marker, mode: 'keyword', collection: probe.collection, topK: 3 });
    if (hits.some((hit) => hit.documentId === documentId && hit.version === version)) {
      const ms = performance.now() - returned;
      return { ms, steps: await stepsOf(probe.client, documentId) };
    }
    if (performance.now() - returned > GIVE_UP_MS) throw new Error(`Version ${version} of ${documentId} was not found by /v1/search within ${GIVE_UP_MS / 1000} s of its update.`);
    await sleep(POLL_MS);
  }
}

/** A word the analyzer keeps whole and no corpus contains: letters only, unique per probe. */
export function markerWord(round: number): string {
  const letters = 'bcdfghjklmnpqrstvwxz';
  const stamp = `${Date.now()}${round}`;
  return `zq${Array.from(stamp, (digit) => letters[Number(digit)] ?? 'x').join('')}`;
}

/** The status answer carries the latest event's step times, which the eval client's type leaves out. */
async function stepsOf(client: ProductClient, documentId: string): Promise<UpdateSteps> {
  const status = (await client.status(documentId)) as { latestEvent?: EventTimes | null };
  const event = status.latestEvent;
  const between = (from: number | null | undefined, to: number | null | undefined) => (from == null || to == null ? null : to - from);
  return {
    waiting: between(event?.queuedAt, event?.claimedAt),
    embedding: between(event?.claimedAt, event?.embeddedAt),
    indexing: between(event?.embeddedAt, event?.indexedAt),
    activating: between(event?.indexedAt, event?.activatedAt),
  };
}
