import { toTenantId, type ContextBlock, type GenerationRequest, type Generator } from '@rag/core';
import { ExtractiveGenerator } from '@rag/generator';
import { describe, expect, it } from 'vitest';
import { AnswerComposer } from './answer.composer';

function block(marker: number, text: string): ContextBlock {
  return {
    marker,
    chunk: { id: `d@1#0.${marker}`, tenantId: toTenantId('t'), collection: 'c', documentId: 'd', version: 1, nodeId: `0.${marker}`, ordinal: 0, title: 'Card FAQ', sectionPath: ['Card FAQ', 'Fees'], text, contentHash: 'h', aclGroups: ['*'] },
  };
}

/** A stand-in model that answers from a script, one answer per attempt. */
class ScriptedGenerator implements Generator {
  readonly name = 'scripted';
  readonly requests: GenerationRequest[] = [];
  constructor(private readonly answers: string[]) {}
  async *generate(request: GenerationRequest): AsyncIterable<string> {
    this.requests.push(request);
    yield this.answers[this.requests.length - 1] ?? '';
  }
}

const contexts = [block(1, 'The gold card annual fee is CNY 300. Six purchases in a year waive the next annual fee.'), block(2, 'Text message codes are valid for 5 minutes.')];
const extractive = new ExtractiveGenerator({ maxSentences: 3 });

async function compose(generator: Generator, question = 'What is the gold card annual fee?') {
  const tokens: string[] = [];
  const answer = await new AnswerComposer(generator, extractive, 0.5).compose({ question, contexts, onToken: (t) => tokens.push(t) });
  return { answer, tokens };
}

describe('answer composition with verification', () => {
  it('returns a fully supported answer as written', async () => {
    const { answer, tokens } = await compose(new ScriptedGenerator(['The gold card annual fee is CNY 300. [1]']));
    expect(answer.text).toBe('The gold card annual fee is CNY 300. [1]');
    expect(answer.verification).toMatchObject({ passed: true, removed: [], regenerated: false, fallbackUsed: false });
    expect(answer.citations.map((c) => c.quote)).toEqual(['The gold card annual fee is CNY 300.']);
    expect(tokens.join('')).toBe(answer.text);
  });

  it('removes an unsupported sentence when the rest holds', async () => {
    const { answer } = await compose(new ScriptedGenerator(['The gold card annual fee is CNY 300. [1] Six purchases in a year waive the next annual fee. [1] Platinum cards are free forever. [1]']));
    expect(answer.text).toBe('The gold card annual fee is CNY 300. [1] Six purchases in a year waive the next annual fee. [1]');
    expect(answer.verification.removed).toEqual(['Platinum cards are free forever.']);
    expect(answer.verification.passed).toBe(true);
  });

  it('catches a fabricated citation, retries once strictly, then falls back to the extractive answer', async () => {
    const model = new ScriptedGenerator(['The fee is CNY 300. [9]', 'Wire transfers cost CNY 999. [2]']);
    const { answer } = await compose(model);
    expect(model.requests.map((r) => r.strict ?? false)).toEqual([false, true]);
    expect(answer.generator).toBe('extractive');
    expect(answer.verification).toMatchObject({ regenerated: true, fallbackUsed: true, passed: true });
    expect(answer.verification.sentences.map((s) => s.verdict)).toEqual(['unknown-citation']);
    expect(answer.text).toContain('The gold card annual fee is CNY 300. [1]');
  });

  it('keeps the retry when it holds', async () => {
    const { answer } = await compose(new ScriptedGenerator(['No citation here.', 'Text message codes are valid for 5 minutes. [2]']));
    expect(answer.text).toBe('Text message codes are valid for 5 minutes. [2]');
    expect(answer.verification).toMatchObject({ regenerated: true, fallbackUsed: false, passed: true });
    expect(answer.generator).toBe('scripted');
  });

  it('lets the extractive generator abstain honestly when nothing supports an answer', async () => {
    const { answer } = await compose(extractive, 'zzqx wvvy');
    expect(answer.citations).toEqual([]);
    expect(answer.verification.passed).toBe(true);
    expect(answer.text).toMatch(/do not answer/);
  });
});
