import { isValidBankCard } from './bank-card.validator';
import { isValidMobile } from './mobile.validator';
import type { PersonalDataDetection } from './personal-data.types';
import { isValidLegacyResidentId, isValidResidentId } from './resident-id.validator';

/** A maximal group of ASCII digits, with a trailing X when it may end a resident ID. */
interface DigitGroup {
  start: number;
  end: number;
  /** Digits, plus a final upper-case X for a resident ID check character. */
  text: string;
}

/** Longest digit string any kind needs: a 19-digit card, or 0086 and a mobile. */
const MAX_DIGITS = 19;
/** Most groups any layout has: a card written 4-4-4-4-3. */
const MAX_GROUPS = 5;
const GROUP = /\d+/gu;
/** Digit groups joined by exactly one space or hyphen. */
const RUN = /\d+(?:[ -]\d+)*/gu;
/** A country code right before a mobile: `86`, `+86`, `0086`, `(+86)`, then one optional separator. */
const MOBILE_PREFIX = /(?:\((?:\+|00)?86\)|(?:\+|00)?86)[ -]?$/u;

/**
 * Finds resident IDs, bank cards and mobiles in NFKC-folded text. Digits are read in groups
 * split by one space or hyphen; a candidate is a whole number of groups in a layout people
 * write (4-4-4-4, 3-4-4, ...), so a number never starts or ends inside a longer digit run.
 * Every valid candidate is returned, overlapping or not; the caller picks among them.
 */
export function detectDigitRuns(text: string, today: Date): PersonalDataDetection[] {
  const found: PersonalDataDetection[] = [];
  for (const run of digitRuns(text)) {
    for (let first = 0; first < run.length; first++) {
      // Every layout starts with a group of 3 or more digits; skipping the rest keeps `1 2 3 ...` cheap.
      if (run[first]!.text.length < 3) continue;
      const lengths: number[] = [];
      let digitCount = 0;
      for (let last = first; last < run.length && last < first + MAX_GROUPS; last++) {
        lengths.push(run[last]!.text.length);
        digitCount += lengths.at(-1)!;
        if (digitCount > MAX_DIGITS) break;
        if (digitCount < 11 || !hasKnownLayout(lengths)) continue;
        const start = run[first]!.start;
        const end = run[last]!.end;
        if (isInsideDecimal(text, start, end) || isPartOfCode(text, start, end)) continue;
        found.push(...candidatesIn(text, run.slice(first, last + 1), lengths, today));
      }
    }
  }
  return found;
}

function hasKnownLayout(lengths: number[]): boolean {
  return isResidentIdLayout(lengths) || (lengths.length === 1 && lengths[0] === 15) || isBankCardLayout(lengths) || isMobileLayout(lengths) || isPrefixedMobileLayout(lengths);
}

function candidatesIn(text: string, groups: DigitGroup[], lengths: number[], today: Date): PersonalDataDetection[] {
  const value = groups.map((group) => group.text).join('');
  const start = groups[0]!.start;
  const end = groups.at(-1)!.end;
  const found: PersonalDataDetection[] = [];
  if (isResidentIdLayout(lengths) && isValidResidentId(value, today)) found.push({ kind: 'resident-id', start, end, value });
  if (value.endsWith('X')) return found;
  if (lengths.length === 1 && lengths[0] === 15 && isValidLegacyResidentId(value, today)) found.push({ kind: 'resident-id', start, end, value });
  if (isBankCardLayout(lengths) && isValidBankCard(value)) found.push({ kind: 'bank-card', start, end, value });
  const mobile = mobileIn(text, value, lengths, start, end);
  if (mobile) found.push(mobile);
  return found;
}

function mobileIn(text: string, value: string, lengths: number[], start: number, end: number): PersonalDataDetection | undefined {
  // A country code written into the same group: 8613800138000, +8613800138000, 008613800138000.
  if (isPrefixedMobileLayout(lengths) && /^(?:86|0086)1\d{10}$/u.test(value)) {
    const national = value.slice(-11);
    if (!isValidMobile(national)) return undefined;
    const withPlus = value.length === 13 && text[start - 1] === '+';
    return { kind: 'mobile', start: withPlus ? start - 1 : start, end, value: national };
  }
  if (!isMobileLayout(lengths) || !isValidMobile(value)) return undefined;
  return { kind: 'mobile', start: prefixStart(text, start), end, value };
}

/** Where a country code written before the mobile starts, or `start` when there is none. */
function prefixStart(text: string, start: number): number {
  const before = text.slice(Math.max(0, start - 8), start);
  const prefix = MOBILE_PREFIX.exec(before);
  if (!prefix) return start;
  const prefixStartsAt = start - prefix[0].length;
  return isDigit(text[prefixStartsAt - 1]) ? start : prefixStartsAt;
}

function isPrefixedMobileLayout(lengths: number[]): boolean {
  return lengths.length === 1 && (lengths[0] === 13 || lengths[0] === 15);
}

function isResidentIdLayout(lengths: number[]): boolean {
  return sameLayout(lengths, [18]) || sameLayout(lengths, [6, 8, 4]);
}

function isBankCardLayout(lengths: number[]): boolean {
  if (lengths.length === 1) return true;
  // 4-4-4-4, 4-4-4-4-3 (19 digits), 4-4-4-1 (13 digits).
  if (lengths.slice(0, -1).every((length) => length === 4) && lengths.at(-1)! <= 4) return true;
  // Amex 4-6-5, Diners 4-6-4, and 19-digit UnionPay cards written 6-13.
  if (sameLayout(lengths, [4, 6, 5]) || sameLayout(lengths, [4, 6, 4])) return true;
  return lengths.length === 2 && lengths[0] === 6;
}

function isMobileLayout(lengths: number[]): boolean {
  return [[11], [3, 4, 4], [3, 8], [7, 4]].some((layout) => sameLayout(lengths, layout));
}

function sameLayout(lengths: number[], layout: number[]): boolean {
  return lengths.length === layout.length && lengths.every((length, index) => length === layout[index]);
}

/** The integer or fraction part of a decimal (`1380013800.5`, `0.13800138000`) is not an identifier. */
function isInsideDecimal(text: string, start: number, end: number): boolean {
  return (text[start - 1] === '.' && isDigit(text[start - 2])) || (text[end] === '.' && isDigit(text[end + 1]));
}

/** Digits hyphenated to letters are a code such as `PPR-138-0013-8000-X`, not a number. */
function isPartOfCode(text: string, start: number, end: number): boolean {
  return (text[start - 1] === '-' && isAsciiLetter(text[start - 2])) || (text[end] === '-' && isAsciiLetter(text[end + 1]));
}

/**
 * Runs of digit groups joined by exactly one space or hyphen, split into their groups. Runs too
 * short to hold 11 digits (dates, amounts, codes) are dropped before any group is built.
 */
function digitRuns(text: string): DigitGroup[][] {
  const runs: DigitGroup[][] = [];
  for (const match of text.matchAll(RUN)) {
    if (match[0].length < 11) continue;
    const groups: DigitGroup[] = [];
    for (const group of match[0].matchAll(GROUP)) {
      const start = match.index + group.index;
      groups.push({ start, end: start + group[0].length, text: group[0] });
    }
    groups.push(withCheckCharacter(text, groups.pop()!));
    runs.push(groups);
  }
  return runs;
}

/** An X right after 17 digits (or the last 3 of a 6-8-4 ID) is a check character unless a word goes on. */
function withCheckCharacter(text: string, group: DigitGroup): DigitGroup {
  const next = text[group.end];
  if ((next !== 'X' && next !== 'x') || /[A-Za-z0-9]/u.test(text[group.end + 1] ?? '')) return group;
  if (group.text.length !== 17 && group.text.length !== 3) return group;
  return { start: group.start, end: group.end + 1, text: `${group.text}X` };
}

function isAsciiLetter(char: string | undefined): boolean {
  return char !== undefined && /^[A-Za-z]$/u.test(char);
}

function isDigit(char: string | undefined): boolean {
  return char !== undefined && char >= '0' && char <= '9';
}
