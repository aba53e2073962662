import type { Citation, ContextBlock } from '@rag/core';
import { analyze, splitSentences } from '@rag/text-analysis';

export interface CitedAnswer {
  readonly citations: Citation[];
  /** Markers that named no context block: the generator cited something it was not given. */
  readonly unknownMarkers: number[];
}

const MARKER = /\[(\d{1,3})\]/g;

/**
 * Turns the `[n]` markers of an answer into citations. Each citation quotes, verbatim, the
 * sentence of the cited chunk that best supports the answer text before the marker.
 */
export function buildCitations(answer: string, contexts: readonly ContextBlock[]): CitedAnswer {
  const blocks = new Map(contexts.map((block) => [block.marker, block]));
  const citations: Citation[] = [];
  const unknownMarkers: number[] = [];
  const seen = new Set<string>();
  let claimStart = 0;
  for (const match of answer.matchAll(MARKER)) {
    const marker = Number(match[1]);
    const claim = answer.slice(claimStart, match.index).replace(MARKER, '').trim();
    claimStart = match.index + match[0].length;
    const block = blocks.get(marker);
    if (!block) {
      unknownMarkers.push(marker);
      continue;
    }
    const quote = supportingSentence(claim, block.chunk.text);
    const key = `${marker}\u0000${quote}`;
    if (seen.has(key)) continue;
    seen.add(key);
    citations.push(citationOf(block, quote));
  }
  return { citations, unknownMarkers };
}

function citationOf(block: ContextBlock, quote: string): Citation {
  const { chunk } = block;
  return {
    marker: block.marker,
    chunkId: chunk.id,
    documentId: chunk.documentId,
    version: chunk.version,
    nodeId: chunk.nodeId,
    title: chunk.title,
    sectionPath: chunk.sectionPath,
    quote,
  };
}

/** The chunk sentence equal to the claim, else the one sharing the most terms with it. */
function supportingSentence(claim: string, text: string): string {
  const sentences = splitSentences(text);
  const exact = sentences.find((sentence) => sentence === claim || claim.includes(sentence));
  if (exact) return exact;
  const claimTerms = new Set(analyze(claim));
  let best = sentences[0] ?? text;
  let bestOverlap = -1;
  for (const sentence of sentences) {
    const overlap = analyze(sentence).filter((term) => claimTerms.has(term)).length;
    if (overlap > bestOverlap) [best, bestOverlap] = [sentence, overlap];
  }
  return best;
}
