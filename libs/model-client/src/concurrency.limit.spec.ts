import { describe, expect, it } from 'vitest';
import { ConcurrencyLimit } from './concurrency.limit';

describe('concurrency limit', () => {
  it('grants at most `limit` slots and hands freed ones on in arrival order', async () => {
    const limit = new ConcurrencyLimit(2);
    const first = await limit.acquire();
    await limit.acquire();
    const order: number[] = [];
    const third = limit.acquire().then((release) => (order.push(3), release));
    const fourth = limit.acquire().then((release) => (order.push(4), release));
    expect(limit.pending).toBe(2);
    first();
    first();
    (await third)();
    await fourth;
    expect(order).toEqual([3, 4]);
    expect(limit.pending).toBe(0);
  });

  it('drops a waiter whose signal aborts, without giving it a slot', async () => {
    const limit = new ConcurrencyLimit(1);
    const release = await limit.acquire();
    const controller = new AbortController();
    const waiting = limit.acquire(controller.signal);
    controller.abort(new Error('gave up'));
    await expect(waiting).rejects.toThrow('gave up');
    expect(limit.pending).toBe(0);
    release();
    const next = await limit.acquire();
    next();
  });

  it('rejects a limit below one', () => {
    expect(() => new ConcurrencyLimit(0)).toThrow(RangeError);
  });
});
