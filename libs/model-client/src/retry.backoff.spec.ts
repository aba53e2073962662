import { describe, expect, it } from 'vitest';
import { isRetryableStatus, parseRetryAfterMs, retryDelayMs } from './retry.backoff';

const settings = { baseDelayMs: 100, maxDelayMs: 1_000 };

describe('retry backoff', () => {
  it('retries 429 and 5xx only', () => {
    expect([429, 500, 502, 503, 504].every(isRetryableStatus)).toBe(true);
    expect([400, 401, 404, 408, 422].some(isRetryableStatus)).toBe(false);
  });

  it('waits between half and all of an exponentially growing ceiling, capped', () => {
    expect(retryDelayMs(1, settings, null, () => 0)).toBe(50);
    expect(retryDelayMs(1, settings, null, () => 1)).toBe(100);
    expect(retryDelayMs(2, settings, null, () => 1)).toBe(200);
    expect(retryDelayMs(10, settings, null, () => 1)).toBe(1_000);
  });

  it("honours the server's Retry-After as a floor, within the cap", () => {
    expect(retryDelayMs(1, settings, '0.5', () => 0)).toBe(500);
    expect(retryDelayMs(1, settings, '30', () => 0)).toBe(1_000);
    expect(parseRetryAfterMs('Wed, 21 Oct 2015 07:28:10 GMT', Date.parse('Wed, 21 Oct 2015 07:28:00 GMT'))).toBe(10_000);
    expect(parseRetryAfterMs('soon')).toBeNull();
  });
});
