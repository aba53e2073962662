import { type ProductClient, sleep } from '@rag/eval';

const POLL_MS = 10;
const GIVE_UP_MS = 60_000;

export interface VisibilityProbe {
  readonly client: ProductClient;
  readonly collection: string;
  readonly externalId: string;
  readonly title: string;
  readonly text: string;
}

/**
 * Submits a new version of a document carrying a word never seen before, then searches for that
 * word until the new version is the hit: milliseconds from the update call returning to that.
 */
export async function updateToVisibleMs(probe: VisibilityProbe, marker: string): Promise<number> {
  const content = `${probe.text}\n\n${marker} 更新标记 update marker ${marker}`;
  const { documentId, version } = await probe.client.submit({ collection: probe.collection, externalId: probe.externalId, title: probe.title, content });
  const returned = performance.now();
  for (;;) {
    const { hits } = await probe.client.search({ query: marker, mode: 'keyword', collection: probe.collection, topK: 3 });
    if (hits.some((hit) => hit.documentId === documentId && hit.version === version)) return performance.now() - returned;
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
