import { Inject, Injectable, Logger, type BeforeApplicationShutdown } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@rag/config';

/**
 * The first step of a graceful shutdown: readiness turns 503 so load balancers stop sending new
 * requests, and the server keeps answering for SHUTDOWN_GRACE_MS while they notice. Nest then
 * closes the HTTP server (in-flight requests finish; new ones get 503) and only after that runs the
 * shutdown hooks that stop workers, flush the ledger and close the stores.
 */
@Injectable()
export class ShutdownState implements BeforeApplicationShutdown {
  private readonly logger = new Logger(ShutdownState.name);
  private drainingSince: number | null = null;

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  get draining(): boolean {
    return this.drainingSince !== null;
  }

  async beforeApplicationShutdown(signal?: string): Promise<void> {
    this.drainingSince = Date.now();
    const graceMs = this.config.resilience.shutdownGraceMs;
    this.logger.log({ signal, graceMs }, 'Shutting down: readiness now answers 503; in-flight requests finish before the stores close');
    if (graceMs > 0) await new Promise((resolve) => setTimeout(resolve, graceMs));
  }
}
