import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createNetServer } from 'node:net';
import { StoreError } from '@rag/core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { OpenAiCompatibleClient, type ModelClientSettings } from './openai-compatible.client';

type Handler = (request: IncomingMessage, response: ServerResponse, body: string) => void;

/** A fake model server on loopback whose behaviour each test sets. */
let server: Server;
let baseUrl: string;
let handler: Handler;
let requests: { method: string; url: string; headers: IncomingMessage['headers']; body: string }[] = [];
let inFlight = 0;
let maxInFlight = 0;
/** Paths of requests whose connection closed before the answer was complete. */
let closedEarly: string[] = [];

beforeAll(async () => {
  server = createServer((request, response) => {
    let body = '';
    request.setEncoding('utf8');
    request.on('data', (chunk: string) => (body += chunk));
    request.on('end', () => {
      requests.push({ method: request.method ?? '', url: request.url ?? '', headers: request.headers, body });
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      response.on('close', () => {
        inFlight--;
        if (!response.writableFinished) closedEarly.push(request.url ?? '');
      });
      handler(request, response, body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no address');
  baseUrl = `http://127.0.0.1:${address.port}/v1`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

afterEach(() => {
  requests = [];
  maxInFlight = 0;
  closedEarly = [];
});

function client(overrides: Partial<ModelClientSettings> = {}): OpenAiCompatibleClient {
  return new OpenAiCompatibleClient({
    store: 'embedder',
    label: 'embedding server',
    baseUrl,
    apiKey: undefined,
    timeoutMs: 2_000,
    concurrency: 4,
    settingNames: { url: 'EMBEDDING_URL', timeout: 'EMBEDDING_TIMEOUT_MS', apiKey: 'EMBEDDING_API_KEY' },
    backoff: { baseDelayMs: 10, maxDelayMs: 50 },
    ...overrides,
  });
}

function json(response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  response.writeHead(status, { 'content-type': 'application/json', ...headers });
  response.end(JSON.stringify(body));
}

/** Answers the first `failures` requests with `status`, then 200. */
function failingFirst(failures: number, status: number, headers: Record<string, string> = {}): Handler {
  let seen = 0;
  return (_request, response) => {
    seen++;
    if (seen <= failures) json(response, status, { error: { message: `overloaded (${seen})` } }, headers);
    else json(response, 200, { ok: true });
  };
}

/** A loopback port that nothing listens on: bound, then released. */
async function closedPort(): Promise<number> {
  const probe = createNetServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const address = probe.address();
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => {
      throw new Error('expected a rejection');
    },
    (error: unknown) => error,
  );
}

describe('OpenAI-compatible client', () => {
  it('posts JSON with the key as a bearer token and returns the parsed answer', async () => {
    handler = (_request, response, body) => json(response, 200, { echo: JSON.parse(body) as unknown });
    const answer = await client({ apiKey: 'sk-secret' }).postJson('/embeddings', { input: ['金卡'] });
    expect(answer).toEqual({ echo: { input: ['金卡'] } });
    expect(requests[0]).toMatchObject({ method: 'POST', url: '/v1/embeddings' });
    expect(requests[0]?.headers.authorization).toBe('Bearer sk-secret');
    expect(requests[0]?.headers['content-type']).toBe('application/json');
  });

  it.each([429, 500, 503])('retries a %i answer and succeeds', async (status) => {
    handler = failingFirst(2, status);
    expect(await client().postJson('/embeddings', {})).toEqual({ ok: true });
    expect(requests).toHaveLength(3);
  });

  it('gives up after two retries, saying how often it tried and what the server said', async () => {
    handler = failingFirst(10, 503);
    const error = await rejection(client().postJson('/embeddings', {}));
    expect(error).toBeInstanceOf(StoreError);
    expect(error).toMatchObject({ code: 'STORE_UNAVAILABLE', details: { store: 'embedder' } });
    expect((error as Error).message).toMatch(/embedding server at http:\/\/127\.0\.0\.1:\d+\/v1 \(EMBEDDING_URL\) answered POST \/embeddings with HTTP 503 after 3 attempts: overloaded \(3\)/);
    expect(requests).toHaveLength(3);
  });

  it('waits between retries, at least as long as Retry-After asks (up to its cap)', async () => {
    handler = failingFirst(1, 429, { 'retry-after': '0.2' });
    const started = performance.now();
    await client({ backoff: { baseDelayMs: 1, maxDelayMs: 1_000 } }).postJson('/embeddings', {});
    expect(performance.now() - started).toBeGreaterThanOrEqual(190);
    expect(requests).toHaveLength(2);
  });

  it.each([400, 404, 422])('does not retry a %i answer', async (status) => {
    handler = (_request, response) => json(response, status, { error: { message: 'input too long' } });
    const error = await rejection(client().postJson('/embeddings', {}));
    expect((error as Error).message).toContain(`HTTP ${status}: input too long`);
    expect(requests).toHaveLength(1);
  });

  it('points at the key setting on 401 and never repeats the key, even when the server echoes it', async () => {
    handler = (request, response) => json(response, 401, { error: { message: `invalid key ${request.headers.authorization ?? ''}` } });
    const error = await rejection(client({ apiKey: 'sk-secret-123' }).postJson('/embeddings', {}));
    expect((error as Error).message).toContain('(check EMBEDDING_API_KEY)');
    expect((error as Error).message).toContain('invalid key Bearer ***');
    expect((error as Error).message).not.toContain('sk-secret-123');
  });

  it('times out with STORE_TIMEOUT naming the timeout setting, and does not retry', async () => {
    handler = () => undefined;
    const error = await rejection(client({ timeoutMs: 150 }).postJson('/embeddings', {}));
    expect(error).toMatchObject({ code: 'STORE_TIMEOUT', details: { store: 'embedder' } });
    expect((error as Error).message).toMatch(/did not answer POST \/embeddings within 150 ms \(EMBEDDING_TIMEOUT_MS\)/);
    expect(requests).toHaveLength(1);
  });

  it('reports a refused connection as STORE_UNAVAILABLE with the setting and the URL, without retrying', async () => {
    const port = await closedPort();
    const error = await rejection(client({ baseUrl: `http://127.0.0.1:${port}/v1` }).postJson('/embeddings', {}));
    expect(error).toMatchObject({ code: 'STORE_UNAVAILABLE' });
    expect((error as Error).message).toMatch(new RegExp(`^Cannot reach the embedding server at http://127\\.0\\.0\\.1:${port}/v1 \\(EMBEDDING_URL\\): .*ECONNREFUSED`));
  });

  it('sends a user name and password in the URL as basic authentication, and never shows the password', async () => {
    handler = (_request, response) => json(response, 200, { ok: true });
    const withCredentials = baseUrl.replace('http://', 'http://user:hunter2@');
    expect(await client({ baseUrl: withCredentials }).postJson('/embeddings', {})).toEqual({ ok: true });
    expect(requests[0]?.headers.authorization).toBe(`Basic ${Buffer.from('user:hunter2').toString('base64')}`);
    const port = await closedPort();
    const error = await rejection(client({ baseUrl: `http://user:hunter2@127.0.0.1:${port}/v1` }).postJson('/embeddings', {}));
    expect((error as Error).message).toContain(`http://***@127.0.0.1:${port}/v1`);
    expect((error as Error).message).not.toContain('hunter2');
  });

  it('says so when a 200 answer is not JSON', async () => {
    handler = (_request, response) => {
      response.writeHead(200, { 'content-type': 'text/html' });
      response.end('<html>proxy login</html>');
    };
    const error = await rejection(client().postJson('/embeddings', {}));
    expect((error as Error).message).toContain('with a body that is not JSON: <html>proxy login</html>');
  });

  it("passes the caller's abort through as is and closes the connection", async () => {
    handler = () => undefined;
    const controller = new AbortController();
    const pending = rejection(client().postJson('/aborted', {}, controller.signal));
    await new Promise((resolve) => setTimeout(resolve, 50));
    controller.abort(new Error('client went away'));
    const error = await pending;
    expect(error).not.toBeInstanceOf(StoreError);
    expect((error as Error).message).toBe('client went away');
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(closedEarly).toEqual(['/v1/aborted']);
  });

  it('keeps at most `concurrency` requests in flight', async () => {
    handler = (_request, response) => setTimeout(() => json(response, 200, { ok: true }), 40);
    const limited = client({ concurrency: 2 });
    await Promise.all(Array.from({ length: 6 }, () => limited.postJson('/embeddings', {})));
    expect(requests).toHaveLength(6);
    expect(maxInFlight).toBe(2);
  });

  describe('streams', () => {
    function sse(response: ServerResponse, events: readonly string[], gapMs = 0): void {
      response.writeHead(200, { 'content-type': 'text/event-stream' });
      let i = 0;
      const next = (): void => {
        if (i === events.length) {
          response.end();
          return;
        }
        response.write(`data: ${events[i++]}\n\n`);
        setTimeout(next, gapMs);
      };
      next();
    }

    async function all(stream: AsyncIterable<string>): Promise<string[]> {
      const items: string[] = [];
      for await (const item of stream) items.push(item);
      return items;
    }

    it("yields each event's data until the stream ends", async () => {
      handler = (_request, response) => sse(response, ['{"a":1}', '{"b":"年费"}', '[DONE]']);
      expect(await all(client().postStream('/chat/completions', { stream: true }))).toEqual(['{"a":1}', '{"b":"年费"}', '[DONE]']);
    });

    it('retries a 503 before the stream starts', async () => {
      let seen = 0;
      handler = (_request, response) => (++seen === 1 ? json(response, 503, { error: 'busy' }) : sse(response, ['x']));
      expect(await all(client().postStream('/chat/completions', {}))).toEqual(['x']);
      expect(requests).toHaveLength(2);
    });

    it('lets a slow but steady stream run past the timeout, and times out one that stalls', async () => {
      handler = (_request, response) => sse(response, ['1', '2', '3', '4', '5', '6'], 60);
      expect(await all(client({ timeoutMs: 150 }).postStream('/chat/completions', {}))).toHaveLength(6);
      handler = (_request, response) => {
        response.writeHead(200, { 'content-type': 'text/event-stream' });
        response.write('data: first\n\n');
      };
      const seen: string[] = [];
      const error = await rejection(
        (async () => {
          for await (const item of client({ timeoutMs: 150 }).postStream('/chat/completions', {})) seen.push(item);
        })(),
      );
      expect(seen).toEqual(['first']);
      expect(error).toMatchObject({ code: 'STORE_TIMEOUT' });
    });

    it('closes the connection when the consumer stops early, and frees its slot', async () => {
      handler = (_request, response) => sse(response, Array.from({ length: 50 }, (_, i) => String(i)), 20);
      const limited = client({ concurrency: 1 });
      for await (const item of limited.postStream('/early', {})) {
        if (item === '2') break;
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(closedEarly).toContain('/v1/early');
      handler = (_request, response) => json(response, 200, { ok: true });
      expect(await limited.postJson('/embeddings', {})).toEqual({ ok: true });
    });
  });
});
