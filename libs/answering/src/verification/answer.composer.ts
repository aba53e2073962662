import type { Citation, ContextBlock, Generator, Verification } from '@rag/core';
import { buildCitations } from '../citation.builder';
import { type AnswerCheck, checkAnswer } from './answer.verifier';

export interface ComposedAnswer {
  readonly text: string;
  readonly citations: readonly Citation[];
  readonly verification: Verification;
  /** The generator whose words the answer is, e.g. `openai` or `extractive`. */
  readonly generator: string;
  /** True when the generator failed (down, timed out, broke off) and the extractive answer stands in. */
  readonly generatorFailed: boolean;
}

export interface ComposeRequest {
  readonly question: string;
  readonly contexts: readonly ContextBlock[];
  readonly onToken: (text: string) => void;
  readonly signal?: AbortSignal;
}

/**
 * Writes an answer a compliance officer can check. The generator answers (streamed to the caller);
 * every sentence is verified against the block it cites. Unsupported sentences are removed when
 * most of the answer holds; otherwise the generator tries once more, strictly; if that fails too,
 * the extractive answer, which quotes the sources verbatim, is returned and the verification says so.
 */
export class AnswerComposer {
  constructor(
    private readonly generator: Generator,
    private readonly fallback: Generator,
    private readonly minSupport: number,
  ) {}

  async compose(request: ComposeRequest): Promise<ComposedAnswer> {
    let first: string;
    try {
      first = await this.run(this.generator, request, false, request.onToken);
    } catch (error) {
      if (this.generator === this.fallback) throw error;
      return this.generatorDown(request);
    }
    const accepted = this.accept(first, request.contexts, false);
    if (accepted) return accepted;
    if (this.generator !== this.fallback) {
      const second = await this.run(this.generator, request, true, () => undefined).catch(() => null);
      if (second === null) return this.generatorDown(request);
      const retried = this.accept(second, request.contexts, true);
      if (retried) return retried;
    }
    const firstCheck = checkAnswer(first, request.contexts, this.minSupport);
    return this.fallbackAnswer(request, firstCheck, this.generator === this.fallback ? first : null);
  }

  /** The model server failed: the extractive answer, verified like any other, flagged so the response says so. */
  private async generatorDown(request: ComposeRequest): Promise<ComposedAnswer> {
    const text = await this.run(this.fallback, request, false, () => undefined);
    const check = checkAnswer(text, request.contexts, this.minSupport);
    const verification: Verification = { passed: true, minSupport: this.minSupport, sentences: check.sentences, removed: [], regenerated: false, fallbackUsed: true };
    return { text, citations: buildCitations(text, request.contexts).citations, verification, generator: this.fallback.name, generatorFailed: true };
  }

  private async run(generator: Generator, request: ComposeRequest, strict: boolean, onToken: (text: string) => void): Promise<string> {
    let text = '';
    for await (const piece of generator.generate({ question: request.question, contexts: request.contexts, signal: request.signal, strict })) {
      text += piece;
      onToken(piece);
    }
    return text.trim();
  }

  /** The answer as is when every sentence holds; the supported part when at least half holds. */
  private accept(text: string, contexts: readonly ContextBlock[], regenerated: boolean): ComposedAnswer | null {
    const check = checkAnswer(text, contexts, this.minSupport);
    const kept = check.sentences.length - check.removed.length;
    if (kept === 0 || check.removed.length > kept) return null;
    const finalText = check.removed.length === 0 ? text : check.keptText;
    return this.answer(finalText, contexts, check, { regenerated, fallbackUsed: false }, this.generator.name);
  }

  /** `alreadyWritten`: the fallback's own answer when it was the generator, so it is not run twice. */
  private async fallbackAnswer(request: ComposeRequest, failed: AnswerCheck, alreadyWritten: string | null): Promise<ComposedAnswer> {
    const text = alreadyWritten ?? (await this.run(this.fallback, request, false, () => undefined));
    const check = checkAnswer(text, request.contexts, this.minSupport);
    // The extractive answer quotes its sources, or abstains; either way it claims nothing unsupported.
    const removed = this.generator === this.fallback ? check.removed : failed.sentences.map((s) => s.sentence);
    const verification: Verification = {
      passed: check.removed.length === 0 || check.sentences.every((s) => s.markers.length === 0),
      minSupport: this.minSupport,
      sentences: this.generator === this.fallback ? check.sentences : failed.sentences,
      removed: this.generator === this.fallback ? [] : removed,
      regenerated: this.generator !== this.fallback,
      fallbackUsed: this.generator !== this.fallback,
    };
    return { text, citations: buildCitations(text, request.contexts).citations, verification, generator: this.fallback.name, generatorFailed: false };
  }

  private answer(text: string, contexts: readonly ContextBlock[], check: AnswerCheck, flags: { regenerated: boolean; fallbackUsed: boolean }, generator: string): ComposedAnswer {
    const verification: Verification = { passed: true, minSupport: this.minSupport, sentences: check.sentences, removed: check.removed, ...flags };
    return { text, citations: buildCitations(text, contexts).citations, verification, generator, generatorFailed: false };
  }
}
