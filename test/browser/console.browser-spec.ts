import { copyFileSync, existsSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Deployment, startDeployment } from '../support/deployment.ts';
import { HttpClient } from '../support/http-client.ts';

const ROOT = resolve(import.meta.dirname, '../..');
const SHOTS = join(ROOT, 'test-results/console');
/** Debian's Chromium, installed by scripts/browser/install-chromium.sh. */
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

const DOCUMENTS = [
  { externalId: 'fees.md', title: '信用卡年费规则', content: '# 信用卡年费规则\n\n## 金卡\n\n金卡持卡人在一个年费年度内刷卡消费满 6 次，即可免收次年年费。\n\n## 普卡\n\n普卡首年免年费。' },
  { externalId: 'otp.md', title: 'One-time codes', content: '# One-time codes\n\n## Validity\n\nA text message one-time code is valid for five minutes and can be used once.' },
];

describe('operations console in a real browser', () => {
  let deployment: Deployment;
  let client: HttpClient;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    if (!existsSync(CHROMIUM)) throw new Error(`No Chromium at ${CHROMIUM}: run scripts/browser/install-chromium.sh or set CHROMIUM_PATH.`);
    deployment = await startDeployment('embedded');
    client = new HttpClient(deployment.gatewayUrl, deployment.ingestUrl, deployment.adminKey);
    for (const doc of DOCUMENTS) {
      const { body } = await client.post<{ documentId: string }>('/v1/documents', { collection: 'faq', contentType: 'text/markdown', acl: { groups: [] }, ...doc });
      await waitUntil(async () => (await client.get<{ status: string }>(`/v1/documents/${body.documentId}`)).body.status === 'indexed');
    }
    // A page with no text: it is kept as a failed version, which the console lists.
    await client.post('/v1/documents', { collection: 'faq', externalId: 'empty.html', title: 'Empty page', content: '<html><body><script>1</script></body></html>', contentType: 'text/html', acl: { groups: [] } });
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox', '--disable-dev-shm-usage'] });
    page = await browser.newPage({ viewport: { width: 1360, height: 1100 } });
  });

  afterAll(async () => {
    await browser?.close();
    await deployment?.stop();
  });

  it('asks for an administrator key and refuses one without the admin scope', async () => {
    await page.goto(`${deployment.gatewayUrl}/console/`);
    await page.getByTestId('key').fill('not-a-real-key-000000000000000000000000');
    await page.getByRole('button', { name: 'Open console' }).click();
    await expect.poll(() => page.locator('.signin .bad').textContent()).toMatch(/not an administrator key/);
  });

  it('shows live figures that change after traffic, the stores, the charts and the lists', async () => {
    await page.getByTestId('key').fill(deployment.adminKey);
    await page.getByRole('button', { name: 'Open console' }).click();
    await expect.poll(() => tileValue(page, 'requests')).toBe('0');
    expect(await tileValue(page, 'cache-hit-ratio')).toBe('–');
    await expect.poll(() => page.getByTestId('stores').locator('tbody tr').count()).toBe(4);
    expect(await page.getByTestId('stores').textContent()).not.toContain('down');

    const asked = ['金卡年费怎么免？', 'How long is a one-time code valid?', '金卡年费怎么免？', '普卡首年年费', 'zebra quantum marmalade'];
    const requestIds: string[] = [];
    for (const query of asked) requestIds.push((await client.post<{ requestId: string }>('/v1/search', { query })).body.requestId);
    const chat = await client.post<{ requestId: string }>('/v1/chat', { query: 'How long is a one-time code valid?' });
    expect(chat.status).toBe(200);
    expect((await client.post('/v1/feedback', { requestId: requestIds[1], rating: 'down', comment: '答非所问 / not what I asked' })).status).toBe(201);

    await expect.poll(() => tileValue(page, 'requests'), { timeout: 15_000 }).toBe(String(asked.length + 1));
    expect(await tileValue(page, 'p95')).toMatch(/ms$/);
    expect(await tileValue(page, 'cache-hit-ratio')).not.toBe('–');
    expect(await tileValue(page, 'degraded-share')).toBe('0.0 %');
    await expect.poll(() => page.getByTestId('no-good-hit').textContent()).toContain('zebra quantum marmalade');
    expect(await page.getByTestId('negative-feedback').textContent()).toContain('How long is a one-time code valid?');
    expect(await page.getByTestId('failed-documents').textContent()).toContain('Empty page');
    expect(await page.locator('figure svg .bar').count()).toBeGreaterThan(0);
    await page.screenshot({ path: join(SHOTS, 'console-figures.png'), fullPage: true });
  });

  it('shows a question’s full trace with each store’s contribution, and a past request’s from the lists', async () => {
    await page.getByTestId('trace-query').fill('金卡 年费');
    await page.getByTestId('trace-submit').click();
    const stores = page.getByTestId('trace-stores');
    await expect.poll(() => stores.textContent()).toContain('keyword');
    expect(await stores.textContent()).toContain('vector');
    expect(await page.getByTestId('trace-fused').textContent()).toMatch(/keyword rank/);
    expect(await page.getByTestId('trace-stages').textContent()).toContain('retrieve');
    await page.getByTestId('trace').screenshot({ path: join(SHOTS, 'console-trace.png') });

    await page.getByTestId('negative-feedback').getByRole('link').first().click();
    await expect.poll(() => page.getByTestId('trace').textContent()).toContain('How long is a one-time code valid?');
    await page.screenshot({ path: join(SHOTS, 'console.png'), fullPage: true });
    // The picture in docs/ is made by this test: UPDATE_DOCS_SCREENSHOT=1 copies it there.
    if (process.env.UPDATE_DOCS_SCREENSHOT === '1') copyFileSync(join(SHOTS, 'console.png'), join(ROOT, 'docs/console.png'));
  });
});

async function tileValue(page: Page, id: string): Promise<string | null> {
  return page.getByTestId(id).locator('.value').textContent({ timeout: 5_000 }).catch(() => null);
}

async function waitUntil(check: () => Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('Timed out waiting for the documents to be indexed.');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
