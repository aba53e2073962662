import type { LedgerEntry, SqlStore, TenantId } from '@rag/core';
import type { LedgerSpool } from './ledger.spool';

export interface LedgerRecorderSettings {
  readonly flushIntervalMs: number;
  readonly maxBatch: number;
  /** Where rows go while SQL is down; without one, they wait in memory. */
  readonly spool?: LedgerSpool;
  /** How often a non-empty spool is offered to SQL again. */
  readonly replayIntervalMs?: number;
  /** Told the spool's row count whenever it changes (the rag_ledger_spool_rows gauge). */
  readonly onSpoolSize?: (rows: number) => void;
}

const DEFAULT_REPLAY_INTERVAL_MS = 1_000;

/**
 * Writes ledger rows in small batches off the request path, so a cache hit costs no SQL round
 * trip. When SQL fails, the batch goes to the spool file, and so does every later row until the
 * spool has been replayed, so rows reach SQL in the order they were recorded. Replays are safe to
 * repeat: the store ignores a request id it already has.
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
  ) {
    if (this.spooled() > 0) this.schedule(0);
  }

  record(entry: LedgerEntry): void {
    const redacted = this.redact(entry);
    this.observe(redacted);
    this.queue.push(redacted);
    if (this.queue.length >= this.settings.maxBatch) {
      void this.flush();
      return;
    }
    this.schedule(this.settings.flushIntervalMs);
  }

  /** Rows are waiting in the spool: SQL was failing at the last write and has not taken them back yet. */
  spooling(): boolean {
    return this.spooled() > 0;
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
    this.flushing = this.writeQueued().finally(() => {
      this.writing = [];
      this.flushing = undefined;
    });
    await this.flushing;
    if (this.queue.length > 0) this.schedule(this.settings.flushIntervalMs);
    else if (this.spooled() > 0) this.schedule(this.settings.replayIntervalMs ?? DEFAULT_REPLAY_INTERVAL_MS);
  }

  async close(): Promise<void> {
    await this.flush();
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  private async writeQueued(): Promise<void> {
    if (this.spooled() > 0) await this.replay();
    while (this.queue.length > 0) {
      const batch = this.queue.splice(0, this.settings.maxBatch);
      this.writing = batch;
      if (this.spooled() > 0) {
        if (!(await this.keep(batch))) return;
        continue;
      }
      try {
        await this.store.appendLedger(batch);
      } catch (error) {
        this.onError(error, this.queue.length + batch.length);
        if (!(await this.keep(batch))) return;
      }
    }
  }

  /** Spools a batch; when even that fails (disk full), the rows go back to the queue, front first. */
  private async keep(batch: LedgerEntry[]): Promise<boolean> {
    const { spool } = this.settings;
    if (!spool) {
      this.queue.unshift(...batch);
      return false;
    }
    try {
      await spool.append(batch);
      this.settings.onSpoolSize?.(spool.size);
      return true;
    } catch (error) {
      this.queue.unshift(...batch);
      this.onError(error, this.queue.length);
      return false;
    }
  }

  /** Offers the spool to SQL in order; stops at the first failure and starts over next time. */
  private async replay(): Promise<void> {
    const { spool } = this.settings;
    if (!spool) return;
    try {
      for await (const batch of spool.batches(this.settings.maxBatch)) await this.store.appendLedger(batch);
    } catch (error) {
      this.onError(error, spool.size);
      return;
    }
    await spool.clear();
    this.settings.onSpoolSize?.(0);
  }

  private spooled(): number {
    return this.settings.spool?.size ?? 0;
  }

  private schedule(delayMs: number): void {
    this.timer ??= setTimeout(() => void this.flush(), delayMs);
  }
}
