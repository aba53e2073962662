import { RETRIEVAL_MODES } from '@rag/core';
import { z } from 'zod';

/** Limits that come from configuration are applied by the controller; these are the shapes. */
export const searchRequestSchema = z.strictObject({
  query: z.string().trim().min(1, 'must not be empty'),
  collection: z.string().min(1).max(128).optional(),
  mode: z.enum(RETRIEVAL_MODES).default('hybrid'),
  topK: z.number().int().min(1).optional(),
});

export const chatRequestSchema = searchRequestSchema.extend({
  stream: z.boolean().default(false),
});

export type SearchRequest = z.infer<typeof searchRequestSchema>;
export type ChatRequest = z.infer<typeof chatRequestSchema>;

export const searchExample = { query: '金卡年费怎么减免？', mode: 'hybrid', topK: 5 };
export const chatExample = { query: 'How long is a text message one-time code valid?', stream: false };
