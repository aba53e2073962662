import autocannon from 'autocannon';
import { percentile } from '@rag/eval';

export interface LoadRequest {
  readonly method: 'GET' | 'POST';
  readonly path: string;
  readonly body?: unknown;
}

export interface LoadRun {
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
  /** Sent in turn by every connection, so a list of distinct bodies spreads the traffic. */
  readonly requests: readonly LoadRequest[];
  readonly connections: number;
  readonly durationSeconds: number;
}

export interface LatencyFigures {
  readonly p50: number;
  readonly p90: number;
  readonly p95: number;
  readonly p99: number;
  readonly mean: number;
  readonly max: number;
}

export interface LoadFigures {
  readonly requests: number;
  readonly requestsPerSecond: number;
  /** Of the 2xx answers, in milliseconds with microsecond resolution. */
  readonly latencyMs: LatencyFigures;
  /** Connection errors and timeouts. */
  readonly errors: number;
  /** Answers outside 2xx. */
  readonly non2xx: number;
  readonly statusCodes: Readonly<Record<string, number>>;
}

/**
 * Drives HTTP traffic with autocannon. Its own histogram keeps whole milliseconds, too coarse for
 * a cache hit, so every 2xx answer's duration (hrtime, as autocannon measures it) is kept here.
 */
export async function runLoad(run: LoadRun): Promise<LoadFigures> {
  const durations: number[] = [];
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon(
      {
        url: run.url,
        connections: run.connections,
        duration: run.durationSeconds,
        headers: { ...run.headers, 'content-type': 'application/json' },
        requests: run.requests.map((request) => ({ method: request.method, path: request.path, ...(request.body === undefined ? {} : { body: JSON.stringify(request.body) }) })),
      },
      (error, finished) => (error ? reject(error instanceof Error ? error : new Error(String(error))) : resolve(finished)),
    );
    instance.on('response', (_client: unknown, statusCode: number, _bytes: number, durationMs: number) => {
      if (statusCode >= 200 && statusCode < 300) durations.push(durationMs);
    });
  });
  const statusCodes: Record<string, number> = {};
  for (const [code, stats] of Object.entries(result.statusCodeStats ?? {})) statusCodes[code] = stats.count ?? 0;
  return { requests: result.requests.total, requestsPerSecond: result.requests.total / result.duration, latencyMs: latencyOf(durations), errors: result.errors, non2xx: result.non2xx, statusCodes };
}

/** Percentiles by the eval tool's interpolation, so both tools report latency the same way. */
export function latencyOf(millis: readonly number[]): LatencyFigures {
  const at = (q: number) => round3(percentile(millis, q));
  const mean = millis.length === 0 ? 0 : millis.reduce((sum, value) => sum + value, 0) / millis.length;
  return { p50: at(0.5), p90: at(0.9), p95: at(0.95), p99: at(0.99), mean: round3(mean), max: round3(millis.reduce((top, value) => Math.max(top, value), 0)) };
}

function round3(value: number): number {
  return Math.round(value * 1000) / 1000;
}
