import type { AppConfig } from '@rag/config';
import { DEPENDENCY_ROLES, type DependencyRole } from '@rag/core';
import { BREAKER_STATE_VALUE, type Metrics } from '@rag/platform';
import { DependencyGuard, type GuardListener } from '@rag/resilience';

export type DependencyGuards = Readonly<Record<DependencyRole, DependencyGuard>>;

/** Index writes may carry a thousand chunks and wait for a refresh; the adapters' own write timeouts are 30 s. */
const INDEX_CALL_CAP_MS = 35_000;

/**
 * One guard (circuit breaker and call timeout) per dependency for this process. The timeouts are
 * caps; the request deadline cuts each query-path call shorter. The model servers' calls are bounded
 * by their clients' idle timeouts and the request deadline's signal instead.
 */
export function createDependencyGuards(config: AppConfig, metrics: Metrics | null): DependencyGuards {
  const listener = metrics ? metricsListener(metrics) : {};
  const { breakerFailures: failures, breakerHalfOpenMs: halfOpenAfterMs, sqlTimeoutMs } = config.resilience;
  const guard = (dependency: DependencyRole, timeoutMs: number | null) => new DependencyGuard(dependency, { failures, halfOpenAfterMs, timeoutMs }, listener);
  return {
    cache: guard('cache', config.retrieval.storeTimeoutMs),
    vector: guard('vector', INDEX_CALL_CAP_MS),
    keyword: guard('keyword', INDEX_CALL_CAP_MS),
    sql: guard('sql', sqlTimeoutMs),
    embedder: guard('embedder', null),
    generator: guard('generator', null),
  };
}

function metricsListener(metrics: Metrics): GuardListener {
  for (const dependency of DEPENDENCY_ROLES) metrics.breakerState.set({ dependency }, BREAKER_STATE_VALUE.closed);
  return {
    stateChanged: (dependency, state) => metrics.breakerState.set({ dependency }, BREAKER_STATE_VALUE[state]),
    callEnded: (dependency, outcome, seconds, errorCode) => {
      metrics.dependencyDuration.observe({ dependency, outcome }, seconds);
      if (errorCode !== null) metrics.dependencyErrors.inc({ dependency, code: errorCode });
    },
  };
}
