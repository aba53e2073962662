import { isAppError } from '@rag/core';

/**
 * Runs a service's start-up and turns an expected failure (bad config, unreachable store) into one
 * line that names the problem, instead of a stack trace.
 */
export function runService(name: string, start: () => Promise<void>): void {
  start().catch((error: unknown) => {
    const message = isAppError(error) ? error.message : error instanceof Error ? (error.stack ?? error.message) : String(error);
    process.stderr.write(`${name} failed to start: ${message}\n`);
    process.exit(1);
  });
}
