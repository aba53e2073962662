import { createServer, type Server, type ServerResponse } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ChatCompletionEnd, streamChatCompletion } from './chat-completions.api';
import { OpenAiCompatibleClient } from './openai-compatible.client';

let server: Server;
let respond: (response: ServerResponse) => void;
let lastBody: Record<string, unknown> = {};
let client: OpenAiCompatibleClient;

beforeAll(async () => {
  server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
    request.on('end', () => {
      lastBody = JSON.parse(body) as Record<string, unknown>;
      respond(response);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no address');
  client = new OpenAiCompatibleClient({
    store: 'generator',
    label: 'chat model server',
    baseUrl: `http://127.0.0.1:${address.port}/v1`,
    apiKey: undefined,
    timeoutMs: 2_000,
    concurrency: 2,
    settingNames: { url: 'CHAT_URL', timeout: 'CHAT_TIMEOUT_MS', apiKey: 'CHAT_API_KEY' },
  });
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

function stream(...events: unknown[]): (response: ServerResponse) => void {
  return (response) => {
    response.writeHead(200, { 'content-type': 'text/event-stream' });
    for (const event of events) response.write(`data: ${typeof event === 'string' ? event : JSON.stringify(event)}\n\n`);
    response.end();
  };
}

const delta = (content: string, finish: string | null = null) => ({ choices: [{ index: 0, delta: { content }, finish_reason: finish }] });
const request = { model: 'gemma', messages: [{ role: 'user' as const, content: '金卡年费是多少？' }], maxTokens: 64, temperature: 0, stop: ['<<<'] };

async function run(): Promise<{ text: string[]; end: ChatCompletionEnd | undefined }> {
  const text: string[] = [];
  let end: ChatCompletionEnd | undefined;
  for await (const piece of streamChatCompletion(client, request, undefined, (e) => (end = e))) text.push(piece);
  return { text, end };
}

describe('streamed chat completions', () => {
  it('asks for a stream with usage, and yields the text deltas', async () => {
    respond = stream({ choices: [{ index: 0, delta: { role: 'assistant', content: '' } }] }, delta('金卡'), delta('年费 300 元。'), delta('', 'stop'), { choices: [], usage: { prompt_tokens: 12, completion_tokens: 5 } }, '[DONE]');
    const { text, end } = await run();
    expect(text).toEqual(['金卡', '年费 300 元。']);
    expect(lastBody).toMatchObject({ model: 'gemma', max_tokens: 64, temperature: 0, stop: ['<<<'], stream: true, stream_options: { include_usage: true } });
    expect(end).toEqual({ usage: { promptTokens: 12, completionTokens: 5, approximate: false }, finishReason: 'stop' });
  });

  it('estimates the usage, and says so, when the server sends none', async () => {
    respond = stream(delta('The fee is 300 yuan.'), delta('', 'length'), '[DONE]');
    const { end } = await run();
    expect(end?.usage.approximate).toBe(true);
    expect(end?.usage.completionTokens).toBeGreaterThan(0);
    expect(end?.usage.promptTokens).toBeGreaterThan(0);
    expect(end?.finishReason).toBe('length');
  });

  it('turns an error event in mid-answer into a StoreError', async () => {
    respond = stream(delta('The fee'), { error: { message: 'model crashed' } });
    await expect(run()).rejects.toMatchObject({ code: 'STORE_UNAVAILABLE', message: expect.stringContaining('an error in mid-answer: model crashed') as unknown });
  });

  it('rejects an event that is not JSON', async () => {
    respond = stream('not json');
    await expect(run()).rejects.toThrow(/an event that is not JSON: not json/);
  });
});
