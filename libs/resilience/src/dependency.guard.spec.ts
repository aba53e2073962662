import { AppError, StoreError } from '@rag/core';
import { describe, expect, it } from 'vitest';
import { type BreakerState, DependencyGuard } from './dependency.guard';
import { guardPort } from './guarded.port';

const down = () => Promise.reject(new StoreError('keyword', 'STORE_UNAVAILABLE', 'connection refused'));

function guardWithLog(settings: { failures?: number; halfOpenAfterMs?: number; timeoutMs?: number | null } = {}) {
  const states: BreakerState[] = [];
  const calls: string[] = [];
  const guard = new DependencyGuard(
    'keyword',
    { failures: settings.failures ?? 2, halfOpenAfterMs: settings.halfOpenAfterMs ?? 50, timeoutMs: settings.timeoutMs ?? null },
    { stateChanged: (_, state) => states.push(state), callEnded: (_, outcome, _seconds, code) => calls.push(`${outcome}:${code ?? ''}`) },
  );
  return { guard, states, calls };
}

describe('DependencyGuard', () => {
  it('opens after consecutive failures, then fails fast with a message naming the dependency', async () => {
    const { guard, states } = guardWithLog();
    await expect(guard.run(down)).rejects.toThrow('connection refused');
    await expect(guard.run(down)).rejects.toThrow('connection refused');
    let called = false;
    const fast = guard.run(async () => {
      called = true;
      return 1;
    });
    await expect(fast).rejects.toMatchObject({ code: 'STORE_UNAVAILABLE' });
    await expect(fast).rejects.toThrow('keyword dependency is failing');
    expect(called).toBe(false);
    expect(states).toEqual(['open']);
  });

  it('lets a trial call through after the half-open delay and closes when it succeeds', async () => {
    const { guard, states } = guardWithLog({ halfOpenAfterMs: 20 });
    await guard.run(down).catch(() => undefined);
    await guard.run(down).catch(() => undefined);
    await new Promise((resolve) => setTimeout(resolve, 30));
    await expect(guard.run(async () => 'back')).resolves.toBe('back');
    expect(states).toEqual(['open', 'halfOpen', 'closed']);
    expect(guard.state).toBe('closed');
  });

  it('abandons a hung call at its timeout, as STORE_TIMEOUT, and counts it as a failure', async () => {
    const { guard, calls } = guardWithLog({ timeoutMs: 20, failures: 1 });
    const hung = new Promise<never>(() => undefined);
    await expect(guard.run(() => hung)).rejects.toMatchObject({ code: 'STORE_TIMEOUT' });
    expect(guard.state).toBe('open');
    expect(calls).toEqual(['error:STORE_TIMEOUT']);
  });

  it('passes a signal that aborts when the caller deadline passes', async () => {
    const { guard } = guardWithLog();
    let seen: AbortSignal | undefined;
    const work = (signal: AbortSignal) => {
      seen = signal;
      return new Promise<never>(() => undefined);
    };
    await expect(guard.run(work, AbortSignal.timeout(10))).rejects.toMatchObject({ code: 'STORE_TIMEOUT' });
    expect(seen?.aborted).toBe(true);
  });

  it('does not count a bad request or a caller that went away against the dependency', async () => {
    const { guard } = guardWithLog({ failures: 1 });
    await expect(guard.run(() => Promise.reject(new AppError('VALIDATION_FAILED', 'bad field')))).rejects.toThrow('bad field');
    const controller = new AbortController();
    const pending = guard.run(() => new Promise<never>(() => undefined), controller.signal);
    controller.abort();
    await expect(pending).rejects.toMatchObject({ name: 'CallerAbortedError' });
    expect(guard.state).toBe('closed');
  });
});

describe('guardPort', () => {
  it('guards every method but health and close', async () => {
    const { guard } = guardWithLog({ failures: 1 });
    const store = {
      search: down,
      health: async () => ({ ok: false, adapter: 'test' }),
      close: async () => undefined,
    };
    const guarded = guardPort(store, guard);
    await expect(guarded.search()).rejects.toThrow('connection refused');
    await expect(guarded.search()).rejects.toMatchObject({ code: 'STORE_UNAVAILABLE' });
    await expect(guarded.health()).resolves.toEqual({ ok: false, adapter: 'test' });
    await expect(guarded.close()).resolves.toBeUndefined();
  });
});

describe('DependencyGuard error translation', () => {
  it('turns an untranslated driver error into STORE_UNAVAILABLE naming the dependency, and leaves bugs alone', async () => {
    const guard = new DependencyGuard('sql', { failures: 5, halfOpenAfterMs: 100, timeoutMs: null });
    const lost = Object.assign(new Error('Connection lost: The server closed the connection.'), { code: 'PROTOCOL_CONNECTION_LOST' });
    await expect(guard.run(() => Promise.reject(lost))).rejects.toMatchObject({ code: 'STORE_UNAVAILABLE', message: 'The sql dependency failed: Connection lost: The server closed the connection.' });
    await expect(guard.run(() => Promise.reject(new TypeError('x is undefined')))).rejects.toBeInstanceOf(TypeError);
  });
});
