import { createServer, type Server } from 'node:http';
import { AppError } from '@rag/core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { OpenAiEmbedder, type OpenAiEmbedderSettings } from './openai.embedder';

/** A fake embedding server: each input becomes a vector of `dimensions` values built from its length. */
let server: Server;
let dimensions = 3;
let bodies: { input: string[]; input_type?: string }[] = [];
let settings: OpenAiEmbedderSettings;

beforeAll(async () => {
  server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
    request.on('end', () => {
      const parsed = JSON.parse(body) as { input: string[]; input_type?: string };
      bodies.push(parsed);
      const data = parsed.input.map((text, index) => ({ index, embedding: Array.from({ length: dimensions }, (_, i) => (i === 0 ? text.length : 1)) }));
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ data: data.reverse() }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no address');
  settings = { url: `http://127.0.0.1:${address.port}/v1`, model: 'e5', dimensions: 3, apiKey: undefined, inputTypeField: 'input_type', batchSize: 4, timeoutMs: 2_000, concurrency: 2 };
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

beforeEach(() => {
  bodies = [];
  dimensions = 3;
});

describe('OpenAI-compatible embedder', () => {
  it('splits long lists into batches, marks the purpose, keeps the order and returns unit vectors', async () => {
    const texts = ['a', 'bb', 'ccc', 'dddd', 'eeeee', 'ffffff', 'g', 'hh', 'iii', 'jjjj'];
    const vectors = await new OpenAiEmbedder(settings).embed(texts, 'passage');
    expect(bodies.map((body) => body.input.length).sort()).toEqual([2, 4, 4]);
    expect(bodies.every((body) => body.input_type === 'passage')).toBe(true);
    expect(vectors.map((vector) => Math.round((vector[0] as number) / (vector[1] as number)))).toEqual(texts.map((text) => text.length));
    for (const vector of vectors) expect(Math.hypot(...vector)).toBeCloseTo(1, 5);
  });

  it('sends no purpose field unless one is configured', async () => {
    await new OpenAiEmbedder({ ...settings, inputTypeField: undefined }).embed(['a'], 'query');
    expect(bodies[0]).toEqual({ model: 'e5', input: ['a'], encoding_format: 'float' });
  });

  it('names EMBEDDING_DIMENSIONS when the model returns vectors of another size', async () => {
    dimensions = 384;
    const error: unknown = await new OpenAiEmbedder(settings).verify().catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(AppError);
    expect(error).toMatchObject({ code: 'CONFIG_INVALID' });
    expect((error as Error).message).toMatch(/EMBEDDING_DIMENSIONS is 3, but the model "e5" at http:\/\/127\.0\.0\.1:\d+\/v1 \(EMBEDDING_URL\) returns 384-dimensional vectors/);
  });

  it('identifies its vectors by model and dimensions', () => {
    expect(new OpenAiEmbedder(settings).modelId).toBe('openai:e5@3');
  });
});
