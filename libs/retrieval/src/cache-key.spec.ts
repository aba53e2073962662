import { toTenantId } from '@rag/core';
import { describe, expect, it } from 'vitest';
import { cacheKeyOf, type CacheKeyParts } from './cache-key';

const base: CacheKeyParts = {
  kind: 'chat',
  scope: { tenantId: toTenantId('t1'), groups: ['*', 'tellers'] },
  mode: 'hybrid',
  collection: undefined,
  topK: 8,
  normalizedQuery: '金卡年费',
  retrievalFingerprint: 'rrf|60|1|1|e5',
};

describe('cache keys', () => {
  it('are stable for the same request', () => {
    expect(cacheKeyOf(base)).toBe(cacheKeyOf({ ...base }));
  });

  it('differ whenever something that changes the answer differs', () => {
    const variants: Partial<CacheKeyParts>[] = [
      { kind: 'search' },
      { scope: { tenantId: toTenantId('t1'), groups: ['*', 'board'] } },
      { scope: { tenantId: toTenantId('t1'), groups: 'all' } },
      { mode: 'keyword' },
      { collection: 'policies' },
      { topK: 5 },
      { normalizedQuery: '金卡年费减免' },
      { retrievalFingerprint: 'convex|60|0.35|0.65|e5' },
    ];
    const keys = new Set(variants.map((variant) => cacheKeyOf({ ...base, ...variant })));
    expect(keys.size).toBe(variants.length);
    expect(keys.has(cacheKeyOf(base))).toBe(false);
  });

  it('cannot be confused by separators inside the query', () => {
    const a = cacheKeyOf({ ...base, collection: 'a', normalizedQuery: 'b' });
    const b = cacheKeyOf({ ...base, collection: 'a\u00008', normalizedQuery: 'b' });
    expect(a).not.toBe(b);
  });
});
