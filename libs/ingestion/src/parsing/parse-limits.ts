import { UnparsableDocumentError } from './content-block';

/** Limits a document must keep to be parsed; each names the setting that raises it. */
export interface ParseLimits {
  readonly maxPdfPages: number;
  readonly maxHtmlDepth: number;
  readonly parseTimeoutMs: number;
  readonly maxDocxExpandedBytes: number;
}

export const DEFAULT_PARSE_LIMITS: ParseLimits = { maxPdfPages: 2_000, maxHtmlDepth: 256, parseTimeoutMs: 60_000, maxDocxExpandedBytes: 100 * 1024 * 1024 };

/**
 * A parse time limit checked between steps (pages, library calls). Parsers run on the event loop,
 * so one step that never yields cannot be cut short; the check bounds everything around it.
 */
export class ParseDeadline {
  private readonly endsAt: number;

  constructor(private readonly timeoutMs: number) {
    this.endsAt = Date.now() + timeoutMs;
  }

  check(step: string): void {
    if (Date.now() > this.endsAt) {
      throw new UnparsableDocumentError(`Parsing took longer than ${this.timeoutMs} ms (PARSE_TIMEOUT_MS) and stopped at ${step}.`);
    }
  }

  /** Races a library call against the time left, for calls that yield to the event loop while they work. */
  async within<T>(step: string, work: Promise<T>): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new UnparsableDocumentError(`Parsing took longer than ${this.timeoutMs} ms (PARSE_TIMEOUT_MS) during ${step}.`)), Math.max(0, this.endsAt - Date.now()));
    });
    try {
      return await Promise.race([work, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }
}
