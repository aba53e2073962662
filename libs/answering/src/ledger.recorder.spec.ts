import { toTenantId, type LedgerEntry, type SqlStore } from '@rag/core';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LedgerRecorder } from './ledger.recorder';
import { LedgerSpool } from './ledger.spool';

/** A store whose writes finish only when the test says so. */
function slowStore() {
  const written: LedgerEntry[] = [];
  let release: () => void = () => undefined;
  let fail = false;
  const store = {
    appendLedger: (entries: readonly LedgerEntry[]) =>
      new Promise<void>((resolve, reject) => {
        release = () => (fail ? reject(new Error('down')) : (written.push(...entries), resolve()));
      }),
    findLedgerEntry: (_tenant: string, id: string) => Promise.resolve(written.find((e) => e.requestId === id) ?? null),
  } as unknown as SqlStore;
  return { store, written, release: () => release(), failNext: () => (fail = true) };
}

const entry = (requestId: string) => ({ requestId, tenantId: toTenantId('t') }) as LedgerEntry;

describe('ledger recorder', () => {
  it('finds a row while it is queued, while it is being written, and after', async () => {
    const { store, release } = slowStore();
    const recorder = new LedgerRecorder(store, { flushIntervalMs: 1, maxBatch: 10 }, () => undefined);
    recorder.record(entry('r1'));
    expect(await recorder.find(toTenantId('t'), 'r1')).not.toBeNull();
    const flushing = recorder.flush();
    await new Promise((r) => setTimeout(r, 5));
    expect(await recorder.find(toTenantId('t'), 'r1')).not.toBeNull();
    release();
    await flushing;
    expect(await recorder.find(toTenantId('t'), 'r1')).not.toBeNull();
  });

  it('keeps rows that failed to write and reports the failure', async () => {
    const { store, release, failNext } = slowStore();
    const failures: number[] = [];
    const recorder = new LedgerRecorder(store, { flushIntervalMs: 10_000, maxBatch: 10 }, (_error, pending) => failures.push(pending));
    recorder.record(entry('r1'));
    failNext();
    const flushing = recorder.flush();
    await new Promise((r) => setTimeout(r, 5));
    release();
    await flushing;
    expect(failures).toEqual([1]);
    expect(await recorder.find(toTenantId('t'), 'r1')).not.toBeNull();
  });
});

describe('ledger recorder with a spool', () => {
  /** SQL that fails while `down` is set and otherwise keeps rows by request id, ignoring repeats as MySQL does. */
  function flakySql() {
    const rows = new Map<string, LedgerEntry>();
    const state = { down: true, attempts: 0 };
    const store = {
      appendLedger: async (entries: readonly LedgerEntry[]) => {
        state.attempts++;
        if (state.down) throw new Error('connect ECONNREFUSED 127.0.0.1:3306');
        for (const e of entries) if (!rows.has(e.requestId)) rows.set(e.requestId, e);
      },
      findLedgerEntry: async (_tenant: string, id: string) => rows.get(id) ?? null,
    } as unknown as SqlStore;
    return { store, rows, state };
  }

  const spoolIn = (dir: string) => LedgerSpool.open(join(dir, 'ledger-spool.jsonl'));

  it('spools rows while SQL is down and replays them in order, once each, when it returns', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'spool-'));
    const spool = await spoolIn(dir);
    const { store, rows, state } = flakySql();
    const sizes: number[] = [];
    const recorder = new LedgerRecorder(store, { flushIntervalMs: 1, maxBatch: 2, spool, replayIntervalMs: 5, onSpoolSize: (n) => sizes.push(n) }, () => undefined);
    for (const id of ['r1', 'r2', 'r3']) recorder.record(entry(id));
    await recorder.flush();
    expect(recorder.spooling()).toBe(true);
    expect(spool.size).toBe(3);
    recorder.record(entry('r4'));
    await recorder.flush();
    expect(spool.size).toBe(4);
    expect(rows.size).toBe(0);

    state.down = false;
    rows.set('r1', entry('r1')); // a write that landed although the client saw it fail
    await recorder.flush();
    expect([...rows.keys()]).toEqual(['r1', 'r2', 'r3', 'r4']);
    expect(recorder.spooling()).toBe(false);
    expect(sizes.at(-1)).toBe(0);
    await recorder.close();
  });

  it('replays rows a previous process left in the spool file', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'spool-'));
    const first = flakySql();
    const before = new LedgerRecorder(first.store, { flushIntervalMs: 1, maxBatch: 10, spool: await spoolIn(dir) }, () => undefined);
    before.record(entry('账单-1'));
    await before.close();

    const after = flakySql();
    after.state.down = false;
    const recorder = new LedgerRecorder(after.store, { flushIntervalMs: 1, maxBatch: 10, spool: await spoolIn(dir) }, () => undefined);
    expect(recorder.spooling()).toBe(true);
    await recorder.flush();
    expect([...after.rows.keys()]).toEqual(['账单-1']);
  });
});
