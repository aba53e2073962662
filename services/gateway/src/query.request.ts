import { AppError, RETRIEVAL_MODES } from '@rag/core';
import type { SearchInput } from '@rag/answering';
import type { AppConfig } from '@rag/config';
import { z } from 'zod';

/** Where a `navigate` walk starts and how much it may spend; the configured budget caps each. */
const navigationRequestSchema = z.strictObject({
  documentIds: z.array(z.string().min(1).max(64)).min(1).max(20).optional(),
  maxModelCalls: z.number().int().min(0).optional(),
  maxTokens: z.number().int().min(0).optional(),
  maxMs: z.number().int().min(1).optional(),
});

/** Limits that come from configuration are applied by the controller; these are the shapes. */
export const searchRequestSchema = z.strictObject({
  query: z.string().trim().min(1, 'must not be empty'),
  collection: z.string().min(1).max(128).optional(),
  mode: z.enum(RETRIEVAL_MODES).default('hybrid'),
  topK: z.number().int().min(1).optional(),
  navigation: navigationRequestSchema.optional(),
});

export const chatRequestSchema = searchRequestSchema.extend({
  stream: z.boolean().default(false),
  sessionId: z.string().regex(/^ses_[a-f0-9]{24}$/, 'must be a sessionId returned by an earlier chat').optional(),
});

export type SearchRequest = z.infer<typeof searchRequestSchema>;
export type ChatRequest = z.infer<typeof chatRequestSchema>;

export const searchExample = { query: '金卡年费怎么减免？', mode: 'hybrid', topK: 5 };
export const chatExample = { query: 'How long is a text message one-time code valid?', stream: false };

const BUDGET_SETTINGS = { maxModelCalls: 'NAVIGATE_MAX_MODEL_CALLS', maxTokens: 'NAVIGATE_MAX_TOKENS', maxMs: 'NAVIGATE_MAX_MS' } as const;

/** A budget above the configured one is refused, naming the field and the setting. */
export function checkNavigation(body: Pick<SearchRequest, 'navigation'>, navigation: AppConfig['navigation']): void {
  for (const [field, setting] of Object.entries(BUDGET_SETTINGS) as [keyof typeof BUDGET_SETTINGS, string][]) {
    const asked = body.navigation?.[field];
    const limit = navigation.budget[field];
    if (asked !== undefined && asked > limit) {
      throw new AppError('VALIDATION_FAILED', `navigation.${field}: must be at most ${limit} (${setting}).`, { field: `navigation.${field}` });
    }
  }
}

/** Applies the limits that come from configuration, naming the setting when one is exceeded. */
export function toSearchInput(body: SearchRequest, limits: AppConfig['retrieval']): SearchInput {
  if (body.query.length > limits.maxQueryChars) {
    throw new AppError('VALIDATION_FAILED', `query: must be at most ${limits.maxQueryChars} characters (MAX_QUERY_CHARS).`, { field: 'query' });
  }
  if (body.topK !== undefined && body.topK > limits.maxTopK) {
    throw new AppError('VALIDATION_FAILED', `topK: must be at most ${limits.maxTopK} (MAX_TOP_K).`, { field: 'topK' });
  }
  return { query: body.query, mode: body.mode, collection: body.collection, topK: body.topK ?? limits.defaultTopK, ...(body.navigation ? { navigation: body.navigation } : {}) };
}
