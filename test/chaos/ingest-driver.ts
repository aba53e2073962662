/**
 * An ingest running beside the load: a new document every `intervalMs`, each retried after the
 * Retry-After of a 503 (or a refused connection) until the ingest service accepts it. What counts
 * is that every accepted document ends up indexed.
 */
export class IngestDriver {
  readonly accepted: string[] = [];
  /** 503 answers with a Retry-After header, the documented answer while SQL is down. */
  refusedWithRetryAfter = 0;
  /** Any other non-2xx answer or a 503 without Retry-After: each is a failure. */
  readonly unexpected: string[] = [];
  private running = false;
  private loop: Promise<void> = Promise.resolve();

  constructor(
    private readonly ingestUrl: string,
    private readonly apiKey: string,
    private readonly intervalMs: number,
  ) {}

  start(): void {
    this.running = true;
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.running = false;
    await this.loop;
  }

  private async run(): Promise<void> {
    for (let n = 1; this.running; n++) {
      await this.submit(n);
      await sleep(this.intervalMs);
    }
  }

  private async submit(n: number): Promise<void> {
    const body = JSON.stringify({
      collection: 'chaos',
      externalId: `chaos/notice-${n}.md`,
      title: `Branch notice ${n} 网点通知`,
      content: `# Branch notice ${n}\n\nNotice ${n}: the branch opens at nine. 第 ${n} 号通知：网点九点开门。`,
      contentType: 'text/markdown',
    });
    for (;;) {
      try {
        const response = await fetch(`${this.ingestUrl}/v1/documents`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${this.apiKey}` }, body });
        const reply = (await response.json()) as { documentId?: string };
        if (response.status === 202 && reply.documentId) {
          this.accepted.push(reply.documentId);
          return;
        }
        const retryAfter = Number(response.headers.get('retry-after'));
        if (response.status === 503 && retryAfter > 0) this.refusedWithRetryAfter++;
        else this.unexpected.push(`HTTP ${response.status}: ${JSON.stringify(reply).slice(0, 300)}`);
        await sleep(Math.min(retryAfter > 0 ? retryAfter * 1000 : 1000, 2000));
      } catch {
        await sleep(500);
      }
    }
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
