import type { PersonalDataDetection } from './personal-data.types';

/** RFC 5322 atext plus dots, and letters, marks and digits of any script. */
const LOCAL_CHAR = /[A-Za-z0-9!#$%&'*+/=?^_`{|}~.\-\p{L}\p{M}\p{N}]/u;
/** Scripts written without spaces: a local part does not run across a switch into or out of them. */
const CJK_CHAR = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/u;
/** Leading characters that are punctuation around an address rather than part of it. */
const LEADING_PUNCTUATION = /^[^\p{L}\p{N}_]+/u;
/** Dot-separated LDH labels and an alphabetic top-level label, not followed by more of a name. */
const DOMAIN = /(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}(?![A-Za-z0-9-])/uy;
const MAX_LOCAL_LENGTH = 64;

/**
 * Finds e-mail addresses in NFKC-folded text, pragmatically: a local part of atext, dots or
 * letters of any script (`张三@example.cn`), and an ASCII domain (IDNs are seen in punycode).
 * In Chinese text with no spaces, `邮箱zhang.san@example.com` yields `zhang.san@example.com`.
 */
export function detectEmails(text: string): PersonalDataDetection[] {
  const found: PersonalDataDetection[] = [];
  let at = text.indexOf('@');
  while (at !== -1) {
    const email = emailAround(text, at);
    if (email) found.push(email);
    at = text.indexOf('@', email ? email.end : at + 1);
  }
  return found;
}

function emailAround(text: string, at: number): PersonalDataDetection | undefined {
  DOMAIN.lastIndex = at + 1;
  const domain = DOMAIN.exec(text);
  if (!domain) return undefined;
  const start = localPartStart(text, at);
  if (start === at) return undefined;
  const end = at + 1 + domain[0].length;
  return { kind: 'email', start, end, value: text.slice(start, end).toLowerCase() };
}

function localPartStart(text: string, at: number): number {
  const chars = Array.from(text.slice(Math.max(0, at - MAX_LOCAL_LENGTH * 2), at));
  const last = chars.at(-1);
  if (last === undefined) return at;
  const cjk = CJK_CHAR.test(last);
  let taken = 0;
  let length = 0;
  for (let index = chars.length - 1; index >= 0 && taken < MAX_LOCAL_LENGTH; index--) {
    const char = chars[index]!;
    if (!LOCAL_CHAR.test(char) || CJK_CHAR.test(char) !== cjk) break;
    taken++;
    length += char.length;
  }
  const local = text.slice(at - length, at);
  const punctuation = LEADING_PUNCTUATION.exec(local)?.[0].length ?? 0;
  return at - length + punctuation;
}
