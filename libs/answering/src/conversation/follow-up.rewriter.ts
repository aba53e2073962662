import type { ChatMessage, QueryRewriter } from '@rag/core';
import { analyzeQuery } from '@rag/text-analysis';

export interface Rewrite {
  readonly rewritten: string;
  readonly method: 'model' | 'rule' | 'none';
}

/**
 * A follow-up made standalone: by the model when one is configured and its answer has the right
 * shape, by the rules below otherwise. A first question is never rewritten.
 */
export async function rewriteQuestion(question: string, history: readonly ChatMessage[], model: QueryRewriter | null, signal?: AbortSignal): Promise<Rewrite> {
  if (!history.some((message) => message.role === 'user')) return { rewritten: question, method: 'none' };
  const byModel = model ? await model.rewrite(question, history, signal) : null;
  return byModel ? { rewritten: byModel, method: 'model' } : rewriteFollowUp(question, history);
}

/** Words that point back at an earlier turn, in Chinese and English. */
const REFERS_BACK = /^(那|那么|还有|另外|and\b|also\b|what about\b|how about\b)|它们?|这个|那个|这些|那些|该|其|\b(it|its|they|them|their|this|that|these|those)\b/i;
/** Questions this short rarely stand alone ("And for gold cards?"). */
const SHORT_QUESTION_TERMS = 3;

/**
 * Turns a follow-up into a standalone query by prefixing the previous question, when the
 * follow-up refers back or is too short to stand alone. Rule-based: it needs no model, and the
 * original and the rewritten query are both kept, so a wrong rewrite can be seen and explained.
 */
export function rewriteFollowUp(question: string, history: readonly ChatMessage[]): Rewrite {
  const previous = [...history].reverse().find((message) => message.role === 'user');
  if (!previous) return { rewritten: question, method: 'none' };
  const refersBack = REFERS_BACK.test(question.trim()) || analyzeQuery(question).length <= SHORT_QUESTION_TERMS;
  if (!refersBack) return { rewritten: question, method: 'none' };
  return { rewritten: `${previous.rewrittenQuery ?? previous.content} ${question}`, method: 'rule' };
}
