import type { ContextBlock, SentenceCheck } from '@rag/core';
import { analyze, splitSentences } from '@rag/text-analysis';

export interface AnswerCheck {
  readonly sentences: readonly SentenceCheck[];
  /** The supported sentences with their markers, in order: the answer with the rest removed. */
  readonly keptText: string;
  readonly removed: readonly string[];
}

const MARKER_GROUP = /((?:\s*\[\d{1,3}\])+)/;
const MARKER = /\[(\d{1,3})\]/g;

/**
 * Checks every sentence of an answer: it must cite at least one block, every block it cites
 * must have been in the context, and the cited text must contain at least `minSupport` of the
 * sentence's terms (lexical support, on the same analyzer as retrieval, so Chinese and codes count).
 */
export function checkAnswer(answer: string, contexts: readonly ContextBlock[], minSupport: number): AnswerCheck {
  const blocks = new Map(contexts.map((block) => [block.marker, block]));
  const sentences = citedSentences(answer).map(({ sentence, markers }) => checkSentence(sentence, markers, blocks, minSupport));
  const kept = sentences.filter((check) => check.verdict === 'supported');
  return {
    sentences,
    keptText: kept.map((check) => `${check.sentence} ${check.markers.map((m) => `[${m}]`).join('')}`).join(' '),
    removed: sentences.filter((check) => check.verdict !== 'supported').map((check) => check.sentence),
  };
}

/** Splits an answer into sentences, each with the markers written right after it. */
export function citedSentences(answer: string): { sentence: string; markers: number[] }[] {
  const parts = answer.split(MARKER_GROUP);
  const result: { sentence: string; markers: number[] }[] = [];
  for (let i = 0; i < parts.length; i += 2) {
    const sentences = splitSentences(parts[i] ?? '');
    const markers = [...(parts[i + 1] ?? '').matchAll(MARKER)].map((match) => Number(match[1]));
    sentences.forEach((sentence, index) => result.push({ sentence, markers: index === sentences.length - 1 ? markers : [] }));
    if (sentences.length === 0 && markers.length > 0 && result.length > 0) {
      (result[result.length - 1] as { markers: number[] }).markers.push(...markers);
    }
  }
  return result;
}

function checkSentence(sentence: string, markers: readonly number[], blocks: ReadonlyMap<number, ContextBlock>, minSupport: number): SentenceCheck {
  const unique = [...new Set(markers)];
  if (unique.length === 0) return { sentence, markers: unique, support: 0, verdict: 'no-citation' };
  const cited = unique.map((marker) => blocks.get(marker));
  if (cited.some((block) => block === undefined)) return { sentence, markers: unique, support: 0, verdict: 'unknown-citation' };
  const support = supportOf(sentence, cited as ContextBlock[]);
  return { sentence, markers: unique, support, verdict: support >= minSupport ? 'supported' : 'low-support' };
}

function supportOf(sentence: string, cited: readonly ContextBlock[]): number {
  const claimed = new Set(analyze(sentence));
  if (claimed.size === 0) return 1;
  const available = new Set(cited.flatMap((block) => analyze([...block.chunk.sectionPath, block.chunk.text].join('\n'))));
  let found = 0;
  for (const term of claimed) if (available.has(term)) found++;
  return Math.round((found / claimed.size) * 1000) / 1000;
}
