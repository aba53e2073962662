import { createHash } from 'node:crypto';

/** Everything the indexes store for a chunk besides its document: what makes two chunks the same. */
export interface ChunkFingerprint {
  readonly collection: string;
  readonly title: string;
  readonly aclGroups: readonly string[];
  readonly sectionPath: readonly string[];
  readonly text: string;
}

/**
 * Content-addressed chunk ids for one version's chunks, in their order, e.g. `doc_x~3f9a…`. A chunk
 * whose indexed content did not change keeps its id across versions, so a new version writes only
 * the chunks that changed. The node id is left out on purpose: a paragraph inserted above shifts
 * the node ids below it, and those chunks must still be reused (each version keeps its own node
 * ids in `version_chunks`). Equal chunks in one version (a repeated disclaimer) are told apart by
 * their occurrence, so ids stay unique within a version. The document id keeps two documents with
 * the same text apart.
 */
export function contentChunkIds(documentId: string, chunks: readonly ChunkFingerprint[]): string[] {
  const seen = new Map<string, number>();
  return chunks.map((chunk) => {
    const digest = fingerprintDigest(chunk);
    const occurrence = seen.get(digest) ?? 0;
    seen.set(digest, occurrence + 1);
    const unique = occurrence === 0 ? digest : sha256(`${digest}#${occurrence}`);
    return `${documentId}~${unique.slice(0, 32)}`;
  });
}

function fingerprintDigest(chunk: ChunkFingerprint): string {
  // JSON keeps the fields' boundaries unambiguous; the order of ACL groups means nothing to the indexes.
  return sha256(JSON.stringify([chunk.collection, chunk.title, [...chunk.aclGroups].sort(), chunk.sectionPath, chunk.text]));
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}
