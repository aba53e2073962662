import type { ChatMessage } from '@rag/core';
import { z } from 'zod';

const textPart = z.looseObject({ type: z.literal('text'), text: z.string() });
const messageSchema = z.looseObject({
  role: z.enum(['system', 'developer', 'user', 'assistant', 'tool']),
  content: z.union([z.string(), z.array(z.union([textPart, z.looseObject({ type: z.string() })])), z.null()]).optional(),
});

/**
 * The OpenAI chat completions request, accepted as existing chatbot front ends send it: fields
 * this service does not use (temperature, user, tools, ...) are allowed and ignored.
 */
export const chatCompletionsRequestSchema = z.looseObject({
  model: z.string().optional(),
  messages: z.array(messageSchema).min(1, 'must contain at least one message'),
  stream: z.boolean().default(false),
});

export type ChatCompletionsRequest = z.infer<typeof chatCompletionsRequestSchema>;

export const chatCompletionsExample = {
  model: 'bank-rag',
  messages: [
    { role: 'user', content: '金卡年费是多少？' },
    { role: 'assistant', content: '金卡年费为 300 元。 [1]' },
    { role: 'user', content: '那怎么免年费？' },
  ],
};

/** The last user message is the question; earlier user and assistant turns are the history. */
export function toConversation(messages: ChatCompletionsRequest['messages']): { question: string; history: ChatMessage[] } | null {
  const turns = messages.filter((m) => m.role === 'user' || m.role === 'assistant').map((m) => ({ role: m.role as ChatMessage['role'], text: textOf(m.content) }));
  const last = turns.at(-1);
  if (!last || last.role !== 'user' || last.text.trim() === '') return null;
  const history = turns.slice(0, -1).map((turn): ChatMessage => ({ role: turn.role, content: turn.text, rewrittenQuery: null, requestId: '', createdAt: 0 }));
  return { question: last.text, history };
}

function textOf(content: z.infer<typeof messageSchema>['content']): string {
  if (typeof content === 'string') return content;
  if (!content) return '';
  return content.map((part) => ('text' in part && typeof part.text === 'string' ? part.text : '')).join('');
}
