import type { ChatMessage } from '@rag/core';
import { describe, expect, it } from 'vitest';
import { rewriteFollowUp } from './follow-up.rewriter';

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
