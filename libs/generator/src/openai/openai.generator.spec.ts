import { createServer, type Server } from 'node:http';
import { contextBlock } from '@rag/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChatCompletionEnd } from '@rag/model-client';
import { NO_ANSWER_TEXT } from '../no-answer.text';
import { OpenAiGenerator, type OpenAiGeneratorSettings } from './openai.generator';

/** A fake chat server that streams a fixed answer with usage. */
let server: Server;
let bodies: Record<string, unknown>[] = [];
let settings: OpenAiGeneratorSettings;

beforeAll(async () => {
  server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
    request.on('end', () => {
      bodies.push(JSON.parse(body) as Record<string, unknown>);
      response.writeHead(200, { 'content-type': 'text/event-stream' });
      for (const content of ['The fee is ', '300 yuan. [1]']) response.write(`data: ${JSON.stringify({ choices: [{ index: 0, delta: { content } }] })}\n\n`);
      response.write(`data: ${JSON.stringify({ choices: [], usage: { prompt_tokens: 90, completion_tokens: 8 } })}\n\n`);
      response.end('data: [DONE]\n\n');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no address');
  settings = { url: `http://127.0.0.1:${address.port}/v1`, model: 'gemma', apiKey: undefined, maxTokens: 256, temperature: 0, timeoutMs: 2_000, concurrency: 1 };
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

async function answer(generator: OpenAiGenerator, contexts = [contextBlock({ marker: 1, text: 'The annual fee is 300 yuan.' })]): Promise<string> {
  let text = '';
  for await (const piece of generator.generate({ question: 'What is the annual fee?', contexts })) text += piece;
  return text;
}

describe('OpenAI-compatible generator', () => {
  it('streams the model answer for the prompt, with the configured limits and the stop sequences', async () => {
    bodies = [];
    const ends: ChatCompletionEnd[] = [];
    expect(await answer(new OpenAiGenerator({ ...settings, onEnd: (end) => ends.push(end) }))).toBe('The fee is 300 yuan. [1]');
    expect(bodies[0]).toMatchObject({ model: 'gemma', max_tokens: 256, temperature: 0, stream: true, stop: ['<<<', 'END CONTEXT', '\nQuestion:'] });
    expect(JSON.stringify(bodies[0]?.messages)).toContain('The annual fee is 300 yuan.');
    expect(ends).toEqual([{ usage: { promptTokens: 90, completionTokens: 8, approximate: false }, finishReason: null }]);
  });

  it('says the documents do not answer, without asking the model, when nothing was retrieved', async () => {
    bodies = [];
    expect(await answer(new OpenAiGenerator(settings), [])).toBe(NO_ANSWER_TEXT);
    expect(bodies).toHaveLength(0);
  });
});
