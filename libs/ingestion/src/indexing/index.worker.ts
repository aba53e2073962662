import { randomUUID } from 'node:crypto';
import { type AnswerCache, type Chunk, type Embedder, type KeywordIndex, type OutboxEvent, isOutageError, type SqlStore, type VectorIndex } from '@rag/core';
import { ClaimWriteBatch, type WriteSlot } from './claim-write.batch';
import { IndexWriter } from './index.writer';

export interface IndexWorkerSettings {
  readonly pollMs: number;
  readonly batchSize: number;
  readonly maxAttempts: number;
  readonly leaseMs: number;
  readonly embedBatchSize: number;
}

export interface IndexWorkerPorts {
  readonly sqlStore: SqlStore;
  readonly vectorIndex: VectorIndex;
  readonly keywordIndex: KeywordIndex;
  readonly embedder: Embedder;
  readonly cache: AnswerCache;
}

export interface IndexWorkerLog {
  info(message: string, fields: Record<string, unknown>): void;
  error(message: string, fields: Record<string, unknown>): void;
}

/** What the wiring may add around the worker: a span per event, counters of indexed chunks. */
export interface IndexWorkerHooks {
  /** Runs one event's work; the default just runs it. */
  around?(event: OutboxEvent, work: () => Promise<void>): Promise<void>;
  /** Called after a version's chunks are in both indexes and active, with how many it wrote there (the rest were there already). */
  indexed?(chunks: number): void;
}

const BACKOFF_BASE_MS = 500;
/** Capped low enough that a document waiting on a store that came back is indexed within seconds. */
const BACKOFF_CAP_MS = 10_000;

/**
 * Drains the outbox into the vector and keyword indexes. Writes are idempotent upserts, so an
 * event retried after a crash does no harm. A version becomes visible only after all its chunks
 * are in both indexes; the previous version leaves the indexes after the flip.
 */
export class IndexWorker {
  readonly id = `worker-${randomUUID().slice(0, 8)}`;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private stopped = true;
  /** Set by `stop`: the claim in hand is given back instead of processed (drain alone never sets it). */
  private stopping = false;
  private readonly writer: IndexWriter;

  constructor(
    private readonly ports: IndexWorkerPorts,
    private readonly settings: IndexWorkerSettings,
    private readonly log: IndexWorkerLog,
    private readonly hooks: IndexWorkerHooks = {},
  ) {
    this.writer = new IndexWriter({ ...ports, embeddingCache: ports.sqlStore }, settings.embedBatchSize);
  }

  start(): void {
    this.stopped = false;
    this.stopping = false;
    this.schedule(0);
  }

  /** Runs a cycle now instead of at the next poll; called when new work is written. */
  wake(): void {
    if (!this.stopped && !this.running) this.schedule(0);
  }

  /** Finishes the event in hand, gives back the rest of its claim, and stops. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.stopping = true;
    clearTimeout(this.timer);
    await this.running;
  }

  /** Processes due events until none is left (or the worker stops); returns how many it processed. */
  async drain(): Promise<number> {
    let processed = 0;
    for (;;) {
      if (this.stopping) return processed;
      const events = await this.ports.sqlStore.claimOutboxEvents(this.id, this.settings.batchSize, this.settings.leaseMs);
      if (events.length === 0) return processed;
      // Stopped while claiming: give the claim back rather than start work the shutdown will cut short.
      if (this.stopping) {
        await this.release(events);
        return processed;
      }
      // Side by side: most of an event's time is spent waiting on the stores (an Elasticsearch
      // refresh, a Milvus flush), and every step is safe to run beside any other event's. Their
      // chunks go to the indexes in one shared write.
      const batch = new ClaimWriteBatch(this.writer, events.length);
      const outcomes = await Promise.allSettled(events.map((event) => this.process(event, batch.slot())));
      const failure = outcomes.find((outcome) => outcome.status === 'rejected');
      if (failure) throw failure.reason;
      processed += events.length;
    }
  }

  private async release(events: readonly OutboxEvent[]): Promise<void> {
    try {
      await this.ports.sqlStore.releaseOutboxEvents(this.id, events.map((event) => event.id));
      this.log.info('Released claimed index events at shutdown', { events: events.length });
    } catch (error) {
      // Their lease runs out instead, after WORKER_LEASE_MS, and another worker takes them then.
      this.log.error('Could not release claimed index events; they return when their lease expires', { events: events.length, error: describe(error) });
    }
  }

  private schedule(delayMs: number): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.running = this.drain()
        .then(() => undefined)
        .catch((error: unknown) => this.log.error('Index worker cycle failed', { error: describe(error) }))
        .finally(() => {
          this.running = undefined;
          if (!this.stopped) this.schedule(this.settings.pollMs);
        });
    }, delayMs);
  }

  /** `slot`: the event's place in its claim's shared write, skipped by every path that does not write. */
  private async process(event: OutboxEvent, slot: WriteSlot): Promise<void> {
    const work = async () => {
      if (event.kind === 'index_version') await this.indexVersion(event, slot);
      else {
        slot.skip();
        await this.deleteDocument(event);
      }
    };
    try {
      await (this.hooks.around ? this.hooks.around(event, work) : work());
    } catch (error) {
      await this.fail(event, error);
    } finally {
      slot.skip();
    }
  }

  /**
   * Order matters: every chunk is in both indexes before readers switch versions; cached answers
   * are invalidated right after the switch; the document reads `indexed` only when the old
   * version's chunks were removed from the indexes and the caches. A chunk's id comes from its
   * content, so the chunks the version before holds unchanged are in the indexes already: only the
   * others are written, and only the old version's chunks that the new one does not hold are
   * removed. Every step can be repeated, so a worker killed anywhere leaves nothing behind once the
   * event is retried: chunks written for a version that lost to a newer one are removed again.
   */
  private async indexVersion(event: OutboxEvent, slot: WriteSlot): Promise<void> {
    const { sqlStore, cache } = this.ports;
    const chunks = await sqlStore.chunksOfVersion(event.tenantId, event.documentId, event.version);
    const activeVersion = (await sqlStore.findDocument(event.tenantId, event.documentId))?.activeVersion ?? null;
    if (await this.outdated(event, activeVersion)) {
      slot.skip();
      await this.retire(event, chunks);
      return;
    }
    const held = await this.heldByActiveVersion(event, activeVersion);
    const fresh = chunks.filter((chunk) => !held.has(chunk.id));
    await slot.write(fresh, (counts) => sqlStore.markOutboxStep(event, 'embedded', counts));
    await sqlStore.markOutboxStep(event, 'indexed', { written: fresh.length, unchanged: chunks.length - fresh.length });
    const activation = await sqlStore.activateVersion(event);
    if (!activation.activated) {
      await this.retire(event, chunks);
      return;
    }
    await cache.invalidateTenant(event.tenantId);
    await this.removeUnused(event, await this.replacedChunkIds(event, activation.previousVersion));
    await sqlStore.completeIndexing(event);
    this.hooks.indexed?.(fresh.length);
    this.log.info('Indexed document version', { documentId: event.documentId, version: event.version, chunks: chunks.length, written: fresh.length });
  }

  /**
   * A newer version will replace this one, so indexing it is wasted work. Unless readers see it
   * already (a retry after a crash between activation and completion): its chunks must then stay
   * until the newer version replaces it, and the older versions' must still go.
   */
  private async outdated(event: OutboxEvent, activeVersion: number | null): Promise<boolean> {
    if (activeVersion === event.version) return false;
    return this.ports.sqlStore.hasNewerVersion(event.tenantId, event.documentId, event.version);
  }

  /**
   * The chunk ids the indexes hold for this document already: the active version's. When this
   * version is active itself (a retry after activation), all its chunks were written before.
   */
  private async heldByActiveVersion(event: OutboxEvent, activeVersion: number | null): Promise<Set<string>> {
    if (activeVersion === null) return new Set();
    return new Set(await this.ports.sqlStore.chunkIdsOfVersions(event.tenantId, event.documentId, [activeVersion]));
  }

  /** A version that will never be read: a crashed earlier attempt may have written its chunks. */
  private async retire(event: OutboxEvent, chunks: readonly Chunk[]): Promise<void> {
    await this.removeUnused(event, chunks.map((chunk) => chunk.id));
    await this.ports.sqlStore.supersedeVersion(event);
  }

  /**
   * Removes the chunks from the indexes, sparing those the active version or a newer pending one
   * holds too. A replaced version's removal need not wait to show in searches (an Elasticsearch
   * refresh): hydration drops a hit whose chunk is not in the active version, so no reader sees it,
   * and the document's next update need not wait behind it. A delete waits, so `deleted` means gone.
   */
  private async removeUnused(event: OutboxEvent, chunkIds: readonly string[], awaitVisibility = false): Promise<void> {
    if (chunkIds.length === 0) return;
    const inUse = new Set(await this.ports.sqlStore.chunkIdsInUse(event.tenantId, event.documentId, event.version));
    await this.writer.remove(event.tenantId, chunkIds.filter((id) => !inUse.has(id)), { awaitVisibility });
  }

  /**
   * The chunks readers saw before this version. When the version was active already (a retry
   * after a crash between activation and completion), which version it replaced is not known,
   * so every older version's chunks are considered; deleting what is not there costs nothing.
   */
  private async replacedChunkIds(event: OutboxEvent, previousVersion: number | null): Promise<string[]> {
    const { sqlStore } = this.ports;
    if (previousVersion !== null) return sqlStore.chunkIdsOfVersions(event.tenantId, event.documentId, [previousVersion]);
    if (event.version <= 1) return [];
    return sqlStore.chunkIdsOfDocument(event.tenantId, event.documentId, event.version - 1);
  }

  /** Every chunk of every version up to the deleted one; a version submitted after the delete keeps its own. */
  private async deleteDocument(event: OutboxEvent): Promise<void> {
    const ids = await this.ports.sqlStore.chunkIdsOfDocument(event.tenantId, event.documentId, event.version);
    await this.removeUnused(event, ids, true);
    await this.ports.cache.invalidateTenant(event.tenantId);
    await this.ports.sqlStore.finishDelete(event);
    this.log.info('Deleted document from the indexes', { documentId: event.documentId, chunks: ids.length });
  }

  /**
   * A store that is down or slow says nothing about the event, so it never dead-letters it: the
   * event keeps retrying with capped backoff until the store returns. Other failures count.
   */
  private async fail(event: OutboxEvent, error: unknown): Promise<void> {
    const reason = describe(error);
    const dead = event.attempts >= this.settings.maxAttempts && !isOutageError(error);
    const retryAt = dead ? null : Date.now() + backoffMs(event.attempts);
    this.log.error(dead ? 'Index event dead-lettered' : 'Index event failed; will retry', { eventId: event.id, documentId: event.documentId, attempts: event.attempts, reason });
    // When SQL itself is down this fails too; the claim's lease then expires and the event returns.
    await this.ports.sqlStore.failOutboxEvent(event, reason, retryAt);
  }
}

/** Exponential backoff with full jitter, so retrying workers do not move in step. */
function backoffMs(attempts: number): number {
  const ceiling = Math.min(BACKOFF_CAP_MS, BACKOFF_BASE_MS * 2 ** Math.max(0, attempts - 1));
  return Math.round(ceiling / 2 + Math.random() * (ceiling / 2));
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
