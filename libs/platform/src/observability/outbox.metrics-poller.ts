import type { OutboxStats } from '@rag/core';
import type { Metrics } from './metrics';

/**
 * Reads the outbox's depth, age and dead letters from the SQL store every `intervalMs` and sets the
 * outbox gauges. The outbox is shared by every worker, so one poll per process is the whole picture.
 */
export class OutboxMetricsPoller {
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly metrics: Metrics,
    private readonly readStats: () => Promise<OutboxStats>,
    private readonly intervalMs: number,
    private readonly onError: (error: unknown) => void,
    private readonly now: () => number = Date.now,
  ) {}

  start(): void {
    void this.poll();
    this.timer = setInterval(() => void this.poll(), this.intervalMs);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
  }

  async poll(): Promise<void> {
    try {
      const stats = await this.readStats();
      this.metrics.outboxPending.set(stats.pending);
      this.metrics.outboxDead.set(stats.dead);
      this.metrics.outboxOldestAge.set(stats.oldestPendingAt === null ? 0 : Math.max(0, (this.now() - stats.oldestPendingAt) / 1000));
    } catch (error) {
      this.onError(error);
    }
  }
}
