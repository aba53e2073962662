import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { type ContentType, isBinaryContentType } from '@rag/core';
import { Piscina } from 'piscina';
import { type ContentBlock, UnparsableDocumentError } from './content-block';
import { parseDocument } from './document.parser';
import type { ParseLimits } from './parse-limits';
import type { ParseOutcome, ParseTask } from './parse.worker';

/**
 * Parses PDF and DOCX files in a pool of worker threads and ends a thread that runs past
 * PARSE_TIMEOUT_MS, so a slow or hostile file neither blocks the API's event loop nor runs on.
 * No heap limit is set on the threads: Node enforces it only on a best-effort basis, and reaching
 * it can abort the whole process (nodejs/node#47224); bombs are stopped by declared sizes instead
 * (MAX_DOCX_EXPANDED_BYTES, MAX_PDF_PAGES). Text formats parse in process: their parsers are
 * linear and bounded by MAX_HTML_DEPTH, and a thread hop would only slow them down.
 */
export class IsolatedDocumentParser {
  private readonly pool: Piscina<ParseTask, ParseOutcome> | null;

  constructor(
    private readonly limits: ParseLimits,
    threads: number,
  ) {
    // The worker runs compiled code; from sources (unit tests) there is none, and parsing stays in process.
    const workerFile = join(__dirname, 'parse.worker.js');
    this.pool = existsSync(workerFile)
      ? new Piscina({ filename: workerFile, minThreads: 0, maxThreads: threads, idleTimeout: 30_000 })
      : null;
  }

  async parse(content: string, contentType: ContentType): Promise<ContentBlock[]> {
    if (!this.pool || !isBinaryContentType(contentType)) return parseDocument(content, contentType, this.limits);
    const outcome = await this.runIsolated(this.pool, { content, contentType, limits: this.limits });
    if ('reason' in outcome) throw new UnparsableDocumentError(outcome.reason);
    return outcome.blocks;
  }

  async close(): Promise<void> {
    await this.pool?.close({ force: true });
  }

  private async runIsolated(pool: Piscina<ParseTask, ParseOutcome>, task: ParseTask): Promise<ParseOutcome> {
    const signal = AbortSignal.timeout(this.limits.parseTimeoutMs);
    try {
      return await pool.run(task, { signal });
    } catch (error) {
      if (signal.aborted) throw new UnparsableDocumentError(`Parsing took longer than ${this.limits.parseTimeoutMs} ms (PARSE_TIMEOUT_MS) and was stopped.`);
      throw error;
    }
  }
}
