import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EVERYONE_GROUP, toTenantId, type DraftChunk, type LedgerEntry, type NewVersion, type SqlStore } from '@rag/core';
import { testStoreUrls, uniqueTestName } from '@rag/testing';
import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { KyselySqlStore } from './kysely/kysely.sql-store';
import { connectMysql } from './mysql/mysql.connection';
import { connectSqlite } from './sqlite/sqlite.connection';

const stores = testStoreUrls();

interface Harness {
  open(): Promise<SqlStore>;
  reopen(store: SqlStore): Promise<SqlStore>;
  dispose(): Promise<void>;
}

/** One entry per adapter; every case below runs against each. */
const adapters: [string, () => Harness][] = [
  [
    'sqlite',
    () => {
      const directory = mkdtempSync(join(tmpdir(), 'sql-contract-'));
      const open = () => KyselySqlStore.open(connectSqlite(join(directory, 'rag.sqlite')), 'sqlite');
      return {
        open,
        reopen: async (store) => {
          await store.close();
          return open();
        },
        dispose: () => Promise.resolve(rmSync(directory, { recursive: true, force: true })),
      };
    },
  ],
];

if (stores) {
  adapters.push([
    'mysql',
    () => {
      // A fresh database per test; its name starts with the prefix the test user may create.
      const database = uniqueTestName('rag_test');
      const url = new URL(stores.mysqlUrl);
      const serverUrl = `${url.protocol}//${url.username}:${url.password}@${url.host}/${url.pathname.slice(1)}`;
      const databaseUrl = `${url.protocol}//${url.username}:${url.password}@${url.host}/${database}`;
      const admin = async (statement: string) => {
        const db = await connectMysql(serverUrl);
        await sql.raw(statement).execute(db);
        await db.destroy();
      };
      const open = async () => KyselySqlStore.open(await connectMysql(databaseUrl), 'mysql');
      return {
        open: async () => {
          await admin(`CREATE DATABASE \`${database}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
          return open();
        },
        reopen: async (store) => {
          await store.close();
          return open();
        },
        dispose: () => admin(`DROP DATABASE IF EXISTS \`${database}\``),
      };
    },
  ]);
}

const bankA = toTenantId('bank-a');
const bankB = toTenantId('bank-b');

function chunk(nodeId: string, text: string): DraftChunk {
  return { nodeId, sectionPath: ['Title', 'Section'], text, contentHash: `h-${text}` };
}

function version(externalId: string, hash: string, extra: Partial<NewVersion> = {}, acl: string[] = [EVERYONE_GROUP]): NewVersion {
  return {
    tenantId: bankA,
    submission: { collection: 'c1', externalId, title: '标题 Title', content: `content ${hash}`, contentType: 'text/plain', aclGroups: acl, metadata: { owner: 'cards' } },
    contentHash: hash,
    outcome: { chunks: [chunk('0.0', `first ${hash}`), chunk('0.1', `second ${hash}`)] },
    ...extra,
  };
}

describe.each(adapters)('SqlStore contract: %s', (_name, makeHarness) => {
  let harness: Harness;
  let store: SqlStore;

  async function setUp(): Promise<void> {
    harness = makeHarness();
    store = await harness.open();
  }

  afterEach(async () => {
    await store.close().catch(() => undefined);
    await harness.dispose();
  });

  /** The version's chunk ids in document order. */
  const chunkIdsOf = async (documentId: string, v: number) => (await store.chunksOfVersion(bankA, documentId, v)).map((c) => c.id);

  it('writes a document, its version, its chunks and an outbox event together', async () => {
    await setUp();
    const { document, version: v, unchanged } = await store.submitVersion(version('faq', 'h1'));
    expect(unchanged).toBe(false);
    expect(document).toMatchObject({ tenantId: bankA, externalId: 'faq', status: 'pending', activeVersion: null, latestVersion: 1, metadata: { owner: 'cards' } });
    expect(v).toMatchObject({ version: 1, status: 'pending', chunkCount: 2 });
    const chunks = await store.chunksOfVersion(bankA, document.id, 1);
    expect(chunks.map((c) => [c.version, c.nodeId, c.text])).toEqual([
      [1, '0.0', 'first h1'],
      [1, '0.1', 'second h1'],
    ]);
    expect(chunks.every((c) => c.id.startsWith(`${document.id}~`))).toBe(true);
    expect(await store.pendingOutboxCount()).toBe(1);
  });

  it('takes many concurrent submissions of new and existing documents without losing one', async () => {
    await setUp();
    const submissions = Array.from({ length: 24 }, (_, i) => store.submitVersion(version(`doc-${i % 12}`, `h${i}`)));
    submissions.push(...Array.from({ length: 4 }, (_, i) => store.submitVersion(version('same-new-doc', `s${i}`))));
    const results = await Promise.all(submissions);
    expect(new Set(results.map((r) => r.document.id)).size).toBe(13);
    expect(results.every((r) => r.version.status === 'pending')).toBe(true);
    expect(results.slice(24).map((r) => r.version.version).sort()).toEqual([1, 2, 3, 4]);
    expect(await store.pendingOutboxCount()).toBe(28);
  });

  it('changes nothing when the same content is submitted again', async () => {
    await setUp();
    const first = await store.submitVersion(version('faq', 'h1'));
    const again = await store.submitVersion(version('faq', 'h1'));
    expect(again).toMatchObject({ unchanged: true, version: { version: 1 } });
    expect(again.document.id).toBe(first.document.id);
    expect(await store.pendingOutboxCount()).toBe(1);
  });

  it('records unparsable content as a failed version without queueing work', async () => {
    await setUp();
    const { document, version: v } = await store.submitVersion(version('bad', 'h1', { outcome: { failureReason: 'binary data' } }));
    expect(document.status).toBe('failed');
    expect(v).toMatchObject({ status: 'failed', failureReason: 'binary data', chunkCount: 0 });
    expect(await store.pendingOutboxCount()).toBe(0);
  });

  it('claims each due event once, and again only after its lease expires', async () => {
    await setUp();
    await store.submitVersion(version('a', 'h1'));
    await store.submitVersion(version('b', 'h1'));
    const first = await store.claimOutboxEvents('w1', 10, 60_000);
    expect(first.map((e) => e.kind)).toEqual(['index_version', 'index_version']);
    expect(first.every((e) => e.attempts === 1)).toBe(true);
    expect(await store.claimOutboxEvents('w2', 10, 60_000)).toEqual([]);
    const expired = await store.submitVersion(version('c', 'h1'));
    const [claimed] = await store.claimOutboxEvents('w1', 1, -1);
    expect(claimed?.documentId).toBe(expired.document.id);
    expect((await store.claimOutboxEvents('w2', 10, 60_000)).map((e) => e.documentId)).toEqual([expired.document.id]);
  });

  it('gives back claimed events at shutdown at once, without counting the attempt', async () => {
    await setUp();
    await store.submitVersion(version('a', 'h1'));
    await store.submitVersion(version('b', 'h1'));
    const claimed = await store.claimOutboxEvents('w1', 10, 600_000);
    await store.releaseOutboxEvents('w2', claimed.map((e) => e.id));
    expect(await store.claimOutboxEvents('w3', 10, 600_000)).toEqual([]);
    await store.releaseOutboxEvents('w1', claimed.map((e) => e.id));
    const again = await store.claimOutboxEvents('w3', 10, 600_000);
    expect(again.map((e) => [e.id, e.attempts])).toEqual(claimed.map((e) => [e.id, 1]));
  });

  it('activates a version, retiring the previous one, and serves only active chunks', async () => {
    await setUp();
    const v1 = await store.submitVersion(version('faq', 'h1'));
    const [e1] = await store.claimOutboxEvents('w', 1, 60_000);
    expect(await store.activateVersion(e1!)).toEqual({ activated: true, previousVersion: null });
    expect((await store.findDocument(bankA, v1.document.id))?.status).toBe('pending');
    await store.completeIndexing(e1!);
    expect((await store.findDocument(bankA, v1.document.id))?.status).toBe('indexed');
    await store.submitVersion(version('faq', 'h2'));
    const [e2] = await store.claimOutboxEvents('w', 1, 60_000);
    expect(await store.activateVersion(e2!)).toEqual({ activated: true, previousVersion: 1 });
    expect(await store.activateVersion(e2!)).toEqual({ activated: true, previousVersion: null });
    await store.completeIndexing(e2!);
    const id = v1.document.id;
    const [old, ...current] = [...(await chunkIdsOf(id, 1)).slice(0, 1), ...(await chunkIdsOf(id, 2))];
    const visible = await store.readableActiveChunks({ tenantId: bankA, groups: 'all' }, [old!, ...current]);
    expect(visible.map((c) => c.id).sort()).toEqual([...current].sort());
    expect(visible.every((c) => c.version === 2)).toBe(true);
    expect((await store.listVersions(bankA, id)).map((v) => [v.version, v.status])).toEqual([
      [2, 'indexed'],
      [1, 'superseded'],
    ]);
    expect(await store.pendingOutboxCount()).toBe(0);
  });

  it('never lets an older version replace a newer active one', async () => {
    await setUp();
    await store.submitVersion(version('faq', 'h1'));
    await store.submitVersion(version('faq', 'h2'));
    // A document's events are claimed one after another, so version 2's is built here, as a late retry would meet it.
    const [e1, ...others] = await store.claimOutboxEvents('w', 2, 60_000);
    expect(others).toEqual([]);
    const e2 = { ...e1!, id: e1!.id + 1, version: 2 };
    expect(await store.hasNewerVersion(bankA, e1!.documentId, 1)).toBe(true);
    await store.activateVersion(e2);
    expect(await store.activateVersion(e1!)).toEqual({ activated: false, previousVersion: null });
    expect((await store.findDocument(bankA, e1!.documentId))?.activeVersion).toBe(2);
  });

  it('filters readable chunks by tenant and ACL in the query', async () => {
    await setUp();
    const board = await store.submitVersion(version('board', 'h1', {}, ['board']));
    const [event] = await store.claimOutboxEvents('w', 1, 60_000);
    await store.activateVersion(event!);
    await store.completeIndexing(event!);
    const chunkIds = (await chunkIdsOf(board.document.id, 1)).slice(0, 1);
    expect(await store.readableActiveChunks({ tenantId: bankA, groups: [EVERYONE_GROUP, 'tellers'] }, chunkIds)).toEqual([]);
    expect(await store.readableActiveChunks({ tenantId: bankB, groups: 'all' }, chunkIds)).toEqual([]);
    expect(await store.readableActiveChunks({ tenantId: bankA, groups: ['board'] }, chunkIds)).toHaveLength(1);
    expect(await store.findDocument(bankB, board.document.id)).toBeNull();
  });

  it('reports the active versions a reader may navigate, with their length, filtered by tenant, ACL and collection', async () => {
    await setUp();
    const open = await store.submitVersion(version('law', 'h1'));
    const board = await store.submitVersion(version('board', 'h2', {}, ['board']));
    for (const event of await store.claimOutboxEvents('w', 2, 60_000)) await store.activateVersion(event);
    await store.submitVersion(version('law', 'h3'));
    const ids = [open.document.id, board.document.id, 'doc_missing'];
    const tellers = await store.readableActiveVersions({ tenantId: bankA, groups: [EVERYONE_GROUP, 'tellers'] }, ids);
    expect(tellers).toEqual([{ documentId: open.document.id, version: 1, title: '标题 Title', chunkCount: 2 }]);
    const admin = await store.readableActiveVersions({ tenantId: bankA, groups: 'all' }, ids);
    expect(admin.map((v) => v.documentId).sort()).toEqual([open.document.id, board.document.id].sort());
    expect(await store.readableActiveVersions({ tenantId: bankA, groups: 'all' }, ids, 'another-collection')).toEqual([]);
    expect(await store.readableActiveVersions({ tenantId: bankB, groups: 'all' }, ids)).toEqual([]);
  });

  it('compares ids and ACL groups exactly: case and accents never merge two of them', async () => {
    await setUp();
    const upper = await store.submitVersion(version('Policy', 'h1', {}, ['Board', 'board', 'Õ', 'O']));
    const lower = await store.submitVersion(version('policy', 'h2', {}, ['board']));
    expect(upper.document.id).not.toBe(lower.document.id);
    const events = await store.claimOutboxEvents('w', 2, 60_000);
    for (const event of events) await store.activateVersion(event);
    const onlyUpper = (await chunkIdsOf(upper.document.id, 1)).slice(0, 1);
    expect(await store.readableActiveChunks({ tenantId: bankA, groups: ['BOARD'] }, onlyUpper)).toEqual([]);
    expect(await store.readableActiveChunks({ tenantId: bankA, groups: ['Ö'] }, onlyUpper)).toEqual([]);
    expect(await store.readableActiveChunks({ tenantId: bankA, groups: ['Õ'] }, onlyUpper)).toHaveLength(1);
  });

  it('hides a deleted document at once and completes the delete through the outbox', async () => {
    await setUp();
    const v1 = await store.submitVersion(version('faq', 'h1'));
    const [e1] = await store.claimOutboxEvents('w', 1, 60_000);
    await store.activateVersion(e1!);
    await store.completeIndexing(e1!);
    const deleting = await store.deleteDocument(bankA, v1.document.id);
    expect(deleting).toMatchObject({ status: 'deleting', activeVersion: null });
    expect(await store.readableActiveChunks({ tenantId: bankA, groups: 'all' }, await chunkIdsOf(v1.document.id, 1))).toEqual([]);
    const [deleteEvent] = await store.claimOutboxEvents('w', 1, 60_000);
    expect(deleteEvent?.kind).toBe('delete_document');
    expect(await store.chunkIdsOfDocument(bankA, v1.document.id, deleteEvent!.version)).toHaveLength(2);
    await store.finishDelete(deleteEvent!);
    expect((await store.findDocument(bankA, v1.document.id))?.status).toBe('deleted');
    expect(await store.chunkIdsOfDocument(bankA, v1.document.id, 99)).toEqual([]);
    expect(await store.deleteDocument(bankA, 'doc_missing')).toBeNull();
  });

  it('gives an unchanged chunk the same id in every version, wherever it moved; anything the indexes hold changing gives a new one', async () => {
    await setUp();
    const draft = (texts: string[], acl = [EVERYONE_GROUP]) => version('rules', texts.join('|'), { outcome: { chunks: texts.map((text, i) => chunk(`0.${i}`, text)) } }, acl);
    const v1 = await store.submitVersion(draft(['金卡年费 300 元。', 'Lost cards stop at once.']));
    const id = v1.document.id;
    // A paragraph inserted above shifts the node ids below it; the chunks keep their ids.
    await store.submitVersion(draft(['新增段落 A new paragraph.', '金卡年费 300 元。', 'Lost cards stop at once.']));
    const [first, second] = await store.chunksOfVersion(bankA, id, 1);
    const moved = await store.chunksOfVersion(bankA, id, 2);
    expect(moved.map((c) => [c.id, c.nodeId, c.version])).toEqual([
      [expect.not.stringMatching(new RegExp(`^(${first!.id}|${second!.id})$`)), '0.0', 2],
      [first!.id, '0.1', 2],
      [second!.id, '0.2', 2],
    ]);
    expect((await store.chunkIdsOfVersions(bankA, id, [1, 2])).sort()).toEqual(moved.map((c) => c.id).sort());
    // New ACL groups are stored in both indexes with each chunk, so every chunk gets a new id.
    await store.submitVersion(draft(['新增段落 A new paragraph.', '金卡年费 300 元。', 'Lost cards stop at once.'], ['tellers']));
    expect((await chunkIdsOf(id, 3)).filter((chunkId) => moved.some((c) => c.id === chunkId))).toEqual([]);
    // The same text in another document, and twice in one version: never one id for two chunks.
    const other = await store.submitVersion({ ...draft(['金卡年费 300 元。', '金卡年费 300 元。']), submission: { ...draft([]).submission, externalId: 'other' } });
    const twins = await chunkIdsOf(other.document.id, 1);
    expect(new Set(twins).size).toBe(2);
    expect(twins).not.toContain(first!.id);
  });

  it('names the chunk ids a document still needs: its active version’s and those of newer versions not yet retired', async () => {
    await setUp();
    const draft = (texts: string[]) => version('rules', texts.join('|'), { outcome: { chunks: texts.map((text, i) => chunk(`0.${i}`, text)) } });
    const v1 = await store.submitVersion(draft(['shared 共用', 'only in one 仅第一版']));
    const id = v1.document.id;
    const [e1] = await store.claimOutboxEvents('w', 1, 60_000);
    await store.activateVersion(e1!);
    await store.completeIndexing(e1!);
    await store.submitVersion(draft(['shared 共用', 'only in two 仅第二版']));
    await store.submitVersion(draft(['shared 共用', 'only in three 仅第三版']));
    const [one, two, three] = [await chunkIdsOf(id, 1), await chunkIdsOf(id, 2), await chunkIdsOf(id, 3)];
    expect((await store.chunkIdsInUse(bankA, id, 2)).sort()).toEqual([...new Set([...one, ...three])].sort());
    expect(await store.chunkIdsInUse(bankA, id, 2)).not.toContain(two[1]);
    expect((await store.chunkIdsInUse(bankA, id, 3)).sort()).toEqual([...one].sort());
  });

  it('serves a chunk that versions share as the active version holds it', async () => {
    await setUp();
    const draft = (texts: string[]) => version('rules', texts.join('|'), { outcome: { chunks: texts.map((text, i) => chunk(`0.${i}`, text)) } });
    const v1 = await store.submitVersion(draft(['kept 保留']));
    const id = v1.document.id;
    const activateNext = async () => {
      const [event] = await store.claimOutboxEvents('w', 1, 60_000);
      await store.activateVersion(event!);
      await store.completeIndexing(event!);
    };
    await activateNext();
    await store.submitVersion(draft(['inserted 插入', 'kept 保留']));
    await activateNext();
    const [kept] = await chunkIdsOf(id, 1);
    expect((await store.readableActiveChunks({ tenantId: bankA, groups: 'all' }, [kept!])).map((c) => [c.version, c.nodeId])).toEqual([[2, '0.1']]);
    expect((await store.activeChunksOfTenant(bankA, null, 10)).map((c) => c.version)).toEqual([2, 2]);
    expect((await store.readableChunks({ tenantId: bankA, groups: 'all' }, [kept!])).map((c) => c.version)).toEqual([2]);
  });

  it('hands out a document’s events one after another, in order, and other documents’ beside them', async () => {
    await setUp();
    const a1 = await store.submitVersion(version('a', 'h1'));
    await store.submitVersion(version('a', 'h2'));
    const b1 = await store.submitVersion(version('b', 'h1'));
    const first = await store.claimOutboxEvents('w1', 10, 60_000);
    expect(first.map((e) => [e.documentId, e.version])).toEqual([
      [a1.document.id, 1],
      [b1.document.id, 1],
    ]);
    expect(await store.claimOutboxEvents('w2', 10, 60_000)).toEqual([]);
    await store.supersedeVersion(first[0]!);
    expect((await store.claimOutboxEvents('w2', 10, 60_000)).map((e) => [e.documentId, e.version])).toEqual([[a1.document.id, 2]]);
  });

  it('keeps the chunks of a version submitted while the document was being deleted', async () => {
    await setUp();
    const v1 = await store.submitVersion(version('faq', 'h1'));
    const [e1] = await store.claimOutboxEvents('w', 1, 60_000);
    await store.activateVersion(e1!);
    await store.completeIndexing(e1!);
    await store.deleteDocument(bankA, v1.document.id);
    // The same content again brings the document back with the same chunks.
    const revived = await store.submitVersion(version('faq', 'h1'));
    expect(revived.version.version).toBe(2);
    expect(await chunkIdsOf(v1.document.id, 2)).toEqual(await chunkIdsOf(v1.document.id, 1));
    const [deleteEvent] = await store.claimOutboxEvents('w', 1, 60_000);
    await store.finishDelete(deleteEvent!);
    expect((await store.chunksOfVersion(bankA, v1.document.id, 2)).map((c) => c.text)).toEqual(['first h1', 'second h1']);
    expect(await store.chunkIdsOfDocument(bankA, v1.document.id, 1)).toEqual([]);
  });

  it('retries a failed event later, and dead-letters it with the reason', async () => {
    await setUp();
    const v1 = await store.submitVersion(version('faq', 'h1'));
    const [event] = await store.claimOutboxEvents('w', 1, 60_000);
    await store.failOutboxEvent(event!, 'embedder down', Date.now() + 60_000);
    expect(await store.claimOutboxEvents('w', 1, 60_000)).toEqual([]);
    // That claim failed already, so a second report of it changes nothing, as one from a worker whose lease ran out.
    await store.failOutboxEvent(event!, 'late report', null);
    expect(await store.latestOutboxEvent(bankA, v1.document.id)).toMatchObject({ status: 'pending', lastError: 'embedder down' });

    const v2 = await store.submitVersion(version('faq-2', 'h1'));
    const [first] = await store.claimOutboxEvents('w', 1, 60_000);
    await store.failOutboxEvent(first!, 'embedder down', Date.now() - 1);
    const [second] = await store.claimOutboxEvents('w', 1, 60_000);
    expect(second).toMatchObject({ id: first!.id, attempts: 2 });
    await store.failOutboxEvent(second!, 'embedder still down', null);
    expect(await store.pendingOutboxCount()).toBe(1);
    const [latest] = await store.listVersions(bankA, v2.document.id);
    expect(latest).toMatchObject({ status: 'failed', failureReason: 'embedder still down' });
    expect((await store.findDocument(bankA, v2.document.id))?.status).toBe('failed');
  });

  it('shows every step of the latest event: queued, claimed by, attempts, embedded, indexed, activated, completed', async () => {
    await setUp();
    const v1 = await store.submitVersion(version('faq', 'h1'));
    const id = v1.document.id;
    expect(await store.latestOutboxEvent(bankA, id)).toMatchObject({ kind: 'index_version', version: 1, status: 'pending', attempts: 0, claimedBy: null, embeddedAt: null, completedAt: null });
    const [event] = await store.claimOutboxEvents('worker-a', 1, 60_000);
    await store.markOutboxStep(event!, 'embedded', { embedded: 1, reused: 1 });
    await store.markOutboxStep(event!, 'indexed', { written: 2, unchanged: 0 });
    await store.activateVersion(event!);
    await store.completeIndexing(event!);
    const done = await store.latestOutboxEvent(bankA, id);
    expect(done).toMatchObject({ status: 'done', attempts: 1, claimedBy: 'worker-a', lastError: null, nextAttemptAt: null, chunksEmbedded: 1, chunksReused: 1, chunksWritten: 2, chunksUnchanged: 0 });
    for (const step of ['queuedAt', 'claimedAt', 'embeddedAt', 'indexedAt', 'activatedAt', 'completedAt'] as const) expect(done?.[step]).toEqual(expect.any(Number));
    expect(done!.embeddedAt! <= done!.activatedAt!).toBe(true);
    expect(await store.latestOutboxEvent(bankB, id)).toBeNull();
  });

  it('queues a dead-lettered event again by request, with a fresh count of attempts', async () => {
    await setUp();
    const v1 = await store.submitVersion(version('faq', 'h1'));
    const id = v1.document.id;
    expect(await store.retryDeadEvent(bankA, id)).toBeNull();
    const [event] = await store.claimOutboxEvents('worker-a', 1, 60_000);
    await store.failOutboxEvent(event!, 'Milvus unreachable', Date.now());
    const waiting = await store.latestOutboxEvent(bankA, id);
    expect(waiting).toMatchObject({ status: 'pending', attempts: 1, lastError: 'Milvus unreachable' });
    expect(typeof waiting?.nextAttemptAt).toBe('number');
    const [second] = await store.claimOutboxEvents('worker-a', 1, 60_000);
    await store.failOutboxEvent(second!, 'Milvus still unreachable', null);
    expect(await store.latestOutboxEvent(bankA, id)).toMatchObject({ status: 'dead', claimedBy: 'worker-a', lastError: 'Milvus still unreachable' });
    expect(await store.retryDeadEvent(bankB, id)).toBeNull();
    expect(await store.retryDeadEvent(bankA, id)).toMatchObject({ status: 'pending', attempts: 0, lastError: 'Milvus still unreachable' });
    expect((await store.findDocument(bankA, id))?.status).toBe('pending');
    expect((await store.listVersions(bankA, id))[0]).toMatchObject({ status: 'pending', failureReason: null });
    const [again] = await store.claimOutboxEvents('worker-b', 1, 60_000);
    expect(again).toMatchObject({ id: event!.id, attempts: 1 });
    expect(await store.latestOutboxEvent(bankA, id)).toMatchObject({ status: 'processing', claimedBy: 'worker-b' });
    expect(await store.retryDeadEvent(bankA, id)).toBeNull();
  });

  it('keeps embeddings by model and text hash, the first one written winning', async () => {
    await setUp();
    const vector = new Float32Array([0.25, -1.5, 3]);
    await store.saveEmbeddings('model-a@3', [{ textHash: 'h-金卡', vector }, { textHash: 'h-card', vector: new Float32Array([1, 2, 3]) }]);
    await store.saveEmbeddings('model-a@3', [{ textHash: 'h-金卡', vector: new Float32Array([9, 9, 9]) }]);
    const found = await store.cachedEmbeddings('model-a@3', ['h-金卡', 'h-missing']);
    expect([...found.keys()]).toEqual(['h-金卡']);
    expect(Array.from(found.get('h-金卡')!)).toEqual([0.25, -1.5, 3]);
    expect((await store.cachedEmbeddings('model-b@3', ['h-金卡'])).size).toBe(0);
    expect((await store.cachedEmbeddings('model-a@3', [])).size).toBe(0);
  });

  it('appends ledger rows and reads them back per tenant, across a restart', async () => {
    await setUp();
    const entry: LedgerEntry = {
      requestId: 'req-1',
      tenantId: bankA,
      subject: 'teller-1',
      kind: 'chat',
      query: '那金卡呢？',
      rewrittenQuery: '普卡年费？ 那金卡呢？',
      sessionId: 'ses_0123456789abcdef01234567',
      mode: 'hybrid',
      collection: null,
      cacheHit: false,
      degraded: ['vector'],
      hits: [{ chunkId: 'doc@1#0.0', score: 0.5 }],
      answer: '300 元。 [1]',
      citations: [],
      verification: { passed: true, minSupport: 0.5, sentences: [{ sentence: '300 元。', markers: [1], support: 1, verdict: 'supported' }], removed: [], regenerated: false, fallbackUsed: false },
      trace: { cache: 'miss', normalizedQuery: '金卡年费?', stages: [{ stage: 'total', ms: 3 }], stores: [], fused: [], pruned: 0 },
      latencyMs: 3,
      createdAt: 1_700_000_000_000,
    };
    await store.appendLedger([entry]);
    store = await harness.reopen(store);
    expect(await store.findLedgerEntry(bankA, 'req-1')).toEqual(entry);
    expect(await store.findLedgerEntry(bankB, 'req-1')).toBeNull();
    // Replaying a spooled row that did land already (its write timed out client-side) neither fails nor doubles it.
    await store.appendLedger([{ ...entry, answer: 'a replay must not overwrite' }, { ...entry, requestId: 'req-2' }]);
    expect(await store.findLedgerEntry(bankA, 'req-1')).toEqual(entry);
    expect(await store.findLedgerEntry(bankA, 'req-2')).toMatchObject({ requestId: 'req-2' });
  });

  it('keeps sessions per tenant and subject, and returns recent messages oldest first', async () => {
    await setUp();
    const session = await store.createSession(bankA, 'teller-1');
    expect(await store.findSession(bankA, session.id, 'teller-1')).toMatchObject({ id: session.id });
    expect(await store.findSession(bankA, session.id, 'teller-2')).toBeNull();
    expect(await store.findSession(bankB, session.id, 'teller-1')).toBeNull();
    const turn = (role: 'user' | 'assistant', content: string, at: number) => ({ role, content, rewrittenQuery: null, requestId: `r${at}`, createdAt: at });
    await store.appendMessages(bankA, session.id, [turn('user', '金卡年费？', 1), turn('assistant', '300 元。 [1]', 2), turn('user', '那普卡呢？', 3)]);
    expect((await store.recentMessages(bankA, session.id, 2)).map((m) => m.content)).toEqual(['300 元。 [1]', '那普卡呢？']);
    expect(await store.recentMessages(bankB, session.id, 10)).toEqual([]);
  });

  it('reads chunks of superseded versions for replay, within the reader’s scope', async () => {
    await setUp();
    const v1 = await store.submitVersion(version('faq', 'h1', {}, ['tellers']));
    const [e1] = await store.claimOutboxEvents('w', 1, 60_000);
    await store.activateVersion(e1!);
    await store.completeIndexing(e1!);
    await store.submitVersion(version('faq', 'h2', {}, ['tellers']));
    const [e2] = await store.claimOutboxEvents('w', 1, 60_000);
    await store.activateVersion(e2!);
    const oldChunk = (await chunkIdsOf(v1.document.id, 1))[0] as string;
    expect(await store.readableActiveChunks({ tenantId: bankA, groups: ['tellers'] }, [oldChunk])).toEqual([]);
    expect((await store.readableChunks({ tenantId: bankA, groups: ['tellers'] }, [oldChunk])).map((c) => c.text)).toEqual(['first h1']);
    expect(await store.readableChunks({ tenantId: bankA, groups: ['board'] }, [oldChunk])).toEqual([]);
  });

  it('keeps the submitting request’s trace context on its outbox event', async () => {
    await setUp();
    const traceparent = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';
    await store.submitVersion(version('traced', 'h1', { traceContext: traceparent }));
    await store.submitVersion(version('untraced', 'h1'));
    const events = await store.claimOutboxEvents('w', 5, 60_000);
    expect(events.map((event) => event.traceContext)).toEqual([traceparent, null]);
  });

  it('counts waiting and dead outbox events, with the oldest waiting one', async () => {
    await setUp();
    expect(await store.outboxStats()).toEqual({ pending: 0, oldestPendingAt: null, dead: 0 });
    const before = Date.now();
    await store.submitVersion(version('faq', 'h1'));
    await store.submitVersion(version('rates', 'h1'));
    const [event] = await store.claimOutboxEvents('w', 1, 60_000);
    await store.failOutboxEvent(event!, 'embedder down', null);
    const stats = await store.outboxStats();
    expect(stats).toMatchObject({ pending: 1, dead: 1 });
    expect(stats.oldestPendingAt).toBeGreaterThanOrEqual(before);
    const [failed] = await store.failedDocuments(bankA, 10);
    expect(failed).toMatchObject({ externalId: 'faq', version: 1, reason: 'embedder down' });
    expect(await store.failedDocuments(bankB, 10)).toEqual([]);
  });

  it('keeps one verdict per reader and request, lists feedback per tenant, and summarises the ledger', async () => {
    await setUp();
    const at = 1_700_000_000_000;
    const feedback = { tenantId: bankA, requestId: 'req-1', subject: 'teller-1', rating: 'up' as const, comment: null, createdAt: at };
    await store.recordFeedback(feedback);
    await store.recordFeedback({ ...feedback, rating: 'down', comment: '答案没有回答年费问题 (did not answer the fee question)', createdAt: at + 1 });
    await store.recordFeedback({ ...feedback, subject: 'teller-2', createdAt: at + 2 });
    expect((await store.listFeedback(bankA, 10)).map((f) => [f.subject, f.rating])).toEqual([['teller-2', 'up'], ['teller-1', 'down']]);
    expect(await store.listFeedback(bankA, 10, 'down')).toEqual([{ ...feedback, rating: 'down', comment: '答案没有回答年费问题 (did not answer the fee question)', createdAt: at + 1 }]);
    expect(await store.listFeedback(bankB, 10)).toEqual([]);

    const row = (requestId: string, createdAt: number, hits: LedgerEntry['hits']): LedgerEntry => ({
      requestId, tenantId: bankA, subject: 'teller-1', kind: 'search', query: '金卡年费 gold card fee', rewrittenQuery: null, sessionId: null, mode: 'hybrid', collection: null,
      cacheHit: false, degraded: [], hits, answer: null, citations: [], verification: null,
      trace: { cache: 'miss', normalizedQuery: '金卡年费 gold card fee', stages: [], stores: [], fused: [], pruned: 0 }, latencyMs: 12, createdAt,
    });
    await store.appendLedger([row('old', at - 1, []), row('empty', at + 5, []), row('found', at + 6, [{ chunkId: 'd@1#0', score: 0.2 }, { chunkId: 'd@1#1', score: 0.7 }])]);
    const recent = await store.recentLedger(bankA, at, 10);
    expect(recent.map((r) => [r.requestId, r.hitCount, r.topScore])).toEqual([['found', 2, 0.7], ['empty', 0, null]]);
    expect(await store.recentLedger(bankB, 0, 10)).toEqual([]);
  });

  it('writes a version of 2,000 chunks in one submission', async () => {
    await setUp();
    const chunks = Array.from({ length: 2000 }, (_, i) => chunk(`0.${i}`, `paragraph ${i}`));
    const { document } = await store.submitVersion(version('big', 'h1', { outcome: { chunks } }));
    expect(await store.chunksOfVersion(bankA, document.id, 1)).toHaveLength(2000);
  });
});
