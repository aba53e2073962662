import type { Dataset } from '../dataset/dataset.loader.js';
import { summarizeLatency, type LatencySummary } from '../metrics/latency.summary.js';
import { type ChatResult, type ProductClient, ProductError } from '../run/product.client.js';
import { progressBar } from '../run/progress.bar.js';
import { answerFound } from './answer.match.js';

export interface AnswerReport {
  readonly generator: string;
  /** Questions asked: the first N judged ones that have gold answers. */
  readonly questions: number;
  /** Share of answers whose cited chunks contain a gold answer. */
  readonly citedChunksContainAnswer: number;
  /** Share of answers whose own text contains a gold answer. */
  readonly answerTextContainsAnswer: number;
  /** Cited chunks that belong to a relevant document, over all cited chunks. */
  readonly citationPrecision: number;
  readonly citations: number;
  /** Share of answers that cite nothing. */
  readonly uncited: number;
  /** Share of answers whose every sentence was supported by the block it cites. */
  readonly verificationPassRate: number;
  /** Share of answers where the generator failed verification twice and the extractive answer was returned. */
  readonly fallbackRate: number;
  readonly latencyMs: LatencySummary;
  readonly errors: number;
  readonly firstError: string | null;
}

export interface AnswerRun {
  readonly client: ProductClient;
  readonly collection: string;
  readonly generator: string;
  readonly corpusIdOf: ReadonlyMap<string, string>;
}

interface Tally {
  contained: number;
  textContains: number;
  relevantCitations: number;
  citations: number;
  uncited: number;
  passed: number;
  fallbacks: number;
  answered: number;
}

/** Asks each question through /v1/chat (hybrid, one at a time) and checks its citations against the gold answers and qrels. */
export async function evaluateAnswers(run: AnswerRun, dataset: Dataset, count: number): Promise<AnswerReport> {
  const questions = dataset.queries.filter((query) => query.answers.length > 0).slice(0, count);
  const bar = progressBar(`Answers (${run.generator})`, questions.length);
  const chunkText = chunkReader(run.client);
  const tally: Tally = { contained: 0, textContains: 0, relevantCitations: 0, citations: 0, uncited: 0, passed: 0, fallbacks: 0, answered: 0 };
  const latencies: number[] = [];
  let errors = 0;
  let firstError: string | null = null;
  for (const [i, question] of questions.entries()) {
    const sent = performance.now();
    try {
      const result = await run.client.chat({ query: question.text, mode: 'hybrid', collection: run.collection, topK: 5 });
      latencies.push(performance.now() - sent);
      await count1(tally, result, question.answers, dataset.relevant.get(question.id) ?? new Set<string>(), run.corpusIdOf, chunkText);
    } catch (error) {
      if (!(error instanceof ProductError)) throw error;
      errors++;
      firstError ??= `${question.id}: ${error.message}`;
    }
    bar.update(i + 1);
  }
  bar.stop();
  const share = (value: number) => (questions.length === 0 ? 0 : value / questions.length);
  return {
    generator: run.generator,
    questions: questions.length,
    citedChunksContainAnswer: share(tally.contained),
    answerTextContainsAnswer: share(tally.textContains),
    citationPrecision: tally.citations === 0 ? 0 : tally.relevantCitations / tally.citations,
    citations: tally.citations,
    uncited: share(tally.uncited),
    verificationPassRate: share(tally.passed),
    fallbackRate: share(tally.fallbacks),
    latencyMs: summarizeLatency(latencies),
    errors,
    firstError,
  };
}

/** Adds one answer to the tally; an unanswered question (error) counts as a miss everywhere. */
async function count1(tally: Tally, result: ChatResult, answers: readonly string[], relevant: ReadonlySet<string>, corpusIdOf: ReadonlyMap<string, string>, chunkText: (chunkId: string) => Promise<string>): Promise<void> {
  tally.answered++;
  const cited = [...new Map(result.citations.map((citation) => [citation.chunkId, citation])).values()];
  if (cited.length === 0) tally.uncited++;
  const texts = await Promise.all(cited.map((citation) => chunkText(citation.chunkId)));
  if (texts.some((text) => answerFound(text, answers))) tally.contained++;
  if (answerFound(result.answer, answers)) tally.textContains++;
  tally.citations += cited.length;
  tally.relevantCitations += cited.filter((citation) => relevant.has(corpusIdOf.get(citation.documentId) ?? '')).length;
  if (result.verification.passed) tally.passed++;
  if (result.verification.fallbackUsed) tally.fallbacks++;
}

/** Cited chunks' full text, fetched once each. */
function chunkReader(client: ProductClient): (chunkId: string) => Promise<string> {
  const cache = new Map<string, Promise<string>>();
  return (chunkId) => {
    let text = cache.get(chunkId);
    if (!text) {
      text = client.chunk(chunkId).then((chunk) => chunk.text);
      cache.set(chunkId, text);
    }
    return text;
  };
}
