import { segmentChinese } from './chinese-segmenter';
import { normalizeText } from './normalize';

const HAN_ONLY = /^\p{Script=Han}+$/u;
/** English possessive `'s` (`company's` → `company`), so it neither hides the word nor adds a term `s`. */
const POSSESSIVE = /(\p{L})['’]s(?!\p{L})/gu;
/**
 * A number as financial text writes it: thousands separated by commas, a decimal part
 * (`1,452.4`, `0.80`). It is one term, without its commas, as a reader would search for it.
 */
const NUMBER = /^(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?$/u;
/**
 * One lexical unit: a Han run, a number (`1,452.4`, `3.75`), letters and digits joined by code
 * punctuation (`ppr-9087`, `v2.1`, `a_b/c`), or a digit group that may continue after single
 * spaces (`6222 0200 1234`). The groups make codes findable exactly as typed. A number comes
 * before the others so that its comma and decimal point do not cut it into meaningless digits.
 */
const UNIT =
  /\p{Script=Han}+|(?:\d{1,3}(?:,\d{3})+|\d+)\.\d+(?![\p{L}\p{N}]|[\-_.\/:][\p{L}\p{N}])|\d{1,3}(?:,\d{3})+(?![\p{L}\p{N}]|[\-_.\/:,][\p{L}\p{N}])|\d+(?: \d+)+|[[\p{L}\p{N}]--\p{Script=Han}]+(?:[\-_.\/:][[\p{L}\p{N}]--\p{Script=Han}]+)*/gv;

/**
 * Turns text into index terms, the same way for documents and for queries: Chinese is
 * segmented into words and character bigrams, other scripts split on non-letters, and a code yields both its parts
 * and the whole code without separators.
 */
export function analyze(text: string): string[] {
  const terms: string[] = [];
  for (const match of normalizeText(text).replace(POSSESSIVE, '$1').matchAll(UNIT)) {
    appendUnitTerms(match[0], terms);
  }
  return terms;
}

function appendUnitTerms(unit: string, terms: string[]): void {
  if (HAN_ONLY.test(unit)) {
    appendHanTerms(unit, terms);
    return;
  }
  if (NUMBER.test(unit)) {
    terms.push(unit.replaceAll(',', ''));
    return;
  }
  const parts = unit.split(/[-_./: ]/u).filter((part) => part.length > 0);
  terms.push(...parts);
  if (parts.length > 1) terms.push(parts.join(''));
}

/**
 * The terms of Han runs seen lately. A chunk is analyzed twice when it is indexed (for the keyword
 * index and by the lexical embedder), and phrases recur across chunks and queries; segmentation
 * was the largest part of embedded indexing time on long Chinese documents. Runs longer than
 * CACHED_RUN_CHARS rarely recur and are not kept. A plain map emptied when full: an LRU's
 * bookkeeping cost a third of what the cache saved.
 */
const hanTermsCache = new Map<string, readonly string[]>();
const CACHED_RUNS = 20_000;
const CACHED_RUN_CHARS = 64;

function appendHanTerms(run: string, terms: string[]): void {
  const cached = hanTermsCache.get(run);
  if (cached) {
    terms.push(...cached);
    return;
  }
  const runTerms = hanTerms(run);
  if (run.length <= CACHED_RUN_CHARS) {
    if (hanTermsCache.size >= CACHED_RUNS) hanTermsCache.clear();
    hanTermsCache.set(run, runTerms);
  }
  terms.push(...runTerms);
}

/**
 * jieba's words, plus the run's character bigrams that jieba did not already emit as words.
 * Word segmentation depends on context ("金卡持卡人" splits as 金 / 卡持卡 / 人, so "金卡" alone
 * would never match); bigrams restore those matches, as CJK bigram analyzers do.
 */
function hanTerms(run: string): string[] {
  const terms: string[] = [];
  const words = segmentChinese(run);
  terms.push(...words);
  const twoCharWords = new Map<string, number>();
  for (const word of words) if (word.length === 2) twoCharWords.set(word, (twoCharWords.get(word) ?? 0) + 1);
  const chars = Array.from(run);
  for (let i = 0; i + 2 <= chars.length; i++) {
    const bigram = `${chars[i] as string}${chars[i + 1] as string}`;
    const unused = twoCharWords.get(bigram) ?? 0;
    if (unused > 0) twoCharWords.set(bigram, unused - 1);
    else terms.push(bigram);
  }
  return terms;
}

/** Distinct terms of a query, in first-seen order. */
export function analyzeQuery(text: string): string[] {
  return [...new Set(analyze(text))];
}
