import { loadConfig } from '@rag/config';
import { describe, expect, it } from 'vitest';
import { checkNavigation, searchRequestSchema, toSearchInput } from './query.request';

const config = loadConfig({ NAVIGATE_MAX_MODEL_CALLS: '3', NAVIGATE_MAX_MS: '2000' });

describe('search request: navigation fields', () => {
  it('passes a navigation request within the configured budget through to the query', () => {
    const body = searchRequestSchema.parse({ query: '借款利息', mode: 'navigate', navigation: { documentIds: ['doc_a'], maxModelCalls: 2, maxMs: 1500 } });
    expect(() => checkNavigation(body, config.navigation)).not.toThrow();
    expect(toSearchInput(body, config.retrieval)).toMatchObject({ mode: 'navigate', navigation: { documentIds: ['doc_a'], maxModelCalls: 2, maxMs: 1500 } });
  });

  it('refuses a budget above the configured one, naming the field and the setting', () => {
    const body = searchRequestSchema.parse({ query: 'x', mode: 'navigate', navigation: { maxModelCalls: 4 } });
    expect(() => checkNavigation(body, config.navigation)).toThrow('navigation.maxModelCalls: must be at most 3 (NAVIGATE_MAX_MODEL_CALLS).');
  });

  it('refuses unknown or malformed navigation fields', () => {
    expect(searchRequestSchema.safeParse({ query: 'x', navigation: { depth: 9 } }).success).toBe(false);
    expect(searchRequestSchema.safeParse({ query: 'x', navigation: { maxMs: 0 } }).success).toBe(false);
    expect(searchRequestSchema.safeParse({ query: 'x', navigation: { documentIds: [] } }).success).toBe(false);
    expect(searchRequestSchema.safeParse({ query: 'x', mode: 'walk' }).success).toBe(false);
  });
});
