import type { RequestRecord } from './load-driver.ts';

/** One fault as it was injected: when, and when the store was back (restarted healthy, or thawed). */
export interface FaultWindow {
  readonly name: string;
  /** The role a response names in `degraded` while this store is out. */
  readonly role: string;
  readonly injectedAt: number;
  /** Until when the store was certainly out: the end of the kill or freeze, before any restart. */
  readonly outUntil: number;
  readonly backAt: number;
  /** End of the observation after the store came back. */
  readonly observedUntil: number;
}

export interface FaultResult {
  readonly fault: string;
  readonly requests: number;
  readonly errors5xx: number;
  readonly failedConnections: number;
  /** Of the answers that began and ended while the store was out, the share flagged with its role. */
  readonly degradedShare: number;
  readonly duringFault: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  /** From the store's return to the first answer after which none names its role; null: never recovered. */
  readonly recoverySeconds: number | null;
}

/** Requests from injection to the end of the observation are this fault's; the rest are steady state. */
export function summarizeFault(window: FaultWindow, records: readonly RequestRecord[]): FaultResult {
  // Only answers that ended before the observation closed: the next fault starts right after it.
  const mine = records.filter((r) => r.startedAt >= window.injectedAt && r.endedAt <= window.observedUntil);
  const during = mine.filter((r) => r.endedAt <= window.outUntil && r.status === 200);
  const flagged = during.filter((r) => r.degraded.includes(window.role));
  const latencies = during.map((r) => r.endedAt - r.startedAt).sort((a, b) => a - b);
  return {
    fault: window.name,
    requests: mine.length,
    errors5xx: mine.filter((r) => r.status >= 500).length,
    failedConnections: mine.filter((r) => r.status === 0).length,
    degradedShare: during.length === 0 ? 0 : flagged.length / during.length,
    duringFault: during.length,
    p50Ms: percentile(latencies, 0.5),
    p99Ms: percentile(latencies, 0.99),
    recoverySeconds: recoverySeconds(window, mine),
  };
}

function recoverySeconds(window: FaultWindow, records: readonly RequestRecord[]): number | null {
  return recoveryOf(window, records)?.seconds ?? null;
}

/**
 * From the store's return, the first answer after which no answer names its role, and how long the
 * answers have stayed clean since (the start of the last clean one): the suite waits on the latter.
 */
export function recoveryOf(window: Pick<FaultWindow, 'role' | 'backAt' | 'observedUntil'>, records: readonly RequestRecord[]): { seconds: number; cleanForMs: number } | null {
  const after = records.filter((r) => r.startedAt >= window.backAt && r.endedAt <= window.observedUntil && r.status === 200).sort((a, b) => a.startedAt - b.startedAt);
  const lastDegraded = after.findLastIndex((r) => r.degraded.includes(window.role));
  const firstClean = after[lastDegraded + 1];
  const lastClean = after.at(-1);
  if (!firstClean || !lastClean) return null;
  return { seconds: Math.max(0, firstClean.startedAt - window.backAt) / 1000, cleanForMs: lastClean.startedAt - firstClean.startedAt };
}

function percentile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] ?? 0;
}

export function markdownTable(results: readonly FaultResult[]): string {
  const rows = results.map(
    (r) =>
      `| ${r.fault} | ${r.requests} | ${r.errors5xx} | ${r.failedConnections} | ${(r.degradedShare * 100).toFixed(0)}% of ${r.duringFault} | ${r.p50Ms} | ${r.p99Ms} | ${r.recoverySeconds === null ? 'never' : r.recoverySeconds.toFixed(1)} |`,
  );
  return ['| fault | requests | 5xx | failed connections | flagged degraded during the fault | p50 ms | p99 ms | recovery s |', '|---|---|---|---|---|---|---|---|', ...rows].join('\n');
}
