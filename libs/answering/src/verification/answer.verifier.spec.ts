import { toTenantId, type ContextBlock } from '@rag/core';
import { describe, expect, it } from 'vitest';
import { checkAnswer, citedSentences } from './answer.verifier';

function block(marker: number, text: string): ContextBlock {
  return {
    marker,
    chunk: { id: `d@1#0.${marker}`, tenantId: toTenantId('t'), collection: 'c', documentId: 'd', version: 1, nodeId: `0.${marker}`, ordinal: 0, title: 'T', sectionPath: ['T', '年费'], text, contentHash: 'h', aclGroups: ['*'] },
  };
}

const contexts = [block(1, '金卡年费为 300 元。刷卡满 6 次免次年年费。'), block(2, 'One-time codes are valid for 5 minutes.')];

describe('answer verification', () => {
  it('accepts sentences whose cited text supports them', () => {
    const check = checkAnswer('金卡年费为 300 元。 [1] One-time codes are valid for 5 minutes. [2]', contexts, 0.5);
    expect(check.sentences.map((s) => s.verdict)).toEqual(['supported', 'supported']);
    expect(check.removed).toEqual([]);
  });

  it('catches a fabricated citation, a sentence without one, and an unsupported claim', () => {
    const answer = '金卡年费为 300 元。 [7] Platinum cards have no fee at all. Wire transfers cost CNY 999 each. [2]';
    const check = checkAnswer(answer, contexts, 0.5);
    expect(check.sentences.map((s) => s.verdict)).toEqual(['unknown-citation', 'no-citation', 'low-support']);
    expect(check.keptText).toBe('');
    expect(check.removed).toHaveLength(3);
  });

  it('keeps the supported sentences of a mixed answer, with their markers', () => {
    const check = checkAnswer('刷卡满 6 次免次年年费。 [1] 白金卡终身免年费。 [1]', contexts, 0.5);
    expect(check.keptText).toBe('刷卡满 6 次免次年年费。 [1]');
    expect(check.removed).toEqual(['白金卡终身免年费。']);
  });

  it('reads several markers after one sentence', () => {
    expect(citedSentences('A claim. [1][2] Another. [2]')).toEqual([
      { sentence: 'A claim.', markers: [1, 2] },
      { sentence: 'Another.', markers: [2] },
    ]);
  });
});
