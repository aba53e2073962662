import { describe, expect, it } from 'vitest';
import { Metrics } from './metrics';
import { OutboxMetricsPoller } from './outbox.metrics-poller';

async function gauge(metrics: Metrics, name: string): Promise<number | undefined> {
  return (await metrics.registry.getMetricsAsJSON()).find((m) => m.name === name)?.values[0]?.value;
}

describe('outbox gauges', () => {
  it('show the waiting events, the oldest one’s age and the dead letters', async () => {
    const metrics = new Metrics();
    const now = 1_700_000_100_000;
    await new OutboxMetricsPoller(metrics, () => Promise.resolve({ pending: 7, oldestPendingAt: now - 90_000, dead: 2 }), 1000, () => undefined, () => now).poll();
    expect(await gauge(metrics, 'rag_outbox_pending_events')).toBe(7);
    expect(await gauge(metrics, 'rag_outbox_oldest_age_seconds')).toBe(90);
    expect(await gauge(metrics, 'rag_outbox_dead_events')).toBe(2);
  });

  it('read an empty outbox as age 0, and report a failed read instead of throwing', async () => {
    const metrics = new Metrics();
    await new OutboxMetricsPoller(metrics, () => Promise.resolve({ pending: 0, oldestPendingAt: null, dead: 0 }), 1000, () => undefined).poll();
    expect(await gauge(metrics, 'rag_outbox_oldest_age_seconds')).toBe(0);
    const errors: unknown[] = [];
    await new OutboxMetricsPoller(metrics, () => Promise.reject(new Error('SQL store unreachable')), 1000, (error) => errors.push(error)).poll();
    expect(errors).toHaveLength(1);
  });
});
