import { redactJsonText } from './json-text.redactor';
import { personalDataRedactor } from './personal-data.redactor';
import type { PiiPolicy } from './personal-data.types';

/** The part of pino's `LoggerOptions` this lib sets; spread it into `pino({...})`. */
export interface PiiRedactingPinoOptions {
  hooks: { streamWrite?: (line: string) => string };
}

/**
 * Pino options that redact personal data from every log line: `pino({ ...options, level })`.
 *
 * Uses pino's `hooks.streamWrite`, which sees each line once it is serialized, rather than
 * `serializers` (only the keys they name), `formatters.log` (never sees the message, child
 * bindings or what serializers produce) or `hooks.logMethod` (sees raw arguments such as
 * requests before their serializers run). So messages, interpolated arguments, bindings, `base`,
 * serialized errors and nested fields are all covered. The hook throws nothing for valid lines
 * and keeps them valid JSON. When merging with other `hooks`, keep this `streamWrite`.
 */
export function piiRedactingPinoOptions(policy: PiiPolicy, secret?: string): PiiRedactingPinoOptions {
  if (policy === 'keep') return { hooks: {} };
  const redactText = personalDataRedactor(policy, secret);
  return { hooks: { streamWrite: (line) => redactJsonText(line, redactText) } };
}
