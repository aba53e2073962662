/**
 * Aborts its signal when it has not been touched for `ms`. A request waits at most that long for
 * the response headers, and a stream at most that long between two chunks: a long answer that
 * keeps coming is never cut off, a server that stalls is.
 */
export class IdleTimer {
  private readonly controller = new AbortController();
  private timer: NodeJS.Timeout | undefined;

  constructor(readonly ms: number) {
    this.touch();
  }

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  get fired(): boolean {
    return this.controller.signal.aborted;
  }

  /** Starts the wait again from now. */
  touch(): void {
    this.pause();
    if (this.fired) return;
    this.timer = setTimeout(() => this.controller.abort(new Error(`no answer within ${this.ms} ms`)), this.ms);
    this.timer.unref();
  }

  /** Stops counting, while the caller rather than the server is the one taking time. */
  pause(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
  }
}
