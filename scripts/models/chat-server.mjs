// An OpenAI-compatible chat completions server for tests: a GGUF model run by node-llama-cpp
// (llama.cpp's prebuilt CPU binaries), installed in the model cache, not in the project.
// Started by start-model-servers.sh; see README.md beside this file.
//
//   node chat-server.mjs --llama-dir DIR --model FILE.gguf --model-name NAME [--host 127.0.0.1]
//        [--port 18092] [--threads 2] [--context-size 4096] [--parallel 2]
//
// POST /v1/chat/completions  messages, max_tokens (or max_completion_tokens), temperature, top_p,
//                            seed, stop, frequency_penalty, presence_penalty, stream,
//                            stream_options.include_usage; usage counts the model's own tokens
// GET  /v1/models, GET /health
//
// Prompts use Gemma's turn format (<start_of_turn>user ... <end_of_turn>), as the GGUF carries no
// chat template. Message text is never parsed for special tokens, so a message cannot open or close
// a turn. A client that disconnects stops its generation.
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';

const { values: args } = parseArgs({
  options: {
    'llama-dir': { type: 'string' },
    model: { type: 'string' },
    'model-name': { type: 'string' },
    host: { type: 'string', default: '127.0.0.1' },
    port: { type: 'string', default: '18092' },
    threads: { type: 'string', default: '2' },
    'context-size': { type: 'string', default: '4096' },
    parallel: { type: 'string', default: '2' },
  },
});
if (!args['llama-dir'] || !args.model || !args['model-name']) {
  process.stderr.write('usage: chat-server.mjs --llama-dir DIR --model FILE.gguf --model-name NAME [--host H] [--port P] [--threads N] [--context-size N] [--parallel N]\n');
  process.exit(2);
}
const MODEL_NAME = args['model-name'];
const MAX_BODY_BYTES = 4 * 1024 * 1024;
const MAX_STOP_SEQUENCES = 4;

// node-llama-cpp lives in the model cache, outside this project's node_modules.
const requireFromCache = createRequire(join(args['llama-dir'], 'package.json'));
const { getLlama, LlamaCompletion, LlamaText, SpecialTokensText } = await import(pathToFileURL(requireFromCache.resolve('node-llama-cpp')).href);

const startedAt = performance.now();
const llama = await getLlama({ gpu: false, build: 'never', logLevel: 'warn' });
const model = await llama.loadModel({ modelPath: args.model });
const parallel = Number(args.parallel);
const context = await model.createContext({ contextSize: Number(args['context-size']), sequences: parallel, threads: Number(args.threads) });
const contextSize = context.contextSize;
const END_OF_TURN = LlamaText(new SpecialTokensText('<end_of_turn>'));
const bosTokens = model.tokens.bos !== null && model.tokens.shouldPrependBosToken ? 1 : 0;

/** One LlamaCompletion per context sequence; a request waits for a free one. */
const idle = Array.from({ length: parallel }, () => new LlamaCompletion({ contextSequence: context.getSequence() }));
const waiting = [];

function acquire(signal) {
  const free = idle.pop();
  if (free) return Promise.resolve(free);
  return new Promise((resolve, reject) => {
    const waiter = { resolve };
    waiting.push(waiter);
    signal.addEventListener('abort', () => {
      const index = waiting.indexOf(waiter);
      if (index >= 0) waiting.splice(index, 1);
      reject(new Error('client went away'));
    }, { once: true });
  });
}

function release(completion) {
  const next = waiting.shift();
  if (next) next.resolve(completion);
  else idle.push(completion);
}

class HttpError extends Error {
  constructor(status, message, type = 'invalid_request_error', code = null) {
    super(message);
    this.status = status;
    this.type = type;
    this.code = code;
  }
}

function sendJson(res, status, body) {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

function sendError(res, error) {
  const status = error instanceof HttpError ? error.status : 500;
  if (res.headersSent) {
    if (!res.writableEnded) {
      res.write(`data: ${JSON.stringify({ error: { message: error.message, type: error.type ?? 'server_error', code: error.code ?? null } })}\n\n`);
      res.end();
    }
    return;
  }
  sendJson(res, status, { error: { message: error.message, type: error.type ?? 'server_error', param: null, code: error.code ?? null } });
}

async function readJson(req) {
  const chunks = [];
  let size = 0;
  for await (const chunk of req) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) throw new HttpError(413, `request body larger than ${MAX_BODY_BYTES} bytes`);
    chunks.push(chunk);
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    throw new HttpError(400, 'request body is not valid JSON');
  }
}

function textOf(content, index) {
  if (typeof content === 'string') return content;
  if (Array.isArray(content)) {
    return content
      .map((part) => {
        if (part?.type === 'text' && typeof part.text === 'string') return part.text;
        throw new HttpError(400, `messages[${index}].content: only text parts are supported`);
      })
      .join('');
  }
  throw new HttpError(400, `messages[${index}].content must be a string or an array of text parts`);
}

function numberIn(body, name, min, max, fallback) {
  const value = body[name];
  if (value === undefined || value === null) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min || value > max) {
    throw new HttpError(400, `${name} must be a number from ${min} to ${max}`, 'invalid_request_error', 'invalid_value');
  }
  return value;
}

function parseChatRequest(body) {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new HttpError(400, 'request body must be a JSON object');
  if (!Array.isArray(body.messages) || body.messages.length === 0) throw new HttpError(400, 'messages must be a non-empty array');
  const messages = body.messages.map((message, index) => {
    const role = message?.role === 'developer' ? 'system' : message?.role;
    if (!['system', 'user', 'assistant'].includes(role)) throw new HttpError(400, `messages[${index}].role must be system, developer, user or assistant`);
    return { role, content: textOf(message.content, index) };
  });
  let stop = body.stop ?? [];
  if (typeof stop === 'string') stop = [stop];
  if (!Array.isArray(stop) || stop.length > MAX_STOP_SEQUENCES || !stop.every((s) => typeof s === 'string' && s !== '')) {
    throw new HttpError(400, `stop must be a string or up to ${MAX_STOP_SEQUENCES} non-empty strings`);
  }
  const maxTokens = numberIn(body, 'max_tokens', 1, 1e9, undefined) ?? numberIn(body, 'max_completion_tokens', 1, 1e9, undefined);
  const seed = numberIn(body, 'seed', -(2 ** 31), 2 ** 32, undefined);
  return {
    messages,
    stop,
    maxTokens: maxTokens === undefined ? undefined : Math.floor(maxTokens),
    temperature: numberIn(body, 'temperature', 0, 2, 1),
    topP: numberIn(body, 'top_p', 0, 1, 1),
    seed: seed === undefined ? undefined : Math.floor(seed),
    frequencyPenalty: numberIn(body, 'frequency_penalty', -2, 2, 0),
    presencePenalty: numberIn(body, 'presence_penalty', -2, 2, 0),
    stream: body.stream === true,
    includeUsage: body.stream_options?.include_usage === true,
  };
}

/** Gemma's turn format; system text opens the first user turn, as Gemma's own template does. */
function toPrompt(messages) {
  const system = messages.filter((m) => m.role === 'system').map((m) => m.content).join('\n\n');
  const turns = messages.filter((m) => m.role !== 'system');
  if (turns.length === 0 || turns[0].role !== 'user') turns.unshift({ role: 'user', content: '' });
  const parts = [];
  turns.forEach((turn, index) => {
    const content = index === 0 && system ? `${system}\n\n${turn.content}` : turn.content;
    parts.push(new SpecialTokensText(`<start_of_turn>${turn.role === 'assistant' ? 'model' : 'user'}\n`), content, new SpecialTokensText('<end_of_turn>\n'));
  });
  parts.push(new SpecialTokensText('<start_of_turn>model\n'));
  return LlamaText(parts);
}

async function chatCompletions(req, res) {
  const request = parseChatRequest(await readJson(req));
  const promptTokens = toPrompt(request.messages).tokenize(model.tokenizer, 'trimLeadingSpace');
  const promptTokenCount = promptTokens.length + bosTokens;
  if (promptTokenCount >= contextSize) {
    throw new HttpError(400, `This model's maximum context length is ${contextSize} tokens; the messages take ${promptTokenCount}.`, 'invalid_request_error', 'context_length_exceeded');
  }
  const maxTokens = Math.min(request.maxTokens ?? contextSize, contextSize - promptTokenCount);

  const abort = new AbortController();
  res.on('close', () => {
    if (!res.writableFinished) abort.abort();
  });
  const completion = await acquire(abort.signal);
  const id = `chatcmpl-${randomUUID()}`;
  const created = Math.floor(Date.now() / 1000);
  const chunk = (choices, extra = {}) => `data: ${JSON.stringify({ id, object: 'chat.completion.chunk', created, model: MODEL_NAME, choices, ...extra })}\n\n`;
  let completionTokens = 0;
  const t0 = performance.now();
  try {
    if (request.stream) {
      res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' });
      res.write(chunk([{ index: 0, delta: { role: 'assistant', content: '' }, finish_reason: null }]));
    }
    const result = await completion.generateCompletionWithMeta(promptTokens, {
      maxTokens,
      temperature: request.temperature,
      topP: request.topP,
      seed: request.seed,
      // OpenAI's default is no penalty at all; node-llama-cpp's own default would apply one.
      repeatPenalty: request.frequencyPenalty || request.presencePenalty ? { frequencyPenalty: request.frequencyPenalty, presencePenalty: request.presencePenalty } : false,
      customStopTriggers: [...request.stop, END_OF_TURN],
      disableContextShift: true,
      signal: abort.signal,
      stopOnAbortSignal: true,
      onToken: (tokens) => {
        completionTokens += tokens.length;
      },
      onTextChunk: request.stream ? (text) => res.write(chunk([{ index: 0, delta: { content: text }, finish_reason: null }])) : undefined,
    });
    const ms = Math.round(performance.now() - t0);
    if (abort.signal.aborted) {
      process.stdout.write(`${new Date().toISOString()} ${id} prompt=${promptTokenCount} completion=${completionTokens} finish=client-closed ${ms}ms stream=${request.stream}\n`);
      return;
    }
    const finishReason = result.metadata.stopReason === 'maxTokens' ? 'length' : 'stop';
    const usage = { prompt_tokens: promptTokenCount, completion_tokens: completionTokens, total_tokens: promptTokenCount + completionTokens };
    process.stdout.write(`${new Date().toISOString()} ${id} prompt=${promptTokenCount} completion=${completionTokens} finish=${finishReason} ${ms}ms stream=${request.stream}\n`);
    if (!request.stream) {
      sendJson(res, 200, {
        id,
        object: 'chat.completion',
        created,
        model: MODEL_NAME,
        choices: [{ index: 0, message: { role: 'assistant', content: result.response }, finish_reason: finishReason, logprobs: null }],
        usage,
      });
      return;
    }
    res.write(chunk([{ index: 0, delta: {}, finish_reason: finishReason }]));
    if (request.includeUsage) res.write(chunk([], { usage }));
    res.end('data: [DONE]\n\n');
  } finally {
    release(completion);
  }
}

const server = createServer((req, res) => {
  const path = (req.url ?? '/').split('?')[0];
  const route = `${req.method} ${path}`;
  const handle = async () => {
    if (route === 'GET /health' || route === 'GET /') return sendJson(res, 200, { status: 'ok', model: MODEL_NAME });
    if (route === 'GET /v1/models') return sendJson(res, 200, { object: 'list', data: [{ id: MODEL_NAME, object: 'model', created: 0, owned_by: 'node-llama-cpp' }] });
    if (route === 'POST /v1/chat/completions' || route === 'POST /chat/completions') return chatCompletions(req, res);
    throw new HttpError(404, `no route ${route}`, 'invalid_request_error', 'not_found');
  };
  handle().catch((error) => {
    if (!(error instanceof HttpError)) process.stderr.write(`${new Date().toISOString()} ${route} failed: ${error.stack ?? error}\n`);
    sendError(res, error);
  });
});

server.listen(Number(args.port), args.host, () => {
  const seconds = ((performance.now() - startedAt) / 1000).toFixed(1);
  process.stdout.write(
    `chat server on http://${args.host}:${args.port}/v1 model ${MODEL_NAME} (${args.model}), context ${contextSize} x ${parallel} sequences, ${args.threads} threads, node-llama-cpp ready in ${seconds}s\n`,
  );
});

for (const signal of ['SIGTERM', 'SIGINT']) {
  process.on(signal, () => {
    server.close();
    server.closeAllConnections();
    void llama.dispose().finally(() => process.exit(0));
  });
}
