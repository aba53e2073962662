import { type ClientRequest, request as httpRequest } from 'node:http';

/**
 * A small JSON client for the end-to-end suites. Document calls go to the ingest service and the
 * rest to the gateway, which are one process in the embedded profile and two in the full one.
 */
export class HttpClient {
  constructor(
    private readonly gatewayUrl: string,
    private readonly ingestUrl: string = gatewayUrl,
    /** Sent as `Authorization: Bearer`; null sends no credential at all. */
    private readonly apiKey: string | null = null,
  ) {}

  /** The same client with another caller's key. */
  as(apiKey: string | null): HttpClient {
    return new HttpClient(this.gatewayUrl, this.ingestUrl, apiKey);
  }

  private headers(json: boolean): Record<string, string> {
    return { ...(json ? { 'content-type': 'application/json' } : {}), ...(this.apiKey ? { authorization: `Bearer ${this.apiKey}` } : {}) };
  }

  private url(path: string): string {
    return `${path.startsWith('/v1/documents') ? this.ingestUrl : this.gatewayUrl}${path}`;
  }

  async post<T = Record<string, unknown>>(path: string, body: unknown): Promise<{ status: number; body: T }> {
    const response = await fetch(this.url(path), { method: 'POST', headers: this.headers(true), body: typeof body === 'string' ? body : JSON.stringify(body) });
    return { status: response.status, body: (await response.json()) as T };
  }

  /** Posts a multipart form (fetch sets its boundary). */
  async upload<T = Record<string, unknown>>(path: string, form: FormData): Promise<{ status: number; body: T }> {
    const response = await fetch(this.url(path), { method: 'POST', headers: this.headers(false), body: form });
    return { status: response.status, body: (await response.json()) as T };
  }

  /**
   * Posts a body of any size as a stream, never held whole, and reads the answer as JSON. A server
   * may answer (413) and close before the body is sent; the answer counts, not the broken write.
   */
  postStream<T = Record<string, unknown>>(path: string, contentType: string, body: ReadableStream<Uint8Array>): Promise<{ status: number; body: T }> {
    return new Promise((resolve, reject) => {
      let answered = false;
      const request = httpRequest(this.url(path), { method: 'POST', headers: { ...this.headers(false), 'content-type': contentType } }, (response) => {
        answered = true;
        let text = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => (text += chunk));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, body: JSON.parse(text) as T }));
      });
      request.on('error', (error) => {
        if (!answered) reject(error instanceof Error ? error : new Error(String(error)));
      });
      void (async () => {
        for await (const chunk of body) {
          if (answered || request.destroyed) break;
          if (!request.write(chunk)) await drainedOrClosed(request);
        }
        if (!answered && !request.destroyed) request.end();
      })().catch((error: unknown) => {
        if (!answered) reject(error instanceof Error ? error : new Error(String(error)));
      });
    });
  }

  async get<T = Record<string, unknown>>(path: string): Promise<{ status: number; body: T }> {
    const response = await fetch(this.url(path), { headers: this.headers(false) });
    const text = await response.text();
    return { status: response.status, body: (text.startsWith('{') || text.startsWith('[') ? JSON.parse(text) : text) as T };
  }

  async delete<T = Record<string, unknown>>(path: string): Promise<{ status: number; body: T }> {
    const response = await fetch(this.url(path), { method: 'DELETE', headers: this.headers(false) });
    return { status: response.status, body: (await response.json()) as T };
  }

  /** Posts and reads a Server-Sent Events stream to its end. */
  async stream(path: string, body: unknown): Promise<{ status: number; contentType: string; events: { event: string; data: Record<string, unknown> }[] }> {
    const response = await fetch(this.url(path), { method: 'POST', headers: this.headers(true), body: JSON.stringify(body) });
    const text = await response.text();
    const events = text
      .split('\n\n')
      .filter((block) => block.trim().length > 0)
      .map((block) => {
        const event = /^event: (.+)$/m.exec(block)?.[1] ?? '';
        const data = JSON.parse(/^data: (.+)$/m.exec(block)?.[1] ?? '{}') as Record<string, unknown>;
        return { event, data };
      });
    return { status: response.status, contentType: response.headers.get('content-type') ?? '', events };
  }
}

function drainedOrClosed(request: ClientRequest): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      request.off('drain', done).off('close', done);
      resolve();
    };
    request.once('drain', done).once('close', done);
  });
}
