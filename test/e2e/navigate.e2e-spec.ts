import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDeployment, type Deployment, type ProfileName } from '../support/deployment.ts';
import { HttpClient } from '../support/http-client.ts';
import { chineseRulebook, englishManual, SHORT_FAQ } from '../support/long-documents.ts';

interface Hit {
  chunkId: string;
  documentId: string;
  version: number;
  sectionPath: string[];
  text: string;
}
interface Decision {
  documentId: string;
  level: number;
  nodeId: string;
  scorer: string;
  kept: { nodeId: string; heading: string; score: number; reason: string }[];
}
interface Navigation {
  start: string;
  documents: { documentId: string; version: number; cached: boolean }[];
  decisions: Decision[];
  collected: string[];
  modelCalls: number;
  stoppedBy: string | null;
}
interface Trace {
  cache: string;
  navigation?: Navigation;
  route?: { chosen: string; reason: string; signals: Record<string, number> };
}
interface SearchBody {
  requestId: string;
  hits: Hit[];
  trace: Trace;
  notice?: string;
}
interface ErrorBody {
  error: { code: string; message: string };
}

const PROFILES: ProfileName[] = process.env.E2E_PROFILES ? (process.env.E2E_PROFILES.split(',') as ProfileName[]) : ['embedded', 'full'];
const COLLECTION = 'handbooks';

describe.each(PROFILES)('navigate and auto on long documents, profile %s', (profile) => {
  let service: Deployment;
  let http: HttpClient;
  const ids: Record<'rulebook' | 'manual' | 'faq', string> = { rulebook: '', manual: '', faq: '' };

  async function submit(externalId: string, title: string, content: string): Promise<string> {
    const { status, body } = await http.post<{ documentId: string }>('/v1/documents', { collection: COLLECTION, externalId, title, content, contentType: 'text/markdown' });
    expect(status).toBe(202);
    return body.documentId;
  }

  async function indexed(documentId: string, version = 1): Promise<void> {
    for (let attempt = 0; attempt < 300; attempt++) {
      const { body } = await http.get<{ status: string; activeVersion: number | null }>(`/v1/documents/${documentId}`);
      if (body.status === 'indexed' && body.activeVersion === version) return;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`Document ${documentId} version ${version} was never indexed`);
  }

  async function search(query: string, extra: Record<string, unknown>): Promise<SearchBody> {
    const { status, body } = await http.post<SearchBody>('/v1/search', { query, collection: COLLECTION, ...extra });
    expect(status).toBe(200);
    return body;
  }

  beforeAll(async () => {
    // Our long documents have a few dozen chunks; real ones have hundreds.
    service = await startDeployment(profile, { AUTO_LONG_DOCUMENT_CHUNKS: '12' });
    http = new HttpClient(service.gatewayUrl, service.ingestUrl, service.adminKey);
    ids.rulebook = await submit('rulebook.md', '蓝汀银行个人信贷业务管理办法', chineseRulebook());
    ids.manual = await submit('manual.md', 'Blue Harbour Bank Operations Manual', englishManual());
    ids.faq = await submit('faq.md', 'Savings FAQ', SHORT_FAQ);
    for (const id of Object.values(ids)) await indexed(id);
  });

  afterAll(async () => {
    await service?.stop();
  });

  it('walks the Chinese rulebook down to the early-repayment section, with every decision and its reason in the trace and the ledger', async () => {
    const body = await search('提前还住房贷款要付多少违约金？', { mode: 'navigate', topK: 3 });
    expect(body.hits[0]?.sectionPath).toEqual(['蓝汀银行个人信贷业务管理办法', '第三章 个人住房贷款', '第二节 提前还款']);
    expect(body.hits[0]?.text).toContain('提前还款本金的百分之一');
    const navigation = body.trace.navigation!;
    expect(navigation).toMatchObject({ start: 'hybrid', modelCalls: 0, stoppedBy: null });
    const top = navigation.decisions.find((d) => d.documentId === ids.rulebook && d.level === 1)!;
    expect(top.scorer).toBe('lexical');
    expect(top.kept[0]).toMatchObject({ heading: '第三章 个人住房贷款', score: 1 });
    expect(top.kept[0]!.reason).toMatch(/heading has|best paragraph/);
    expect(navigation.collected.some((id) => id.startsWith(`${ids.rulebook}@1#`))).toBe(true);
    expect(body.notice).toBeUndefined();

    const ledger = await http.get<{ mode: string; trace: Trace }>(`/v1/ledger/${body.requestId}`);
    expect(ledger.status).toBe(200);
    expect(ledger.body.mode).toBe('navigate');
    expect(ledger.body.trace.navigation?.decisions).toEqual(navigation.decisions);
  });

  it('walks the English manual to the early-repayment section', async () => {
    const body = await search('What fee is charged when a mortgage is repaid early?', { mode: 'navigate', topK: 3 });
    expect(body.hits[0]?.sectionPath).toEqual(['Blue Harbour Bank Operations Manual', 'Lending', 'Early repayment']);
    expect(body.hits[0]?.text).toContain('one percent of the amount repaid');
    const top = body.trace.navigation!.decisions.find((d) => d.documentId === ids.manual && d.level === 1)!;
    expect(top.kept[0]?.heading).toBe('Lending');
  });

  it('starts from the documents a request names, and answers 404 naming the field for one it cannot read', async () => {
    const body = await search('分期手续费', { mode: 'navigate', topK: 5, navigation: { documentIds: [ids.rulebook] } });
    expect(body.trace.navigation?.start).toBe('request');
    expect(body.hits.length).toBeGreaterThan(0);
    expect(body.hits.every((hit) => hit.documentId === ids.rulebook)).toBe(true);
    expect(body.hits[0]?.sectionPath).toContain('第一节 分期手续费');

    const missing = await http.post<ErrorBody>('/v1/search', { query: '分期', mode: 'navigate', navigation: { documentIds: ['doc_does_not_exist'] } });
    expect(missing.status).toBe(404);
    expect(missing.body.error.message).toMatch(/navigation\.documentIds: no indexed document "doc_does_not_exist"/);
  });

  it('refuses a budget above the configured one, naming the field and the setting', async () => {
    const over = await http.post<ErrorBody>('/v1/search', { query: '分期', mode: 'navigate', navigation: { maxMs: 10_000_000 } });
    expect(over.status).toBe(400);
    expect(over.body.error.message).toMatch(/navigation\.maxMs: must be at most \d+ \(NAVIGATE_MAX_MS\)/);
    const negative = await http.post<ErrorBody>('/v1/search', { query: '分期', mode: 'navigate', navigation: { maxModelCalls: -1 } });
    expect(negative.status).toBe(400);
    expect(negative.body.error.message).toMatch(/navigation\.maxModelCalls/);
  });

  it('routes auto to navigate for the long rulebook and to hybrid for the short FAQ, saying why', async () => {
    const long = await search('信用卡账单分期的手续费率和提前还住房贷款的违约金分别是多少？', { mode: 'auto', topK: 5 });
    expect(long.trace.route).toMatchObject({ chosen: 'navigate' });
    expect(long.trace.route!.reason).toMatch(/long \(\d+ chunks\)/);
    expect(long.trace.navigation?.decisions.length).toBeGreaterThan(0);
    const sections = new Set(long.hits.map((hit) => hit.sectionPath.at(-1)));
    expect(sections).toContain('第二节 提前还款');
    expect(sections).toContain('第一节 分期手续费');

    const short = await search('How many free withdrawals are allowed each month?', { mode: 'auto', topK: 3 });
    expect(short.trace.route).toMatchObject({ chosen: 'hybrid' });
    expect(short.trace.route!.reason).toMatch(/chunks/);
    expect(short.trace.navigation).toBeUndefined();
    expect(short.hits[0]?.text).toContain('three free withdrawals');
  });

  it('reuses a walk per document version and question, and walks again once the document changes', async () => {
    const question = '住房贷款抵押登记';
    const first = await search(question, { mode: 'navigate', topK: 2, navigation: { documentIds: [ids.rulebook] } });
    expect(first.trace.navigation?.documents).toEqual([expect.objectContaining({ documentId: ids.rulebook, version: 1, cached: false })]);
    // Another topK misses the answer cache, but the walk of this version and question is kept.
    const second = await search(question, { mode: 'navigate', topK: 3, navigation: { documentIds: [ids.rulebook] } });
    expect(second.trace.cache).toBe('miss');
    expect(second.trace.navigation?.documents[0]?.cached).toBe(true);

    await submit('rulebook.md', '蓝汀银行个人信贷业务管理办法', chineseRulebook(2));
    await indexed(ids.rulebook, 2);
    const after = await search(question, { mode: 'navigate', topK: 4, navigation: { documentIds: [ids.rulebook] } });
    expect(after.trace.navigation?.documents).toEqual([expect.objectContaining({ version: 2, cached: false })]);
    expect(after.hits.every((hit) => hit.version === 2)).toBe(true);
  });

  it('answers a chat from the sections the walk chose, citing them', async () => {
    const { status, body } = await http.post<{ answer: string; citations: { chunkId: string; sectionPath: string[] }[]; trace: Trace }>('/v1/chat', {
      query: '信用卡账单分期的手续费率是多少？',
      collection: COLLECTION,
      mode: 'navigate',
    });
    expect(status).toBe(200);
    expect(body.trace.navigation?.decisions.length).toBeGreaterThan(0);
    expect(body.answer).toContain('百分之零点六');
    expect(body.citations[0]?.sectionPath).toContain('第五章 信用卡分期');
  });

  it('describes the navigation request fields in the OpenAPI document', async () => {
    const docs = (await (await fetch(`${service.gatewayUrl}/docs`)).json()) as { paths: Record<string, { post: { requestBody: { content: Record<string, { schema: { properties: Record<string, { enum?: string[]; properties?: Record<string, unknown> }> } }> } } }> };
    const schema = docs.paths['/v1/search']!.post.requestBody.content['application/json']!.schema;
    expect(schema.properties.mode?.enum).toEqual(expect.arrayContaining(['navigate', 'auto']));
    expect(Object.keys(schema.properties.navigation?.properties ?? {}).sort()).toEqual(['documentIds', 'maxModelCalls', 'maxMs', 'maxTokens']);
  });
});
