import type { Chunk } from '@rag/core';
import type { IndexWriter, OnEmbedded, WriteGroup } from './index.writer';

/** One event's place in a claim's shared write: it either writes through it or skips it, once. */
export interface WriteSlot {
  write(chunks: readonly Chunk[], onEmbedded: OnEmbedded): Promise<void>;
  /** The event will not write (a newer version replaces it, or it failed first); the others need not wait for it. */
  skip(): void;
}

interface WaitingWrite extends WriteGroup {
  readonly onEmbedded: OnEmbedded;
  readonly resolve: () => void;
  readonly reject: (error: unknown) => void;
}

/**
 * Gathers the chunk writes of the events one worker claimed together into one write to each index:
 * one embedding pass, one FTS5 transaction or Elasticsearch bulk request, one vector upsert, instead
 * of one per event. The write starts when every event has either written or skipped. Should that
 * shared write fail, each event writes alone, so a bad event fails by itself and the others go on.
 */
export class ClaimWriteBatch {
  private readonly waiting: WaitingWrite[] = [];
  private outstanding: number;

  constructor(
    private readonly writer: IndexWriter,
    events: number,
  ) {
    this.outstanding = events;
  }

  slot(): WriteSlot {
    let used = false;
    const take = (): boolean => {
      if (used) return false;
      used = true;
      return true;
    };
    return {
      write: (chunks, onEmbedded) => {
        if (!take()) return Promise.reject(new Error('An event wrote through its claim slot twice.'));
        return new Promise<void>((resolve, reject) => {
          this.waiting.push({ chunks, onEmbedded, resolve, reject });
          this.arrive();
        });
      },
      skip: () => {
        if (take()) this.arrive();
      },
    };
  }

  private arrive(): void {
    this.outstanding -= 1;
    if (this.outstanding === 0) void this.flush();
  }

  private async flush(): Promise<void> {
    const waiting = this.waiting.splice(0);
    if (waiting.length === 0) return;
    try {
      await this.writer.writeMany(waiting);
      for (const write of waiting) write.resolve();
    } catch (error) {
      if (waiting.length === 1) {
        waiting[0]?.reject(error);
        return;
      }
      // Upserts are idempotent, so writing again what the shared write may have written is safe.
      await Promise.all(waiting.map((write) => this.writer.write(write.chunks, write.onEmbedded).then(write.resolve, write.reject)));
    }
  }
}
