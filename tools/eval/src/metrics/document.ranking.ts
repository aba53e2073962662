/** A search hit as far as ranking by document is concerned. */
export interface RankedHit {
  readonly documentId: string;
}

/**
 * Turns chunk hits into a ranking of corpus ids: a document found through several chunks keeps
 * the rank of its first one, and hits of documents the evaluation did not submit are dropped.
 */
export function corpusRanking(hits: readonly RankedHit[], corpusIdOf: ReadonlyMap<string, string>): string[] {
  const seen = new Set<string>();
  const ranking: string[] = [];
  for (const hit of hits) {
    const corpusId = corpusIdOf.get(hit.documentId);
    if (corpusId === undefined || seen.has(corpusId)) continue;
    seen.add(corpusId);
    ranking.push(corpusId);
  }
  return ranking;
}
