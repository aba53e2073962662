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

  /** Posts a body of any size as a stream, never held whole, and reads the answer as JSON. */
  async postStream<T = Record<string, unknown>>(path: string, contentType: string, body: ReadableStream<Uint8Array>): Promise<{ status: number; body: T }> {
    const init = { method: 'POST', headers: { ...this.headers(false), 'content-type': contentType }, body, duplex: 'half' } as RequestInit;
    const response = await fetch(this.url(path), init);
    return { status: response.status, body: (await response.json()) as T };
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
