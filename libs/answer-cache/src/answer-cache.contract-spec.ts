import { toTenantId, type AnswerCache } from '@rag/core';
import { testStoreUrls, uniqueTestName } from '@rag/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { MemoryAnswerCache } from './memory/memory.answer-cache';
import { RedisAnswerCache } from './redis/redis.answer-cache';

const stores = testStoreUrls();

/** One entry per adapter; every case below runs against each. */
const adapters: [string, () => Promise<AnswerCache>][] = [['memory', () => Promise.resolve(new MemoryAnswerCache({ maxEntries: 10 }))]];
if (stores) {
  adapters.push(['redis', () => RedisAnswerCache.open({ url: stores.redisUrl, keyPrefix: `${uniqueTestName('test')}:`, commandTimeoutMs: 1000 })]);
}

const bankA = toTenantId('bank-a');
const bankB = toTenantId('bank-b');

describe.each(adapters)('AnswerCache contract: %s', (_name, open) => {
  let cache: AnswerCache;

  afterEach(async () => {
    await cache.close();
  });

  it('serves what it stored, per tenant', async () => {
    cache = await open();
    const { generation } = await cache.lookup(bankA, 'k');
    await cache.store(bankA, 'k', 'answer', generation, 60);
    expect((await cache.lookup(bankA, 'k')).value).toBe('answer');
    expect((await cache.lookup(bankB, 'k')).value).toBeUndefined();
  });

  it('round-trips structured values with Chinese text', async () => {
    cache = await open();
    const value = { answer: '金卡年费为 300 元。 [1]', citations: [{ marker: 1, quote: '金卡年费为 300 元。' }], score: 0.5 };
    await cache.store(bankA, '问题', value, 0, 60);
    expect((await cache.lookup(bankA, '问题')).value).toEqual(value);
  });

  it('makes every entry of a tenant stale at once when its corpus changes', async () => {
    cache = await open();
    await cache.store(bankA, 'k1', 'one', 0, 60);
    await cache.store(bankA, 'k2', 'two', 0, 60);
    await cache.store(bankB, 'k1', 'other tenant', 0, 60);
    await cache.invalidateTenant(bankA);
    expect((await cache.lookup(bankA, 'k1')).value).toBeUndefined();
    expect((await cache.lookup(bankA, 'k2')).value).toBeUndefined();
    expect((await cache.lookup(bankA, 'k1')).generation).toBe(1);
    expect((await cache.lookup(bankB, 'k1')).value).toBe('other tenant');
  });

  it('never keeps an answer computed before the corpus changed', async () => {
    cache = await open();
    const { generation } = await cache.lookup(bankA, 'k');
    await cache.invalidateTenant(bankA);
    await cache.store(bankA, 'k', 'stale', generation, 60);
    expect((await cache.lookup(bankA, 'k')).value).toBeUndefined();
  });

  it('expires entries after their TTL', async () => {
    cache = await open();
    await cache.store(bankA, 'k', 'short-lived', 0, 1);
    expect((await cache.lookup(bankA, 'k')).value).toBe('short-lived');
    await new Promise((resolve) => setTimeout(resolve, 1100));
    expect((await cache.lookup(bankA, 'k')).value).toBeUndefined();
  });

  it('reports itself healthy', async () => {
    cache = await open();
    expect((await cache.health()).ok).toBe(true);
  });
});
