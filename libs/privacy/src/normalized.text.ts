/** One code point whose NFKC form differs from it, as offsets in both strings. */
interface Fold {
  normalizedStart: number;
  normalizedLength: number;
  originalStart: number;
  originalLength: number;
}

/** Folded forms of code points seen so far: chat text repeats the same few punctuation marks. */
const FOLD_CACHE = new Map<string, string>();
const FOLD_CACHE_LIMIT = 4096;

/**
 * A string folded with NFKC one code point at a time, remembering where the folded code points
 * came from, so that what is found in the folded text (full-width digits read as digits) can be
 * reported and replaced in the original. Only the changed code points are recorded.
 */
export class NormalizedText {
  private constructor(
    readonly text: string,
    private readonly folds: Fold[],
  ) {}

  static of(original: string): NormalizedText {
    const parts: string[] = [];
    const folds: Fold[] = [];
    let copiedUpTo = 0;
    let normalizedLength = 0;
    for (let index = 0; index < original.length; ) {
      const unit = original.charCodeAt(index);
      // ASCII and CJK Unified Ideographs are their own NFKC form: most text skips the work.
      if (unit < 0x80 || (unit >= 0x4e00 && unit <= 0x9fff)) {
        index++;
        continue;
      }
      const codePoint = String.fromCodePoint(original.codePointAt(index)!);
      const folded = fold(codePoint);
      if (folded !== codePoint) {
        parts.push(original.slice(copiedUpTo, index), folded);
        normalizedLength += index - copiedUpTo;
        folds.push({ normalizedStart: normalizedLength, normalizedLength: folded.length, originalStart: index, originalLength: codePoint.length });
        normalizedLength += folded.length;
        copiedUpTo = index + codePoint.length;
      }
      index += codePoint.length;
    }
    if (folds.length === 0) return new NormalizedText(original, folds);
    parts.push(original.slice(copiedUpTo));
    return new NormalizedText(parts.join(''), folds);
  }

  /** The original span that the folded span `[start, end)` came from. */
  toOriginal(start: number, end: number): { start: number; end: number } {
    const originalStart = this.originalOffset(start, 'start');
    return { start: originalStart, end: end > start ? this.originalOffset(end - 1, 'end') : originalStart };
  }

  /** The original start of the code point folded into unit `offset`, or the end of it. */
  private originalOffset(offset: number, side: 'start' | 'end'): number {
    const fold = this.lastFoldAtOrBefore(offset);
    if (fold === undefined) return side === 'start' ? offset : offset + 1;
    if (offset < fold.normalizedStart + fold.normalizedLength) return side === 'start' ? fold.originalStart : fold.originalStart + fold.originalLength;
    const original = fold.originalStart + fold.originalLength + (offset - fold.normalizedStart - fold.normalizedLength);
    return side === 'start' ? original : original + 1;
  }

  private lastFoldAtOrBefore(offset: number): Fold | undefined {
    let low = 0;
    let high = this.folds.length - 1;
    let found: Fold | undefined;
    while (low <= high) {
      const middle = (low + high) >> 1;
      const candidate = this.folds[middle]!;
      if (candidate.normalizedStart <= offset) {
        found = candidate;
        low = middle + 1;
      } else {
        high = middle - 1;
      }
    }
    return found;
  }
}

function fold(codePoint: string): string {
  const cached = FOLD_CACHE.get(codePoint);
  if (cached !== undefined) return cached;
  const folded = codePoint.normalize('NFKC');
  if (FOLD_CACHE.size < FOLD_CACHE_LIMIT) FOLD_CACHE.set(codePoint, folded);
  return folded;
}
