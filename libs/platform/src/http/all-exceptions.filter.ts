import { type ArgumentsHost, Catch, type ExceptionFilter, HttpException, Inject, Logger } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@rag/config';
import { isAppError, isOutageError } from '@rag/core';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { STATUS_BY_CODE } from './error-status';

export interface ErrorBody {
  readonly error: { readonly code: string; readonly message: string; readonly details?: Readonly<Record<string, unknown>> };
  readonly requestId: string;
}

/** A store outage answers 503 with this Retry-After: about the time a circuit breaker takes to try again. */
const OUTAGE_RETRY_AFTER_SECONDS = 5;

/** Every error leaves as `{ error: { code, message, details }, requestId }`; unknown errors never leak internals. */
@Catch()
export class AllExceptionsFilter implements ExceptionFilter {
  private readonly logger = new Logger(AllExceptionsFilter.name);

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const request = http.getRequest<FastifyRequest>();
    const reply = http.getResponse<FastifyReply>();
    const { status, body } = this.describe(exception, String(request.id));
    if (reply.sent || reply.raw.headersSent) return;
    const retryAfter = isAppError(exception) ? (exception.details.retryAfterSeconds ?? (isOutageError(exception) ? OUTAGE_RETRY_AFTER_SECONDS : undefined)) : undefined;
    if (typeof retryAfter === 'number') void reply.header('retry-after', String(retryAfter));
    void reply.status(status).header('content-type', 'application/json; charset=utf-8').send(body);
  }

  private describe(exception: unknown, requestId: string): { status: number; body: ErrorBody } {
    if (isAppError(exception)) {
      return { status: STATUS_BY_CODE[exception.code], body: { error: { code: exception.code, message: exception.message, details: exception.details }, requestId } };
    }
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      const message = status === 413 ? this.bodyTooLargeMessage() : httpMessage(exception);
      return { status, body: { error: { code: httpCode(status), message }, requestId } };
    }
    const fastifyStatus = fastifyErrorStatus(exception);
    if (fastifyStatus !== null) {
      const message = (exception as { code?: unknown }).code === 'FST_ERR_CTP_BODY_TOO_LARGE' ? this.bodyTooLargeMessage() : (exception as Error).message;
      return { status: fastifyStatus, body: { error: { code: httpCode(fastifyStatus), message }, requestId } };
    }
    this.logger.error({ requestId, err: exception instanceof Error ? { name: exception.name, message: exception.message, stack: exception.stack } : String(exception) }, 'Unhandled error');
    return { status: 500, body: { error: { code: 'INTERNAL', message: 'An internal error occurred; the request id identifies it in the logs.' }, requestId } };
  }

  /** Fastify's own message does not say which setting sets the limit; this one does. */
  private bodyTooLargeMessage(): string {
    const { bodyLimitBytes } = this.config.server;
    return `The request body is larger than ${bodyLimitBytes} bytes, the limit that MAX_DOCUMENT_BYTES sets (twice it, plus room for JSON).`;
  }
}

/** Fastify's own client errors (bad JSON, body too large, wrong media type) carry a 4xx statusCode. */
function fastifyErrorStatus(exception: unknown): number | null {
  if (typeof exception !== 'object' || exception === null) return null;
  const { statusCode, code } = exception as { statusCode?: unknown; code?: unknown };
  return typeof statusCode === 'number' && statusCode >= 400 && statusCode < 500 && typeof code === 'string' && code.startsWith('FST_') ? statusCode : null;
}

function httpMessage(exception: HttpException): string {
  const response = exception.getResponse();
  if (typeof response === 'string') return response;
  const message = (response as { message?: unknown }).message;
  return Array.isArray(message) ? message.join('; ') : typeof message === 'string' ? message : exception.message;
}

function httpCode(status: number): string {
  switch (status) {
    case 400:
      return 'BAD_REQUEST';
    case 404:
      return 'NOT_FOUND';
    case 405:
      return 'METHOD_NOT_ALLOWED';
    case 413:
      return 'PAYLOAD_TOO_LARGE';
    case 415:
      return 'UNSUPPORTED_MEDIA_TYPE';
    case 429:
      return 'TOO_MANY_REQUESTS';
    default:
      return status >= 500 ? 'INTERNAL' : 'BAD_REQUEST';
  }
}
