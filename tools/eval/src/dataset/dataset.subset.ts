import type { Dataset } from './dataset.loader.js';

export interface SubsetSize {
  readonly queries: number;
  readonly corpus: number;
}

/** What `--quick` evaluates: small enough for CI, the same every time. */
export const QUICK_SUBSET: SubsetSize = { queries: 50, corpus: 200 };

/** Only the queries that have relevant documents: a query without qrels cannot be scored. */
export function judgedQueries(dataset: Dataset): Dataset {
  return { ...dataset, queries: dataset.queries.filter((query) => (dataset.relevant.get(query.id)?.size ?? 0) > 0) };
}

/**
 * `count` items spread evenly over the list (the first, then every len/count-th), in order: a
 * deterministic sample that does not favour the start of a file grouped by topic.
 */
export function evenlySpaced<T>(items: readonly T[], count: number): T[] {
  if (count >= items.length) return [...items];
  return Array.from({ length: count }, (_, i) => items[Math.floor((i * items.length) / count)] as T);
}

/**
 * A deterministic subset: the first `queries` judged queries in file order, and a corpus made of
 * all their relevant documents topped up with the first other documents in file order to
 * `corpus` entries (more when the relevant ones alone exceed it). Corpus order is kept.
 */
export function subsetOf(dataset: Dataset, size: SubsetSize): Dataset {
  const queries = judgedQueries(dataset).queries.slice(0, size.queries);
  const wanted = new Set(queries.flatMap((query) => [...(dataset.relevant.get(query.id) ?? [])]));
  const known = new Set(dataset.corpus.map((entry) => entry.id));
  let fillers = Math.max(0, size.corpus - [...wanted].filter((id) => known.has(id)).length);
  const corpus = dataset.corpus.filter((entry) => {
    if (wanted.has(entry.id)) return true;
    if (fillers === 0) return false;
    fillers--;
    return true;
  });
  const queryIds = new Set(queries.map((query) => query.id));
  const relevant = new Map([...dataset.relevant].filter(([queryId]) => queryIds.has(queryId)));
  return { ...dataset, corpus, queries, relevant };
}
