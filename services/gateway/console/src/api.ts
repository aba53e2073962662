const KEY_STORAGE = 'rag-console-admin-key';

export interface Overview {
  windowSeconds: number;
  requests: number;
  qps: number;
  latencyMs: { p50: number | null; p95: number | null; p99: number | null };
  cacheHitRatio: number | null;
  degradedShare: number | null;
  noGoodHitShare: number | null;
  stores: { name: string; adapter: string; ok: boolean; checkMs: number; meanSearchMs: number | null; detail?: string }[];
  outbox: { pending: number; oldestPendingAt: number | null; dead: number };
  generatedAt: number;
}

export interface TimelineBucket {
  start: number;
  requests: number;
  p95Ms: number | null;
  cacheHitRatio: number | null;
  degradedShare: number | null;
}

export interface LedgerSummary {
  requestId: string;
  kind: string;
  query: string;
  hitCount: number;
  verified: boolean | null;
  latencyMs: number;
  createdAt: number;
}

export interface Questions {
  noGoodHit: LedgerSummary[];
  negativeFeedback: { requestId: string; query: string | null; comment: string | null; subject: string; createdAt: number }[];
}

export interface FailedDocument {
  documentId: string;
  externalId: string;
  title: string;
  version: number;
  reason: string;
  at: number;
}

export interface StoreTrace {
  store: string;
  ok: boolean;
  ms: number;
  hits: number;
  error?: string;
}

export interface Trace {
  cache: string;
  normalizedQuery: string;
  stages: { stage: string; ms: number }[];
  stores: StoreTrace[];
  fused: { chunkId: string; score: number; ranks: Record<string, number> }[];
  pruned: number;
  verification?: { passed: boolean; sentences: { sentence: string; verdict: string; support: number }[] };
}

export interface TraceView {
  requestId: string;
  query: string;
  trace: Trace;
  degraded: string[];
  answer: string | null;
}

export class UnauthorizedError extends Error {}

/** The admin API, with the key the operator typed (kept for this browser tab only). */
export class ConsoleApi {
  get key(): string | null {
    return sessionStorage.getItem(KEY_STORAGE);
  }

  set key(value: string | null) {
    if (value) sessionStorage.setItem(KEY_STORAGE, value);
    else sessionStorage.removeItem(KEY_STORAGE);
  }

  overview = () => this.get<Overview>('/v1/admin/ops/overview');
  timeline = () => this.get<{ bucketSeconds: number; buckets: TimelineBucket[] }>('/v1/admin/ops/timeline');
  questions = () => this.get<Questions>('/v1/admin/ops/questions');
  failedDocuments = () => this.get<FailedDocument[]>('/v1/admin/ops/failed-documents');

  /** A request id opens that request's ledger row; anything else is run as a hybrid search now. */
  async trace(input: string): Promise<TraceView> {
    const text = input.trim();
    if (/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(text)) {
      const entry = await this.get<{ requestId: string; query: string; trace: Trace; degraded: string[]; answer: string | null }>(`/v1/ledger/${text}`);
      return { requestId: entry.requestId, query: entry.query, trace: entry.trace, degraded: entry.degraded, answer: entry.answer };
    }
    const result = await this.request<{ requestId: string; trace: Trace; degraded: string[] }>('/v1/search', { method: 'POST', body: JSON.stringify({ query: text, mode: 'hybrid' }) });
    return { requestId: result.requestId, query: text, trace: result.trace, degraded: result.degraded, answer: null };
  }

  private get<T>(path: string): Promise<T> {
    return this.request<T>(path, { method: 'GET' });
  }

  private async request<T>(path: string, init: RequestInit): Promise<T> {
    const headers: Record<string, string> = { authorization: `Bearer ${this.key ?? ''}` };
    if (init.body) headers['content-type'] = 'application/json';
    const response = await fetch(path, { ...init, headers });
    if (response.status === 401 || response.status === 403) throw new UnauthorizedError('This key is not an administrator key of the tenant.');
    const body = (await response.json()) as T & { error?: { message: string } };
    if (!response.ok) throw new Error(body.error?.message ?? `${path} answered ${response.status}`);
    return body;
  }
}
