export interface BackoffSettings {
  /** The first retry waits about this long; each later one about twice as long as the one before. */
  readonly baseDelayMs: number;
  /** No wait is longer than this, even when the server's Retry-After asks for more. */
  readonly maxDelayMs: number;
}

/** HTTP statuses worth another try: the server is overloaded or failing, not the request wrong. */
export function isRetryableStatus(status: number): boolean {
  return status === 429 || (status >= 500 && status <= 599);
}

/**
 * How long to wait before retry number `retry` (1 for the first): "full jitter" exponential
 * backoff, so many clients that failed together do not come back together; a Retry-After the
 * server sent is honoured as a floor.
 */
export function retryDelayMs(retry: number, settings: BackoffSettings, retryAfterHeader: string | null, random: () => number = Math.random): number {
  const ceiling = Math.min(settings.maxDelayMs, settings.baseDelayMs * 2 ** (retry - 1));
  const jittered = ceiling / 2 + (random() * ceiling) / 2;
  const requested = parseRetryAfterMs(retryAfterHeader);
  return Math.round(Math.min(settings.maxDelayMs, Math.max(jittered, requested ?? 0)));
}

/** Retry-After is either delay-seconds or an HTTP date. */
export function parseRetryAfterMs(header: string | null, now: number = Date.now()): number | null {
  if (header === null || header.trim() === '') return null;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(header);
  return Number.isNaN(date) ? null : Math.max(0, date - now);
}
