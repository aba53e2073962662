import type { ChatMessage } from '@rag/core';
import { describe, expect, it } from 'vitest';
import { rewriteFollowUp, rewriteQuestion } from './follow-up.rewriter';

const turn = (role: ChatMessage['role'], content: string): ChatMessage => ({ role, content, rewrittenQuery: null, requestId: 'r', createdAt: 0 });
const history = [turn('user', '金卡年费是多少？'), turn('assistant', '金卡年费为 300 元。 [1]')];

describe('follow-up rewriting', () => {
  it('makes a follow-up standalone with the previous question', () => {
    expect(rewriteFollowUp('那白金卡呢？', history)).toEqual({ rewritten: '金卡年费是多少？ 那白金卡呢？', method: 'rule' });
    expect(rewriteFollowUp('And how do I waive it?', [turn('user', 'What is the gold card fee?')]).method).toBe('rule');
  });

  it('leaves a question that stands alone, and a first question, as they are', () => {
    expect(rewriteFollowUp('How long is a text message one-time code valid?', history)).toEqual({ rewritten: 'How long is a text message one-time code valid?', method: 'none' });
    expect(rewriteFollowUp('那白金卡呢？', [])).toEqual({ rewritten: '那白金卡呢？', method: 'none' });
  });
});

describe('rewriting with a model', () => {
  const model = (answer: string | null) => ({ rewrite: () => Promise.resolve(answer) });

  it('takes the model’s standalone question when it gives one', async () => {
    expect(await rewriteQuestion('那白金卡呢？', history, model('白金卡年费是多少？'))).toEqual({ rewritten: '白金卡年费是多少？', method: 'model' });
  });

  it('falls back to the rules when the model gives nothing usable, and never rewrites a first question', async () => {
    expect(await rewriteQuestion('那白金卡呢？', history, model(null))).toEqual({ rewritten: '金卡年费是多少？ 那白金卡呢？', method: 'rule' });
    expect(await rewriteQuestion('那白金卡呢？', [], model('anything'))).toEqual({ rewritten: '那白金卡呢？', method: 'none' });
  });
});
