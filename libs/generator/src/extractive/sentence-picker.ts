import type { ContextBlock } from '@rag/core';
import { analyze, analyzeQuery, splitSentences } from '@rag/text-analysis';

export interface PickedSentence {
  readonly marker: number;
  readonly text: string;
  readonly coverage: number;
}

interface Candidate extends PickedSentence {
  readonly blockIndex: number;
  readonly sentenceIndex: number;
}

/** A sentence must cover at least this share of the query's weighted terms to be an answer. */
const MIN_COVERAGE = 0.3;
/** Further sentences join the best one when they cover at least this share of what it covers. */
const COMPANION_RATIO = 0.6;
/** At least this share of a question's terms must occur in the context for it to be answered. */
const MIN_ANSWERABLE_SHARE = 0.4;
/** Earlier (better-ranked) blocks win ties. */
const RANK_PENALTY = 0.01;

/**
 * Chooses the sentences of the context that best cover the question's terms, weighting rare
 * terms higher (IDF over the candidate sentences), and returns them in reading order.
 */
export function pickSentences(question: string, contexts: readonly ContextBlock[], maxSentences: number): PickedSentence[] {
  const sentences = contexts.flatMap((block, blockIndex) =>
    splitSentences(block.chunk.text).map((text, sentenceIndex) => ({ block, blockIndex, sentenceIndex, text, terms: new Set(analyze(text)) })),
  );
  const queryTerms = answerableTerms(analyzeQuery(question), sentences.map((s) => s.terms));
  if (queryTerms.length === 0) return [];
  const idf = inverseFrequencies(queryTerms, sentences.map((s) => s.terms));
  const totalWeight = queryTerms.reduce((sum, term) => sum + (idf.get(term) ?? 0), 0);
  const scored: Candidate[] = sentences.map((s) => {
    const covered = queryTerms.reduce((sum, term) => sum + (s.terms.has(term) ? (idf.get(term) ?? 0) : 0), 0);
    const coverage = totalWeight === 0 ? 0 : covered / totalWeight - RANK_PENALTY * s.blockIndex;
    return { marker: s.block.marker, text: s.text, coverage, blockIndex: s.blockIndex, sentenceIndex: s.sentenceIndex };
  });
  const ranked = scored.filter((c) => c.coverage >= MIN_COVERAGE).sort((a, b) => b.coverage - a.coverage);
  const best = ranked[0];
  if (!best) return [];
  const chosen = dedupe(ranked.filter((c) => c.coverage >= best.coverage * COMPANION_RATIO)).slice(0, maxSentences);
  return chosen
    .sort((a, b) => a.blockIndex - b.blockIndex || a.sentenceIndex - b.sentenceIndex)
    .map(({ marker, text, coverage }) => ({ marker, text, coverage }));
}

/**
 * The query terms some context sentence contains. Particles, question words and the bigrams that
 * straddle them ("那普卡呢" gives 那, 呢, 那普, 卡呢) appear in no answer and would only dilute the
 * coverage of the terms that matter; but a question mostly made of unknown terms gets no answer.
 */
function answerableTerms(terms: readonly string[], sentences: readonly Set<string>[]): string[] {
  const answerable = terms.filter((term) => sentences.some((sentence) => sentence.has(term)));
  return answerable.length >= terms.length * MIN_ANSWERABLE_SHARE ? answerable : [];
}

function inverseFrequencies(terms: readonly string[], documents: readonly Set<string>[]): Map<string, number> {
  const idf = new Map<string, number>();
  for (const term of terms) {
    const frequency = documents.reduce((count, doc) => count + (doc.has(term) ? 1 : 0), 0);
    idf.set(term, Math.log(1 + (documents.length + 1) / (frequency + 0.5)));
  }
  return idf;
}

/** The same sentence can sit in two chunks (overlap, repeated boilerplate); keep the first. */
function dedupe(candidates: readonly Candidate[]): Candidate[] {
  const seen = new Set<string>();
  return candidates.filter((c) => (seen.has(c.text) ? false : (seen.add(c.text), true)));
}
