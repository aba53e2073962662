import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEmbeddings } from './embeddings.api';
import { OpenAiCompatibleClient } from './openai-compatible.client';

let server: Server;
let answer: unknown;
let lastBody: Record<string, unknown> = {};
let client: OpenAiCompatibleClient;

beforeAll(async () => {
  server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
    request.on('end', () => {
      lastBody = JSON.parse(body) as Record<string, unknown>;
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify(answer));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no address');
  client = new OpenAiCompatibleClient({
    store: 'embedder',
    label: 'embedding server',
    baseUrl: `http://127.0.0.1:${address.port}/v1`,
    apiKey: undefined,
    timeoutMs: 2_000,
    concurrency: 2,
    settingNames: { url: 'EMBEDDING_URL', timeout: 'EMBEDDING_TIMEOUT_MS', apiKey: 'EMBEDDING_API_KEY' },
  });
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

describe('embeddings', () => {
  it('sends the model, the inputs and extra fields, and puts the vectors back in input order', async () => {
    answer = { data: [{ index: 1, embedding: [0, 1] }, { index: 0, embedding: [1, 0] }], usage: { prompt_tokens: 7, total_tokens: 7 } };
    const result = await createEmbeddings(client, { model: 'e5', input: ['a', 'b'], extraFields: { input_type: 'query' } });
    expect(lastBody).toEqual({ input_type: 'query', model: 'e5', input: ['a', 'b'], encoding_format: 'float' });
    expect(result.vectors).toEqual([
      [1, 0],
      [0, 1],
    ]);
    expect(result.usage).toEqual({ promptTokens: 7, completionTokens: 0, approximate: false });
  });

  it('fails when the server returns fewer vectors than inputs', async () => {
    answer = { data: [{ index: 0, embedding: [1, 0] }] };
    await expect(createEmbeddings(client, { model: 'e5', input: ['a', 'b'] })).rejects.toThrow(/answered POST \/embeddings with 1 embeddings for 2 inputs/);
  });

  it('fails clearly on a body that is not an embeddings list, and estimates missing usage', async () => {
    answer = { result: 'ok' };
    await expect(createEmbeddings(client, { model: 'e5', input: ['a'] })).rejects.toMatchObject({ code: 'STORE_UNAVAILABLE', details: { store: 'embedder' } });
    answer = { data: [{ index: 0, embedding: [1] }] };
    expect((await createEmbeddings(client, { model: 'e5', input: ['金卡年费'] })).usage).toEqual({ promptTokens: 4, completionTokens: 0, approximate: true });
  });
});
