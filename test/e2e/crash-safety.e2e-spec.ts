import { testStoreUrls } from '@rag/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, startDeployment, type Deployment } from '../support/deployment.ts';
import { HttpClient } from '../support/http-client.ts';

/** The real stores are required; `E2E_PROFILES=embedded` leaves this file out (test/e2e/vitest.config.mts). */
if (!testStoreUrls()) throw new Error('The crash-safety suite needs the real test servers (scripts/stores/start-test-stores.sh).');

/**
 * Two thousand documents (about 2,600 index events and 4,000 chunks): "a few thousand", as the
 * ingestion issue asks, in about three minutes on two cores. CRASH_TEST_DOCUMENTS sets another size.
 */
const DOCUMENTS = Number(process.env.CRASH_TEST_DOCUMENTS ?? '2000');
const WORKERS = 3;
const MIN_KILLS = 12;
const SUBMIT_CONCURRENCY = 12;
const SETTLE_TIMEOUT_MS = 600_000;

interface Expected {
  readonly externalId: string;
  documentId: string;
  /** The version readers must end up with; null once deleted. */
  latest: number | null;
  deleted: boolean;
}

interface Status {
  status: string;
  activeVersion: number | null;
  latestVersion: number;
  versions: { version: number; status: string }[];
}

interface Reconcile {
  activeChunks: number;
  vector: { held: number; missing: string[]; extra: string[] };
  keyword: { held: number; missing: string[]; extra: string[] };
  pendingEvents: number;
}

/** Two sections, so two chunks; Chinese and English alternate; a token names the document and version. */
function content(i: number, version: number): { title: string; content: string } {
  if (i % 2 === 0) {
    return { title: `存款产品说明 ${i}`, content: `# 存款产品说明 ${i}\n\n## 利率\n\n第${i}号定期存款产品的年利率为 ${(1 + (i % 30) / 10).toFixed(1)}%。标记 crash${i}v${version}。\n\n## 提前支取\n\n提前支取按活期利率计息，编号 ${i}。` };
  }
  return { title: `Card terms ${i}`, content: `# Card terms ${i}\n\n## Fees\n\nCard ${i} has an annual fee of ${i % 500} yuan. Marker crash${i}v${version}.\n\n## Waivers\n\nSix purchases a year waive the fee of card ${i}.` };
}

/** Runs `work` over `items` with at most `limit` at a time. */
async function inParallel<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: limit }, async () => {
    while (next < items.length) await work(items[next++] as T);
  }));
}

/**
 * Item 6 of the ingestion issue: index workers killed with SIGKILL at random moments, many times,
 * while they index a few thousand documents (with updates and deletes) on the real MySQL, Milvus,
 * Elasticsearch and Redis. Afterwards every document is at its latest version exactly once, and the
 * reconcile command finds the indexes equal to SQL's active chunks.
 */
describe('crash safety: workers killed with SIGKILL while indexing on the real stores', () => {
  let deployment: Deployment;
  let http: HttpClient;
  const expected: Expected[] = Array.from({ length: DOCUMENTS }, (_, i) => ({ externalId: `crash-${i}`, documentId: '', latest: 1, deleted: false }));
  let kills = 0;
  let chaos = true;
  const workers: { kill(): Promise<void> }[] = [];

  beforeAll(async () => {
    // A short lease, so that events a killed worker held are claimed again within seconds.
    // Thousands of calls a minute from one key: far over the default rate limits, which are not under test here.
    const limits = { RATE_LIMIT_PER_KEY_PER_MINUTE: '1000000', RATE_LIMIT_PER_TENANT_PER_MINUTE: '1000000' };
    deployment = await startDeployment('full', { ...limits, WORKER_LEASE_MS: '4000', WORKER_BATCH_SIZE: '16', LOG_LEVEL: 'error' }, 0);
    http = new HttpClient(deployment.gatewayUrl, deployment.ingestUrl, deployment.adminKey);
    const startWorker = deployment.startWorker as () => Promise<{ kill(): Promise<void> }>;
    workers.push(...(await Promise.all(Array.from({ length: WORKERS }, startWorker))));
  }, 180_000);

  afterAll(async () => {
    chaos = false;
    await deployment?.stop();
  });

  /** Kills a random worker at a random moment and starts another in its place, until told to stop. */
  async function killWorkersAtRandom(): Promise<void> {
    const startWorker = deployment.startWorker as () => Promise<{ kill(): Promise<void> }>;
    while (chaos) {
      await new Promise((r) => setTimeout(r, 300 + Math.random() * 1_200));
      const victim = workers.splice(Math.floor(Math.random() * workers.length), 1)[0];
      if (!victim) continue;
      await victim.kill();
      kills++;
      workers.push(await startWorker());
    }
  }

  async function submit(doc: Expected, i: number, version: number): Promise<void> {
    const { status, body } = await http.post<{ documentId: string; version: number }>('/v1/documents', { collection: 'crash', externalId: doc.externalId, contentType: 'text/markdown', ...content(i, version) });
    expect(status).toBe(202);
    expect(body.version).toBe(version);
    doc.documentId = body.documentId;
  }

  /**
   * The documents of `docs` not yet at their expected state. Once all are submitted, a settled
   * document stays settled, so each pass need only look at those the last one left; asking about
   * all of them every second would load the services as much as the workers' own work does.
   */
  async function unsettled(docs: readonly Expected[]): Promise<Expected[]> {
    const pending: Expected[] = [];
    await inParallel(docs, 24, async (doc) => {
      const { status, body } = await http.get<Status>(`/v1/documents/${doc.documentId}`);
      expect(status, JSON.stringify(body)).toBe(200);
      const settled = doc.deleted ? body.status === 'deleted' : body.status === 'indexed' && body.activeVersion === doc.latest;
      if (!settled) pending.push(doc);
    });
    return pending;
  }

  it('indexes every document exactly once at its latest version, and reconcile finds no difference', async () => {
    const started = performance.now();
    const chaosDone = killWorkersAtRandom();
    await inParallel([...expected.keys()], SUBMIT_CONCURRENCY, (i) => submit(expected[i] as Expected, i, 1));
    // Every fifth document gets a second version, every fifteenth a third; every fiftieth is deleted.
    const updated = [...expected.keys()].filter((i) => i % 5 === 0);
    await inParallel(updated, SUBMIT_CONCURRENCY, async (i) => {
      const doc = expected[i] as Expected;
      await submit(doc, i, 2);
      doc.latest = 2;
      if (i % 15 === 0) {
        await submit(doc, i, 3);
        doc.latest = 3;
      }
    });
    await inParallel([...expected.keys()].filter((i) => i % 50 === 1), SUBMIT_CONCURRENCY, async (i) => {
      const doc = expected[i] as Expected;
      expect((await http.delete(`/v1/documents/${doc.documentId}`)).status).toBe(202);
      doc.deleted = true;
      doc.latest = null;
    });
    const submittedMs = performance.now() - started;

    // Keep killing until enough kills happened while there was work, then let the workers finish.
    while (kills < MIN_KILLS) await new Promise((r) => setTimeout(r, 200));
    chaos = false;
    await chaosDone;
    let pending = await unsettled(expected);
    const deadline = Date.now() + SETTLE_TIMEOUT_MS;
    while (pending.length > 0 && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 1_000));
      pending = await unsettled(pending);
    }
    const settledMs = performance.now() - started;
    console.log(JSON.stringify({ crashTest: { documents: DOCUMENTS, kills, submittedMs: Math.round(submittedMs), settledMs: Math.round(settledMs) } }));
    expect(pending.map((doc) => doc.externalId)).toEqual([]);
    expect(kills).toBeGreaterThanOrEqual(MIN_KILLS);

    // Each live document reads indexed at its latest version; each older version superseded.
    const sample = expected.filter((_, i) => i % 15 === 0 || i % 50 === 1);
    await inParallel(sample, 12, async (doc) => {
      const { body } = await http.get<Status>(`/v1/documents/${doc.documentId}`);
      if (doc.deleted) return expect(body.status).toBe('deleted');
      expect(body.versions.map((v) => [v.version, v.status])).toEqual(Array.from({ length: doc.latest as number }, (_, k) => [(doc.latest as number) - k, k === 0 ? 'indexed' : 'superseded']));
    });

    // The indexes hold exactly SQL's active chunks: nothing missing, no old version or deleted document left.
    const live = expected.filter((doc) => !doc.deleted).length;
    const result = await runCli('reconcile', ['--json'], deployment.storeEnv ?? {});
    expect(result.code, result.output).toBe(0);
    const report = JSON.parse(result.output.trim().split('\n').at(-1) ?? '{}') as Reconcile;
    expect(report).toMatchObject({ activeChunks: live * 2, pendingEvents: 0, vector: { held: live * 2, missing: [], extra: [] }, keyword: { held: live * 2, missing: [], extra: [] } });
  }, 1_200_000);

  it('finds an updated document at its latest version only, and a deleted one not at all', async () => {
    const search = async (query: string) => (await http.post<{ hits: { documentId: string; version: number }[] }>('/v1/search', { query, mode: 'keyword', collection: 'crash', topK: 10 })).body.hits;
    const thrice = expected[15] as Expected;
    expect((await search('crash15v3')).map((hit) => [hit.documentId, hit.version])).toEqual([[thrice.documentId, 3]]);
    expect(await search('crash15v1')).toEqual([]);
    expect(await search('crash51v1')).toEqual([]);
  });
});
