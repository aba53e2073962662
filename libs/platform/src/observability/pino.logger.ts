import type { LoggerService } from '@nestjs/common';
import type { AppConfig } from '@rag/config';
import { piiRedactingPinoOptions } from '@rag/privacy';
import pino, { type Logger } from 'pino';
import { currentRequestFields } from './request.context';
import { activeTraceId } from './tracing';

/**
 * JSON lines on stdout; every string of every line passes the personal-data redaction (PII_POLICY).
 * A line written while serving a request carries its request id and trace id.
 */
export function createRootLogger(config: Pick<AppConfig, 'logLevel' | 'privacy'>): Logger {
  const redaction = piiRedactingPinoOptions(config.privacy.policy, config.privacy.hashSecret);
  return pino({ ...redaction, level: config.logLevel, base: { service: 'bank-rag' }, timestamp: pino.stdTimeFunctions.isoTime, mixin: requestMixin });
}

function requestMixin(): Record<string, string> {
  const requestId = currentRequestFields()?.requestId;
  const traceId = activeTraceId();
  return { ...(requestId ? { requestId } : {}), ...(traceId ? { traceId } : {}) };
}

/** Nest's logger interface over pino: JSON lines with the logging class as `context`. */
export class PinoNestLogger implements LoggerService {
  constructor(private readonly logger: Logger) {}

  log(message: unknown, ...rest: unknown[]): void {
    this.write('info', message, rest);
  }
  error(message: unknown, ...rest: unknown[]): void {
    this.write('error', message, rest);
  }
  warn(message: unknown, ...rest: unknown[]): void {
    this.write('warn', message, rest);
  }
  debug(message: unknown, ...rest: unknown[]): void {
    this.write('debug', message, rest);
  }
  verbose(message: unknown, ...rest: unknown[]): void {
    this.write('trace', message, rest);
  }

  private write(level: 'info' | 'error' | 'warn' | 'debug' | 'trace', message: unknown, rest: unknown[]): void {
    // Nest passes the context (class name) last; an object first is structured fields.
    const last = rest.at(-1);
    const context = typeof last === 'string' ? last : undefined;
    if (message instanceof Error) {
      this.logger[level]({ context, err: { ...message, name: message.name, message: message.message } }, message.message);
      return;
    }
    if (typeof message === 'object' && message !== null) {
      const text = rest.length > 1 && typeof rest[0] === 'string' ? rest[0] : undefined;
      this.logger[level]({ context, ...message }, text);
      return;
    }
    this.logger[level]({ context }, String(message));
  }
}
