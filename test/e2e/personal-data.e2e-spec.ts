import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDeployment, type Deployment, type ProfileName } from '../support/deployment.ts';
import { HttpClient } from '../support/http-client.ts';

/** Fictional but valid: the ID passes its GB 11643 check digit, the card its Luhn check. */
const RESIDENT_ID = '11010519491231002X';
const CARD = '6222020012345671';
const MOBILE = '13800138000';
const EMAIL = 'zhang.san@example.com';
const FIXTURES = [RESIDENT_ID, CARD, MOBILE, EMAIL];
const PROFILES: ProfileName[] = process.env.E2E_PROFILES ? (process.env.E2E_PROFILES.split(',') as ProfileName[]) : ['embedded', 'full'];

describe.each(PROFILES)('personal data in queries never reaches logs, traces, the ledger or sessions, profile %s', (profile) => {
  let service: Deployment;
  let http: HttpClient;

  beforeAll(async () => {
    service = await startDeployment(profile, { LOG_LEVEL: 'debug' });
    http = new HttpClient(service.gatewayUrl, service.ingestUrl, service.adminKey);
    const content = '# 挂失\n\n## 电话挂失\n\n信用卡丢失后请立即拨打 400-820-6688 挂失，并准备好身份证件。';
    const { body } = await http.post<{ documentId: string }>('/v1/documents', { externalId: 'lost-card', title: '挂失', content, contentType: 'text/markdown' });
    for (let i = 0; i < 100 && (await http.get<{ status: string }>(`/v1/documents/${body.documentId}`)).body.status !== 'indexed'; i++) await new Promise((r) => setTimeout(r, 50));
  });

  afterAll(async () => {
    await service?.stop();
  });

  it('masks them everywhere the request is kept or shown', async () => {
    const question = `我的卡号 ${CARD} 丢了，身份证 ${RESIDENT_ID}，手机 ${MOBILE}，邮箱 ${EMAIL}，怎么挂失？`;
    const chat = await http.post<{ requestId: string; sessionId: string; answer: string; trace: unknown }>('/v1/chat', { query: question });
    expect(chat.status).toBe(200);
    const followUp = await http.post<{ requestId: string; trace: unknown }>('/v1/chat', { query: `那 ${MOBILE} 呢？`, sessionId: chat.body.sessionId });
    const search = await http.post<{ requestId: string; trace: unknown }>('/v1/search', { query: `卡号${CARD}挂失` });
    const stream = await http.stream('/v1/chat', { query: `身份证${RESIDENT_ID}挂失`, stream: true });
    const invalid = await http.post('/v1/search', { query: `卡号 ${CARD}`, mode: EMAIL });
    expect(invalid.status).toBe(400);

    const kept = [
      JSON.stringify(chat.body.trace),
      JSON.stringify(followUp.body.trace),
      JSON.stringify(search.body.trace),
      JSON.stringify(stream.events.at(-1)?.data),
      JSON.stringify((await http.get(`/v1/ledger/${chat.body.requestId}`)).body),
      JSON.stringify((await http.get(`/v1/ledger/${followUp.body.requestId}`)).body),
      JSON.stringify((await http.get(`/v1/ledger/${search.body.requestId}`)).body),
      JSON.stringify(invalid.body),
    ];
    await new Promise((r) => setTimeout(r, 200));
    kept.push(service.output());
    for (const value of FIXTURES) for (const place of kept) expect(place).not.toContain(value);
    const ledger = (await http.get<{ query: string }>(`/v1/ledger/${chat.body.requestId}`)).body;
    expect(ledger.query).toContain('****');
    expect(ledger.query).toContain('怎么挂失');
  });
});
