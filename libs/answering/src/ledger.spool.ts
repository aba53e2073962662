import { createReadStream } from 'node:fs';
import { mkdir, open, stat, truncate } from 'node:fs/promises';
import { dirname } from 'node:path';
import { createInterface } from 'node:readline';
import type { LedgerEntry } from '@rag/core';

/**
 * Ledger rows that SQL could not take, in an append-only JSON-lines file, in the order they were
 * recorded. Each append is synced to disk before it counts as kept. One file per process data
 * folder: two processes must not share a DATA_DIR.
 */
export class LedgerSpool {
  private rows = 0;

  private constructor(private readonly file: string) {}

  /** Opens the spool, counting rows a previous run left behind so they are replayed first. */
  static async open(file: string): Promise<LedgerSpool> {
    const spool = new LedgerSpool(file);
    await mkdir(dirname(file), { recursive: true });
    const exists = await stat(file).then(() => true, () => false);
    if (exists) for await (const batch of spool.batches(1_000)) spool.rows += batch.length;
    return spool;
  }

  get size(): number {
    return this.rows;
  }

  async append(entries: readonly LedgerEntry[]): Promise<void> {
    if (entries.length === 0) return;
    const handle = await open(this.file, 'a');
    try {
      await handle.appendFile(entries.map((entry) => `${JSON.stringify(entry)}\n`).join(''));
      await handle.datasync();
    } finally {
      await handle.close();
    }
    this.rows += entries.length;
  }

  /**
   * The kept rows in order, a batch at a time, so a long outage's spool never sits in memory whole.
   * A line cut short by a crash mid-append is skipped: it was never acknowledged as kept.
   */
  async *batches(size: number): AsyncGenerator<LedgerEntry[]> {
    const exists = await stat(this.file).then(() => true, () => false);
    if (!exists) return;
    let batch: LedgerEntry[] = [];
    for await (const line of createInterface({ input: createReadStream(this.file, 'utf8'), crlfDelay: Infinity })) {
      const entry = parseLine(line);
      if (entry) batch.push(entry);
      if (batch.length === size) {
        yield batch;
        batch = [];
      }
    }
    if (batch.length > 0) yield batch;
  }

  /** Empties the spool once every row in it is in SQL. */
  async clear(): Promise<void> {
    await truncate(this.file, 0);
    this.rows = 0;
  }
}

function parseLine(line: string): LedgerEntry | null {
  if (line.trim() === '') return null;
  try {
    return JSON.parse(line) as LedgerEntry;
  } catch {
    return null;
  }
}
