import type { CorpusEntry } from '@rag/eval';
import { splitSentences } from '@rag/text-analysis';

export interface Passage {
  readonly title: string;
  readonly text: string;
}

const HAN = /\p{Script=Han}/u;
const SENTENCES_PER_PASSAGE = [3, 6] as const;

/**
 * An endless supply of passages grown from a real corpus: first every real passage as it is, then
 * passages of 3–6 sentences drawn at random (seeded, so every run grows the same corpus) from
 * real passages of the same script, so the terms keep the corpus's own distribution.
 */
export function* passagesFrom(entries: readonly CorpusEntry[], seed = 1): Generator<Passage, never> {
  for (const entry of entries) yield { title: entry.title.trim() || entry.id, text: entry.text };
  const random = mulberry32(seed);
  const pools = [entries.filter((entry) => HAN.test(entry.text)), entries.filter((entry) => !HAN.test(entry.text))].filter((pool) => pool.length > 0);
  const sentencesOf = new Map<CorpusEntry, string[]>();
  const sentences = (entry: CorpusEntry) => {
    let list = sentencesOf.get(entry);
    if (!list) sentencesOf.set(entry, (list = splitSentences(entry.text).filter((sentence) => sentence.trim().length > 0)));
    return list;
  };
  const pick = <T>(list: readonly T[]) => list[Math.floor(random() * list.length)] as T;
  for (let n = 0; ; n++) {
    const pool = pools[n % pools.length] as CorpusEntry[];
    const count = SENTENCES_PER_PASSAGE[0] + Math.floor(random() * (SENTENCES_PER_PASSAGE[1] - SENTENCES_PER_PASSAGE[0] + 1));
    const parts = Array.from({ length: count }, () => pick(sentences(pick(pool))) ?? '');
    const separator = HAN.test(parts.join('')) ? '' : ' ';
    yield { title: `${pick(pool).title.trim() || 'passage'} ${n}`, text: parts.join(separator) };
  }
}

/** A small, fast, seeded PRNG (public domain), enough to make the grown corpus reproducible. */
function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
