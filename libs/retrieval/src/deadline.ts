import { StoreError } from '@rag/core';

/** Rejects with STORE_TIMEOUT when `work` has not settled within `ms`; the timer never outlives it. */
export async function withTimeout<T>(work: Promise<T>, ms: number, store: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new StoreError(store, 'STORE_TIMEOUT', `${store} did not answer within ${ms} ms.`)), Math.max(0, ms));
  });
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * One request's deadline: every outbound call's timeout is cut from what is left of it, and its
 * signal (which aborts with a TimeoutError) goes to the ports that take one.
 */
export class RequestDeadline {
  readonly signal: AbortSignal;
  private readonly expiresAt: number;

  private constructor(ms: number, callerSignal: AbortSignal | undefined) {
    this.expiresAt = performance.now() + ms;
    const timeout = AbortSignal.timeout(ms);
    this.signal = callerSignal ? AbortSignal.any([callerSignal, timeout]) : timeout;
  }

  static after(ms: number, callerSignal?: AbortSignal): RequestDeadline {
    return new RequestDeadline(ms, callerSignal);
  }

  remainingMs(): number {
    return Math.max(0, this.expiresAt - performance.now());
  }

  /** A signal for one call: the request's, or sooner when `capMs` is less than what is left. */
  signalWithin(capMs: number): AbortSignal {
    return capMs >= this.remainingMs() ? this.signal : AbortSignal.any([this.signal, AbortSignal.timeout(Math.max(0, capMs))]);
  }
}
