import type { RetrievalMode } from '@rag/core';

export interface SubmitResult {
  readonly documentId: string;
  readonly version: number;
  readonly status: string;
}

export interface BatchSubmitResult {
  readonly results: readonly { readonly index: number; readonly documentId: string | null; readonly outcome: string; readonly reason: string | null }[];
}

export interface DocumentStatus {
  readonly status: 'pending' | 'indexed' | 'failed' | 'deleting' | 'deleted';
  readonly activeVersion: number | null;
  readonly versions: readonly { readonly version: number; readonly status: string; readonly chunkCount: number; readonly failureReason: string | null }[];
}

export interface SearchHit {
  readonly chunkId: string;
  readonly documentId: string;
  readonly version: number;
  readonly score: number;
  readonly text: string;
  /** Each store's own score (BM25, cosine), which fusion fitting needs. */
  readonly scores?: Partial<Record<string, number>>;
}

export interface ChatCitation {
  readonly chunkId: string;
  readonly documentId: string;
  readonly quote: string;
}

export interface ChatResult {
  readonly answer: string;
  readonly citations: readonly ChatCitation[];
  readonly verification: { readonly passed: boolean; readonly fallbackUsed: boolean; readonly regenerated: boolean };
  readonly generator: string;
  readonly degraded: readonly string[];
}

export interface SearchResult {
  readonly hits: readonly SearchHit[];
  readonly degraded: readonly string[];
  readonly trace: {
    readonly cache: string;
    readonly navigation?: { readonly modelCalls: number };
    readonly route?: { readonly chosen: string };
  };
}

export interface SearchRequest {
  readonly query: string;
  readonly mode: RetrievalMode;
  readonly collection: string;
  readonly topK: number;
}

export interface NewDocument {
  readonly collection: string;
  readonly externalId: string;
  readonly title: string;
  readonly content: string;
  readonly contentType?: 'text/plain' | 'text/markdown';
}

/** The product's answer to a call it refused or failed, with its error body. */
export class ProductError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/** Long enough for a small chat model on two shared cores to write an answer. */
const REQUEST_TIMEOUT_MS = 300_000;

/** The evaluation talks to the product over its public HTTP API only, as any client would. */
export class ProductClient {
  constructor(
    private readonly gatewayUrl: string,
    private readonly ingestUrl: string,
    private readonly apiKey: string,
  ) {}

  submit(document: NewDocument): Promise<SubmitResult> {
    const body = { contentType: 'text/plain', ...document, acl: { groups: [] }, metadata: {} };
    return this.call<SubmitResult>(`${this.ingestUrl}/v1/documents`, { method: 'POST', body });
  }

  /** Several documents in one request (POST /v1/documents/batch); the answer lists each one's outcome in order. */
  submitBatch(documents: readonly NewDocument[]): Promise<BatchSubmitResult> {
    const body = { documents: documents.map((document) => ({ contentType: 'text/plain', ...document, acl: { groups: [] }, metadata: {} })) };
    return this.call<BatchSubmitResult>(`${this.ingestUrl}/v1/documents/batch`, { method: 'POST', body });
  }

  /** The index events not yet done, over every tenant (GET /v1/admin/ops/overview; an admin key). */
  async outboxPending(): Promise<{ readonly pending: number; readonly dead: number }> {
    const overview = await this.call<{ outbox: { pending: number; dead: number } }>(`${this.gatewayUrl}/v1/admin/ops/overview`, { method: 'GET' });
    return overview.outbox;
  }

  status(documentId: string): Promise<DocumentStatus> {
    return this.call<DocumentStatus>(`${this.ingestUrl}/v1/documents/${encodeURIComponent(documentId)}`, { method: 'GET' });
  }

  search(request: SearchRequest): Promise<SearchResult> {
    return this.call<SearchResult>(`${this.gatewayUrl}/v1/search`, { method: 'POST', body: request });
  }

  chat(request: SearchRequest): Promise<ChatResult> {
    return this.call<ChatResult>(`${this.gatewayUrl}/v1/chat`, { method: 'POST', body: { ...request, stream: false } });
  }

  chunk(chunkId: string): Promise<{ readonly text: string }> {
    return this.call<{ text: string }>(`${this.gatewayUrl}/v1/chunks/${encodeURIComponent(chunkId)}`, { method: 'GET' });
  }

  private async call<T>(url: string, request: { method: 'GET' | 'POST'; body?: unknown }): Promise<T> {
    const response = await fetch(url, {
      method: request.method,
      headers: { authorization: `Bearer ${this.apiKey}`, ...(request.body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: request.body === undefined ? undefined : JSON.stringify(request.body),
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    });
    const text = await response.text();
    if (!response.ok) throw new ProductError(response.status, `${request.method} ${new URL(url).pathname} answered ${response.status}: ${text.slice(0, 500)}`);
    return JSON.parse(text) as T;
  }
}
