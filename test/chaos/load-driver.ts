/** One request the load driver sent, as the client saw it. */
export interface RequestRecord {
  readonly kind: 'search' | 'chat' | 'chat-stream';
  readonly startedAt: number;
  readonly endedAt: number;
  /** HTTP status, or 0 when the connection failed. */
  readonly status: number;
  readonly requestId: string | null;
  readonly degraded: readonly string[];
}

const QUESTIONS = [
  '金卡一年内刷卡满几次可以免次年年费',
  'How long is a text message one-time code valid',
  '房贷提前还款需要什么条件',
  'What is the daily limit for wire transfers',
  '投诉多久可以得到答复',
  'savings account interest calculation',
];

export interface LoadSettings {
  readonly gatewayUrl: string;
  readonly apiKey: string;
  readonly searchWorkers: number;
  readonly chatWorkers: number;
  /** Pause between one worker's requests, so the load is steady rather than flat out on a shared machine. */
  readonly thinkMs: number;
}

/**
 * Steady concurrent search and chat traffic (JSON and Server-Sent Events), each question made
 * unique so no answer comes from the cache: a cached answer is complete and would hide a fault.
 */
export class LoadDriver {
  readonly records: RequestRecord[] = [];
  private running = false;
  private workers: Promise<void>[] = [];
  private sent = 0;

  constructor(private readonly settings: LoadSettings) {}

  start(): void {
    this.running = true;
    const { searchWorkers, chatWorkers } = this.settings;
    this.workers = [...Array.from({ length: searchWorkers }, () => this.loop('search')), ...Array.from({ length: chatWorkers }, () => this.loop('chat'))];
  }

  async stop(): Promise<void> {
    this.running = false;
    await Promise.all(this.workers);
  }

  private async loop(kind: 'search' | 'chat'): Promise<void> {
    while (this.running) {
      const n = ++this.sent;
      const query = `${QUESTIONS[n % QUESTIONS.length]} ${n}`;
      const streamed = kind === 'chat' && n % 2 === 0;
      this.records.push(streamed ? await this.chatStream(query) : await this.json(kind, query));
      await new Promise((r) => setTimeout(r, this.settings.thinkMs));
    }
  }

  private async json(kind: 'search' | 'chat', query: string): Promise<RequestRecord> {
    const startedAt = Date.now();
    try {
      const response = await fetch(`${this.settings.gatewayUrl}/v1/${kind}`, { method: 'POST', headers: this.headers(), body: JSON.stringify({ query, topK: 5 }) });
      const body = (await response.json()) as { requestId?: string; degraded?: string[] };
      return { kind, startedAt, endedAt: Date.now(), status: response.status, requestId: body.requestId ?? null, degraded: body.degraded ?? [] };
    } catch {
      return { kind, startedAt, endedAt: Date.now(), status: 0, requestId: null, degraded: [] };
    }
  }

  /** A streamed chat counts as answered when its `done` event arrives; its degraded list is the `done` response's. */
  private async chatStream(query: string): Promise<RequestRecord> {
    const startedAt = Date.now();
    try {
      const response = await fetch(`${this.settings.gatewayUrl}/v1/chat`, { method: 'POST', headers: this.headers(), body: JSON.stringify({ query, topK: 5, stream: true }) });
      const text = await response.text();
      const done = text.split('\n\n').find((block) => block.startsWith('event: done'));
      const data = done ? (JSON.parse(/^data: (.+)$/m.exec(done)?.[1] ?? '{}') as { response?: { requestId: string; degraded: string[] } }) : {};
      // An `error` event in place of `done` is a failed answer, reported like a 500.
      const status = response.status === 200 && !data.response ? 500 : response.status;
      return { kind: 'chat-stream', startedAt, endedAt: Date.now(), status, requestId: data.response?.requestId ?? null, degraded: data.response?.degraded ?? [] };
    } catch {
      return { kind: 'chat-stream', startedAt, endedAt: Date.now(), status: 0, requestId: null, degraded: [] };
    }
  }

  private headers(): Record<string, string> {
    return { 'content-type': 'application/json', authorization: `Bearer ${this.settings.apiKey}` };
  }
}
