import { toTenantId } from '@rag/core';
import { describe, expect, it } from 'vitest';
import { MemoryAnswerCache } from './memory.answer-cache';

const bankA = toTenantId('bank-a');
const bankB = toTenantId('bank-b');

describe('in-process answer cache', () => {
  it('serves what it stored, per tenant', async () => {
    const cache = new MemoryAnswerCache({ maxEntries: 10 });
    const { generation } = await cache.lookup(bankA, 'k');
    await cache.store(bankA, 'k', 'answer', generation, 60);
    expect((await cache.lookup(bankA, 'k')).value).toBe('answer');
    expect((await cache.lookup(bankB, 'k')).value).toBeUndefined();
  });

  it('makes every entry of a tenant stale at once when its corpus changes', async () => {
    const cache = new MemoryAnswerCache({ maxEntries: 10 });
    await cache.store(bankA, 'k1', 'one', 0, 60);
    await cache.store(bankB, 'k1', 'other tenant', 0, 60);
    await cache.invalidateTenant(bankA);
    expect((await cache.lookup(bankA, 'k1')).value).toBeUndefined();
    expect((await cache.lookup(bankB, 'k1')).value).toBe('other tenant');
  });

  it('never keeps an answer computed before the corpus changed', async () => {
    const cache = new MemoryAnswerCache({ maxEntries: 10 });
    const { generation } = await cache.lookup(bankA, 'k');
    await cache.invalidateTenant(bankA);
    await cache.store(bankA, 'k', 'stale', generation, 60);
    expect((await cache.lookup(bankA, 'k')).value).toBeUndefined();
  });

  it('expires entries after their TTL', async () => {
    const cache = new MemoryAnswerCache({ maxEntries: 10 });
    await cache.store(bankA, 'k', 'short-lived', 0, 0.05);
    await new Promise((resolve) => setTimeout(resolve, 80));
    expect((await cache.lookup(bankA, 'k')).value).toBeUndefined();
  });
});
