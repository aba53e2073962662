import { type DependencyRole, isAppError, StoreError } from '@rag/core';
import { BrokenCircuitError, CircuitBreakerPolicy, CircuitState, ConsecutiveBreaker, circuitBreaker, handleWhen } from 'cockatiel';

export type BreakerState = 'closed' | 'halfOpen' | 'open';

export interface GuardSettings {
  /** Consecutive failures that open the breaker. */
  readonly failures: number;
  /** How long the open breaker fails fast before one trial call goes through. */
  readonly halfOpenAfterMs: number;
  /** Cap on one call, or null when the client already bounds it (the model servers' idle timeouts). */
  readonly timeoutMs: number | null;
}

/** Hooks the wiring connects to metrics; the library itself knows no metrics system. */
export interface GuardListener {
  stateChanged?(dependency: DependencyRole, state: BreakerState): void;
  callEnded?(dependency: DependencyRole, outcome: 'ok' | 'error', seconds: number, errorCode: string | null): void;
}

/**
 * One dependency's circuit breaker (cockatiel) and call timeout. Calls never retry here: the model
 * client is the one layer that retries (429 and 5xx, jittered); stores are not retried on the
 * query path, where a deadline of a second or two leaves no room for it.
 */
export class DependencyGuard {
  private readonly breaker: CircuitBreakerPolicy;

  constructor(
    readonly dependency: DependencyRole,
    private readonly settings: GuardSettings,
    private readonly listener: GuardListener = {},
  ) {
    this.breaker = circuitBreaker(handleWhen(isOutage), { halfOpenAfter: settings.halfOpenAfterMs, breaker: new ConsecutiveBreaker(settings.failures) });
    this.breaker.onStateChange((state) => listener.stateChanged?.(dependency, stateName(state)));
  }

  get state(): BreakerState {
    return stateName(this.breaker.state);
  }

  /**
   * Runs one call under the breaker. `work` gets a signal that aborts at this guard's timeout or
   * when the caller's signal does; the call is abandoned at that moment even if it ignores the signal.
   */
  async run<T>(work: (signal: AbortSignal) => Promise<T>, callerSignal?: AbortSignal): Promise<T> {
    const started = performance.now();
    const signals = [callerSignal, this.settings.timeoutMs === null ? undefined : AbortSignal.timeout(this.settings.timeoutMs)].filter((s) => s !== undefined);
    const signal = signals.length > 0 ? AbortSignal.any(signals) : new AbortController().signal;
    try {
      const result = await this.breaker.execute(() => untilAborted(work(signal), signal, this.dependency));
      this.listener.callEnded?.(this.dependency, 'ok', (performance.now() - started) / 1000, null);
      return result;
    } catch (error) {
      const failure = this.describe(error);
      this.listener.callEnded?.(this.dependency, 'error', (performance.now() - started) / 1000, isAppError(failure) ? failure.code : 'UNKNOWN');
      throw failure;
    }
  }

  /**
   * Errors leave coded: an open breaker, and a driver or system error (it carries a `code`, such as
   * ECONNREFUSED or PROTOCOL_CONNECTION_LOST) that the adapter did not translate, become
   * STORE_UNAVAILABLE naming the dependency. Anything else (a bug) passes through unchanged.
   */
  private describe(error: unknown): unknown {
    if (isDriverError(error)) {
      return new StoreError(this.dependency, 'STORE_UNAVAILABLE', `The ${this.dependency} dependency failed: ${error.message}`, { cause: error });
    }
    if (!(error instanceof BrokenCircuitError)) return error;
    return new StoreError(
      this.dependency,
      'STORE_UNAVAILABLE',
      `The ${this.dependency} dependency is failing, so its circuit breaker is open: calls fail at once and one trial call is let through every ${this.settings.halfOpenAfterMs} ms.`,
    );
  }
}

/** Raised when the caller gave up (a client that went away): not the dependency's fault. */
export class CallerAbortedError extends Error {
  constructor(dependency: DependencyRole) {
    super(`The call to the ${dependency} dependency was cancelled by its caller.`);
    this.name = 'CallerAbortedError';
  }
}

/**
 * What opens a breaker: store outages, timeouts and anything unexpected. Our own non-store errors
 * (a bad request) and cancellations by the caller say nothing about the dependency's health.
 */
function isOutage(error: unknown): boolean {
  if (error instanceof CallerAbortedError) return false;
  // A refusal (a write block, a mapping conflict) comes from a healthy store: reads should go on.
  return !isAppError(error) || (error instanceof StoreError && error.code !== 'STORE_REJECTED');
}

function isDriverError(error: unknown): error is Error & { code: string } {
  return error instanceof Error && !isAppError(error) && typeof (error as { code?: unknown }).code === 'string';
}

function untilAborted<T>(work: Promise<T>, signal: AbortSignal, dependency: DependencyRole): Promise<T> {
  if (signal.aborted) return Promise.reject(abortError(signal, dependency));
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(abortError(signal, dependency));
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

/** A timeout (ours or the request deadline's) is the dependency being slow; any other abort is the caller's. */
function abortError(signal: AbortSignal, dependency: DependencyRole): Error {
  const reason: unknown = signal.reason;
  if (reason instanceof Error && reason.name === 'TimeoutError') {
    return new StoreError(dependency, 'STORE_TIMEOUT', `The ${dependency} dependency did not answer in time.`, { cause: reason });
  }
  return new CallerAbortedError(dependency);
}

function stateName(state: CircuitState): BreakerState {
  switch (state) {
    case CircuitState.Closed:
      return 'closed';
    case CircuitState.HalfOpen:
      return 'halfOpen';
    case CircuitState.Open:
    case CircuitState.Isolated:
      return 'open';
  }
}
