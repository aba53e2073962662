import type { LedgerEntry, SqlStore, TenantId } from '@rag/core';

export interface LedgerRecorderSettings {
  readonly flushIntervalMs: number;
  readonly maxBatch: number;
}

/**
 * Writes ledger rows in small batches off the request path, so a cache hit costs no SQL round
 * trip. Rows that fail to write stay queued and are retried at the next flush.
 */
export class LedgerRecorder {
  private queue: LedgerEntry[] = [];
  /** The batch being written: still findable until the store has it. */
  private writing: readonly LedgerEntry[] = [];
  private timer: NodeJS.Timeout | undefined;
  private flushing: Promise<void> | undefined;

  constructor(
    private readonly store: SqlStore,
    private readonly settings: LedgerRecorderSettings,
    private readonly onError: (error: unknown, pending: number) => void,
    /** Applied to every row before it is queued: personal data never reaches the store. */
    private readonly redact: (entry: LedgerEntry) => LedgerEntry = (entry) => entry,
    /**
     * Sees every row as it is recorded, still inside the request: how metrics and spans learn what
     * each request did without calls sprinkled through the query path.
     */
    private readonly observe: (entry: LedgerEntry) => void = () => undefined,
  ) {}

  record(entry: LedgerEntry): void {
    const redacted = this.redact(entry);
    this.observe(redacted);
    this.queue.push(redacted);
    if (this.queue.length >= this.settings.maxBatch) {
      void this.flush();
      return;
    }
    this.timer ??= setTimeout(() => void this.flush(), this.settings.flushIntervalMs);
  }

  /** A row still queued is found here too, so a reader never misses a request that just ended. */
  async find(tenantId: TenantId, requestId: string): Promise<LedgerEntry | null> {
    const pending = [...this.queue, ...this.writing].find((entry) => entry.requestId === requestId && entry.tenantId === tenantId);
    return pending ?? this.store.findLedgerEntry(tenantId, requestId);
  }

  async flush(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    while (this.flushing) await this.flushing;
    if (this.queue.length === 0) return;
    const batch = this.queue.splice(0, this.settings.maxBatch);
    this.writing = batch;
    this.flushing = this.store
      .appendLedger(batch)
      .catch((error: unknown) => {
        this.queue.unshift(...batch);
        this.onError(error, this.queue.length);
      })
      .finally(() => {
        this.writing = [];
        this.flushing = undefined;
      });
    await this.flushing;
    if (this.queue.length > 0 && this.timer === undefined) {
      this.timer = setTimeout(() => void this.flush(), this.settings.flushIntervalMs);
    }
  }

  async close(): Promise<void> {
    await this.flush();
    clearTimeout(this.timer);
    this.timer = undefined;
  }
}
