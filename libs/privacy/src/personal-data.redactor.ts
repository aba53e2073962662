import { createHmac } from 'node:crypto';
import { detectPersonalData } from './personal-data.finder';
import type { PersonalDataDetection, PiiPolicy } from './personal-data.types';

export const MIN_PII_SECRET_LENGTH = 16;
const HASH_HEX_LENGTH = 12;

/**
 * Applies `policy` to every piece of personal data in `text`, leaving the rest exactly as it was.
 * `mask` keeps what a bank shows on a statement (ID: first 3 and last 2; card: last 4; mobile:
 * first 3 and last 4; e-mail: first character and domain), one `*` per hidden character, with
 * separators in place; masking masked text changes nothing. `hash` writes
 * `[kind:<12 hex of HMAC-SHA256(secret, value)>]`, equal for equal values however they were
 * written (`6222-0200…` and `6222 0200…`), so rows can be correlated without the number.
 */
export function redactPersonalData(text: string, policy: PiiPolicy, secret?: string): string {
  return personalDataRedactor(policy, secret)(text);
}

/** The redaction for `policy`, checked once: use it for many strings. */
export function personalDataRedactor(policy: PiiPolicy, secret?: string): (text: string) => string {
  switch (policy) {
    case 'keep':
      return (text) => text;
    case 'mask':
      return (text) => replaceFindings(text, maskFinding);
    case 'hash': {
      const key = requireSecret(secret);
      return (text) => replaceFindings(text, (_segment, found) => `[${found.kind}:${digest(key, found.value)}]`);
    }
    default:
      throw new Error(`Unknown PII policy '${String(policy)}': expected 'mask', 'hash' or 'keep'`);
  }
}

function requireSecret(secret: string | undefined): string {
  if (secret === undefined || secret.length < MIN_PII_SECRET_LENGTH) {
    const got = secret === undefined ? 'none' : `${secret.length} characters`;
    throw new Error(`PII policy 'hash' needs a secret of at least ${MIN_PII_SECRET_LENGTH} characters (got ${got})`);
  }
  return secret;
}

function digest(secret: string, value: string): string {
  return createHmac('sha256', secret).update(value, 'utf8').digest('hex').slice(0, HASH_HEX_LENGTH);
}

function replaceFindings(text: string, replace: (segment: string, found: PersonalDataDetection) => string): string {
  const findings = detectPersonalData(text);
  if (findings.length === 0) return text;
  const parts: string[] = [];
  let offset = 0;
  for (const found of findings) {
    parts.push(text.slice(offset, found.start), replace(text.slice(found.start, found.end), found));
    offset = found.end;
  }
  parts.push(text.slice(offset));
  return parts.join('');
}

function maskFinding(segment: string, found: PersonalDataDetection): string {
  const chars = Array.from(segment);
  if (found.kind === 'email') {
    const at = chars.findIndex((char) => fold(char) === '@');
    return chars.map((char, index) => (index > 0 && index < at ? '*' : char)).join('');
  }
  const significant = chars.filter((char) => /^[0-9X]$/iu.test(fold(char))).length;
  const visible = visibleDigits(found.kind, significant);
  let digitIndex = 0;
  return chars
    .map((char) => {
      if (!/^[0-9X]$/iu.test(fold(char))) return char;
      return visible(digitIndex++) ? char : '*';
    })
    .join('');
}

/** Which of `count` digits stay readable; a mobile's country code stays, and counts from its end. */
function visibleDigits(kind: Exclude<PersonalDataDetection['kind'], 'email'>, count: number): (index: number) => boolean {
  switch (kind) {
    case 'resident-id':
      return (index) => index < 3 || index >= count - 2;
    case 'bank-card':
      return (index) => index >= count - 4;
    case 'mobile': {
      const national = count - 11;
      return (index) => index < national + 3 || index >= count - 4;
    }
  }
}

function fold(char: string): string {
  return char.normalize('NFKC');
}
