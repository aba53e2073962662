import type { FastifyReply, FastifyRequest } from 'fastify';

export interface EventStream {
  /** Aborted when the client goes away, so upstream work (the model call) stops. */
  readonly signal: AbortSignal;
  send(event: string | null, data: unknown): void;
  end(): void;
}

/** Takes over the response as a Server-Sent Events stream. `event: null` writes a data-only event. */
export function openEventStream(request: FastifyRequest, reply: FastifyReply): EventStream {
  const abort = new AbortController();
  request.raw.on('close', () => abort.abort());
  reply.hijack();
  reply.raw.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache', connection: 'keep-alive', 'x-request-id': String(request.id) });
  return {
    signal: abort.signal,
    send: (event, data) => {
      if (reply.raw.writableEnded) return;
      const payload = typeof data === 'string' ? data : JSON.stringify(data);
      reply.raw.write(`${event === null ? '' : `event: ${event}\n`}data: ${payload}\n\n`);
    },
    end: () => reply.raw.end(),
  };
}
