import { toTenantId, type LedgerEntry, type SqlStore } from '@rag/core';
import { describe, expect, it } from 'vitest';
import { LedgerRecorder } from './ledger.recorder';

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
