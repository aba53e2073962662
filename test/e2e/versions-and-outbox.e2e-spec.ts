import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, startDeployment, type Deployment, type ProfileName } from '../support/deployment.ts';
import { HttpClient } from '../support/http-client.ts';

/** The suite runs once per profile; the full one needs the real test servers. */
const PROFILES: ProfileName[] = process.env.E2E_PROFILES ? (process.env.E2E_PROFILES.split(',') as ProfileName[]) : ['embedded', 'full'];

interface LatestEvent {
  kind: string;
  version: number;
  status: string;
  attempts: number;
  claimedBy: string | null;
  lastError: string | null;
  queuedAt: number;
  claimedAt: number | null;
  embeddedAt: number | null;
  indexedAt: number | null;
  activatedAt: number | null;
  completedAt: number | null;
  chunksEmbedded: number | null;
  chunksReused: number | null;
  chunksWritten: number | null;
  chunksUnchanged: number | null;
}
interface Status {
  status: string;
  activeVersion: number | null;
  latestVersion: number;
  versions: { version: number; status: string; failureReason: string | null }[];
  latestEvent: LatestEvent | null;
}
interface Hit {
  chunkId: string;
  documentId: string;
  version: number;
  text: string;
}

function policy(fee: string): string {
  return [
    '# 信用卡章程 Card rules',
    '## 年费 Annual fee',
    `金卡年费为 ${fee}。The gold card fee is ${fee}.`,
    '## 积分 Points',
    '每消费一元积一分。One point per yuan spent.',
    '## 挂失 Lost cards',
    '挂失后旧卡立即停用。A reported card stops working at once.',
  ].join('\n\n');
}

async function until<T>(what: string, read: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}; last seen: ${JSON.stringify(value)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** The tests poll document status every 50 ms, which the default per-key rate limit would refuse. */
const UNLIMITED = { RATE_LIMIT_PER_KEY_PER_MINUTE: '1000000', RATE_LIMIT_PER_TENANT_PER_MINUTE: '1000000' };

describe.each(PROFILES)('versions, outbox steps and deletes on profile %s', (profile) => {
  let deployment: Deployment;
  let http: HttpClient;

  beforeAll(async () => {
    deployment = await startDeployment(profile, UNLIMITED);
    http = new HttpClient(deployment.gatewayUrl, deployment.ingestUrl, deployment.adminKey);
  });

  afterAll(async () => {
    await deployment?.stop();
  });

  const status = async (id: string) => (await http.get<Status>(`/v1/documents/${id}`)).body;
  const indexedAt = (id: string, version: number) => until(`version ${version} of ${id}`, () => status(id), (s) => s.status === 'indexed' && s.activeVersion === version);
  const search = async (query: string, mode = 'keyword') => (await http.post<{ hits: Hit[] }>('/v1/search', { query, mode, collection: 'versions', topK: 20 })).body.hits;

  async function submit(externalId: string, content: string): Promise<{ documentId: string; version: number }> {
    const { status: code, body } = await http.post<{ documentId: string; version: number }>('/v1/documents', { collection: 'versions', externalId, title: '信用卡章程 Card rules', contentType: 'text/markdown', content });
    expect(code).toBe(202);
    return body;
  }

  it('embeds and writes only the changed chunk of a new version, shows every step of the work, and serves the new text alone', async () => {
    const v1 = await submit('card-rules', policy('300 元 (300 yuan)'));
    const first = await indexedAt(v1.documentId, 1);
    expect(first.latestEvent).toMatchObject({ kind: 'index_version', version: 1, status: 'done', attempts: 1, lastError: null, chunksEmbedded: 3, chunksReused: 0 });
    expect(first.latestEvent?.claimedBy).toMatch(/^worker-/);

    const v2 = await submit('card-rules', policy('200 元 (200 yuan)'));
    expect(v2).toMatchObject({ documentId: v1.documentId, version: 2 });
    const second = await indexedAt(v1.documentId, 2);
    const event = second.latestEvent as LatestEvent;
    expect(event).toMatchObject({ version: 2, status: 'done', attempts: 1, chunksEmbedded: 1, chunksReused: 0, chunksWritten: 1, chunksUnchanged: 2 });
    const steps = [event.queuedAt, event.claimedAt, event.embeddedAt, event.indexedAt, event.activatedAt, event.completedAt];
    expect(steps.every((time) => typeof time === 'number')).toBe(true);
    expect([...steps].sort((a, b) => (a as number) - (b as number))).toEqual(steps);
    expect(second.versions.map((v) => [v.version, v.status])).toEqual([[2, 'indexed'], [1, 'superseded']]);

    const mine = (hits: Hit[]) => hits.filter((hit) => hit.documentId === v1.documentId);
    expect(mine(await search('200')).map((hit) => hit.version)).toEqual([2]);
    expect(mine(await search('300'))).toEqual([]);
    expect(mine(await search('挂失 停用')).map((hit) => hit.version)).toEqual([2]);
  });

  it('rewrites only the changed paragraph of a Chinese document; its old text is never found once the update reads indexed', async () => {
    const rules = (limit: string) =>
      [
        '# 个人存款业务规则',
        '## 开户',
        '开立个人存款账户须出示本人有效身份证件，代理他人开户须同时出示代理人身份证件。',
        '## 取款限额',
        `单日柜面取现超过${limit}须提前一天预约，未预约的按实际库存办理。`,
        '## 挂失',
        '存单遗失应立即凭身份证件办理书面挂失，挂失七日后可补领新存单。',
      ].join('\n\n');
    const v1 = await submit('deposit-rules', rules('五万元'));
    await indexedAt(v1.documentId, 1);
    const [unchangedBefore] = (await search('存单遗失 书面挂失')).filter((hit) => hit.documentId === v1.documentId);
    expect(unchangedBefore?.version).toBe(1);

    await submit('deposit-rules', rules('二十万元'));
    const updated = await indexedAt(v1.documentId, 2);
    expect(updated.latestEvent).toMatchObject({ version: 2, chunksWritten: 1, chunksUnchanged: 2, chunksEmbedded: 1 });
    // From the moment it reads indexed, the old limit is gone from every mode and the new one is there.
    for (const mode of ['keyword', 'hybrid', 'vector']) {
      const old = (await search('五万元 预约', mode)).filter((hit) => hit.documentId === v1.documentId);
      expect(old.filter((hit) => hit.text.includes('五万元')), mode).toEqual([]);
      expect(old.every((hit) => hit.version === 2), mode).toBe(true);
    }
    const fresh = (await search('二十万元 预约')).filter((hit) => hit.documentId === v1.documentId);
    expect(fresh.map((hit) => [hit.version, hit.text.includes('二十万元')])[0]).toEqual([2, true]);
    // The unchanged paragraph is the same chunk as before, now served as version 2.
    const [unchangedAfter] = (await search('存单遗失 书面挂失')).filter((hit) => hit.documentId === v1.documentId);
    expect([unchangedAfter?.chunkId, unchangedAfter?.version]).toEqual([unchangedBefore?.chunkId, 2]);
  });

  it('widens a chunk to its section and neighbours, all of the active version', async () => {
    const { documentId } = await submit('widen', policy('80 元 (80 yuan)'));
    await indexedAt(documentId, 1);
    const [hit] = (await search('One point per yuan')).filter((h) => h.documentId === documentId);
    const { status: code, body } = await http.get<{ chunkId: string; context: { sectionNodeId: string; sectionPath: string[]; section: { chunkId: string }[]; previous: { text: string } | null; next: { text: string } | null } }>(`/v1/chunks/${encodeURIComponent(hit?.chunkId ?? '')}`);
    expect(code).toBe(200);
    expect(body.context.sectionNodeId).toBe('0.1');
    expect(body.context.sectionPath).toEqual(['信用卡章程 Card rules', '积分 Points']);
    expect(body.context.section.map((ref) => ref.chunkId)).toEqual([hit?.chunkId]);
    expect(body.context.previous?.text).toContain('80 yuan');
    expect(body.context.next?.text).toContain('A reported card stops working');
  });

  it('never shows a reader two versions of a document at once, nor none of it, while it is rewritten', async () => {
    const marker = 'steadymarker 恒定标记';
    const content = (n: number) => `# 存款 Deposits\n\n## 利率 Rate\n\n${marker} rate version ${n} 第${n}版。\n\n## 期限 Term\n\n${marker} term version ${n} 第${n}版。`;
    const { documentId } = await submit('rewritten', content(1));
    await indexedAt(documentId, 1);
    let writing = true;
    const seen: number[][] = [];
    const reader = (async () => {
      while (writing) {
        for (const mode of ['keyword', 'hybrid']) {
          const versions = (await search(marker, mode)).filter((hit) => hit.documentId === documentId).map((hit) => hit.version);
          seen.push([...new Set(versions)]);
          // Between versions the document never vanishes: every answer holds it at exactly one version.
          expect(new Set(versions).size, `versions seen together: ${versions.join(', ')}`).toBe(1);
        }
      }
    })();
    for (let version = 2; version <= 6; version++) {
      await submit('rewritten', content(version));
      await new Promise((r) => setTimeout(r, 150));
    }
    await indexedAt(documentId, 6);
    writing = false;
    await reader;
    expect(seen.length).toBeGreaterThan(10);
    expect(seen.at(-1)).toEqual([6]);
  });

  it('removes every chunk of a deleted document from both indexes, as reconcile confirms', async () => {
    const { documentId } = await submit('to-delete', policy('100 元 (100 yuan)'));
    await indexedAt(documentId, 1);
    await submit('to-delete', policy('150 元 (150 yuan)'));
    await indexedAt(documentId, 2);
    expect((await http.delete(`/v1/documents/${documentId}`)).status).toBe(202);
    await until('the delete', () => status(documentId), (s) => s.status === 'deleted');
    expect((await status(documentId)).latestEvent).toMatchObject({ kind: 'delete_document', status: 'done' });
    expect((await search('150 yuan')).filter((hit) => hit.documentId === documentId)).toEqual([]);

    const result = await runCli('reconcile', ['--json'], deployment.storeEnv ?? {});
    expect(result.code, result.output).toBe(0);
    const report = JSON.parse(result.output.trim().split('\n').at(-1) ?? '{}') as { activeChunks: number; vector: { held: number; extra: string[] }; keyword: { held: number; extra: string[] } };
    expect(report.vector.extra.filter((id) => id.startsWith(documentId))).toEqual([]);
    expect(report.keyword.extra.filter((id) => id.startsWith(documentId))).toEqual([]);
    expect(report.vector.held).toBe(report.activeChunks);
    expect(report.keyword.held).toBe(report.activeChunks);
  });

  it('answers a retry of a document without a dead event with 409, and of an unknown one with 404', async () => {
    const { documentId } = await submit('healthy', policy('50 元 (50 yuan)'));
    await indexedAt(documentId, 1);
    const conflict = await http.post<{ error: { code: string; message: string } }>(`/v1/documents/${documentId}/retry`, {});
    expect(conflict.status).toBe(409);
    expect(conflict.body.error.message).toContain('has no dead-lettered event to retry; its latest event is done');
    expect((await http.post(`/v1/documents/doc_nosuchdocument/retry`, {})).status).toBe(404);
  });
});

/**
 * These tests change the deployment's own Elasticsearch index behind the service's back, which only
 * the full profile has: a lost and a stray chunk for reconcile, blocked writes for a dead letter
 * (the worker gives up after one attempt).
 */
describe.each(PROFILES.filter((profile) => profile === 'full'))('repairs and dead letters after a store misbehaved, on profile %s', (profile) => {
  let deployment: Deployment;
  let http: HttpClient;

  beforeAll(async () => {
    deployment = await startDeployment(profile, { ...UNLIMITED, WORKER_MAX_ATTEMPTS: '1' });
    http = new HttpClient(deployment.gatewayUrl, deployment.ingestUrl, deployment.adminKey);
  });

  afterAll(async () => {
    await deployment?.stop();
  });

  async function blockWrites(blocked: boolean): Promise<void> {
    const env = deployment.storeEnv ?? {};
    const response = await fetch(`${env.ELASTICSEARCH_URL}/${env.ELASTICSEARCH_INDEX}/_settings`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ 'index.blocks.write': blocked }) });
    expect(response.ok, await response.text()).toBe(true);
  }

  it('reconcile names a chunk lost from Elasticsearch and a stray one, exits 1, and --repair fixes both', async () => {
    const env = deployment.storeEnv ?? {};
    const { body } = await http.post<{ documentId: string }>('/v1/documents', { collection: 'repair', externalId: 'repaired', title: '年费 Fees', content: '金卡年费为 300 元。The gold card fee is 300 yuan.' });
    await until('indexing', async () => (await http.get<Status>(`/v1/documents/${body.documentId}`)).body, (s) => s.status === 'indexed');
    const [hit] = (await http.post<{ hits: Hit[] }>('/v1/search', { query: '金卡年费', mode: 'keyword', collection: 'repair' })).body.hits;
    const lost = hit?.chunkId ?? 'no chunk found';
    expect(hit?.documentId).toBe(body.documentId);
    const es = (path: string, init: RequestInit) => fetch(`${env.ELASTICSEARCH_URL}/${env.ELASTICSEARCH_INDEX}/${path}`, { ...init, headers: { 'content-type': 'application/json' } });
    expect((await es(`_doc/${encodeURIComponent(lost)}?refresh=true`, { method: 'DELETE' })).ok).toBe(true);
    const stray = { chunk_id: 'doc_stray@1#0.0', tenant_id: 'default', collection: 'repair', document_id: 'doc_stray', version: 1, acl_groups: ['everyone'], terms: 'stray', title: '', section_path: [], text: 'stray' };
    expect((await es(`_doc/${encodeURIComponent(stray.chunk_id)}?refresh=true`, { method: 'PUT', body: JSON.stringify(stray) })).ok).toBe(true);

    const found = await runCli('reconcile', [], env);
    expect(found.code, found.output).toBe(1);
    expect(found.output).toContain(`keyword index: holds`);
    expect(found.output).toContain(`missing 1 (${lost})`);
    expect(found.output).toContain('extra 1 (doc_stray@1#0.0)');
    const repaired = await runCli('reconcile', ['--repair'], env);
    expect(repaired.code, repaired.output).toBe(0);
    expect(repaired.output).toMatch(/After repair:[\s\S]*No differences\./);
    expect((await runCli('reconcile', [], env)).code).toBe(0);
    // Each run of the command opens all four stores; on a busy machine that takes a while.
  }, 240_000);

  it('shows a dead-lettered event with its reason, and indexes the document once it is retried by API', async () => {
    await blockWrites(true);
    const { body } = await http.post<{ documentId: string }>('/v1/documents', { collection: 'dead', externalId: 'blocked', title: '挂失规则 Lost cards', content: '挂失后旧卡立即停用。A reported card stops working at once.' });
    const failed = await until('the dead letter', async () => (await http.get<Status>(`/v1/documents/${body.documentId}`)).body, (s) => s.status === 'failed');
    expect(failed.latestEvent).toMatchObject({ status: 'dead', attempts: 1, indexedAt: null, activatedAt: null, completedAt: null });
    expect(failed.latestEvent?.lastError).toMatch(/Elasticsearch upsert failed.*blocked/);
    expect(failed.versions[0]).toMatchObject({ version: 1, status: 'failed' });

    await blockWrites(false);
    const retried = await http.post<{ documentId: string; event: LatestEvent }>(`/v1/documents/${body.documentId}/retry`, {});
    expect(retried.status).toBe(202);
    expect(retried.body.event).toMatchObject({ status: 'pending', attempts: 0 });
    const indexed = await until('the retried event', async () => (await http.get<Status>(`/v1/documents/${body.documentId}`)).body, (s) => s.status === 'indexed');
    expect(indexed.latestEvent).toMatchObject({ status: 'done', attempts: 1 });
    expect(typeof indexed.latestEvent?.completedAt).toBe('number');
    expect(indexed.activeVersion).toBe(1);
    const hits = (await http.post<{ hits: Hit[] }>('/v1/search', { query: '挂失', mode: 'keyword', collection: 'dead' })).body.hits;
    expect(hits.map((hit) => hit.documentId)).toEqual([body.documentId]);
  });
});
