import { detectDigitRuns } from './digit-run.detector';
import { detectEmails } from './email.detector';
import { NormalizedText } from './normalized.text';
import type { PersonalDataDetection, PersonalDataKind, PersonalDataMatch } from './personal-data.types';

/** Which kind wins when two candidates cover the same span: the more specific pattern. */
const KIND_RANK: Record<PersonalDataKind, number> = { email: 0, 'resident-id': 1, mobile: 2, 'bank-card': 3 };

/**
 * Personal data in `text`, as spans of the original string (full-width digits are read as
 * digits), sorted and non-overlapping: where candidates overlap, the longest wins, so a card
 * number is never also reported as a mobile, nor the digits of `13800138000@163.com` as one.
 */
export function findPersonalData(text: string): PersonalDataMatch[] {
  return detectPersonalData(text).map(({ kind, start, end }) => ({ kind, start, end }));
}

/** As {@link findPersonalData}, with each finding's canonical value. */
export function detectPersonalData(text: string, today: Date = new Date()): PersonalDataDetection[] {
  const normalized = NormalizedText.of(text);
  const candidates = [...detectEmails(normalized.text), ...detectDigitRuns(normalized.text, today)];
  if (candidates.length === 0) return [];
  return withoutOverlaps(candidates, normalized.text.length).map((found) => ({ ...found, ...normalized.toOriginal(found.start, found.end) }));
}

function withoutOverlaps(candidates: PersonalDataDetection[], textLength: number): PersonalDataDetection[] {
  const byPreference = [...candidates].sort(
    (a, b) => b.end - b.start - (a.end - a.start) || KIND_RANK[a.kind] - KIND_RANK[b.kind] || a.start - b.start,
  );
  // Spans are short (a number or an address), so marking their units is cheaper than comparing pairs.
  const taken = new Uint8Array(textLength);
  const kept: PersonalDataDetection[] = [];
  for (const candidate of byPreference) {
    if (taken.subarray(candidate.start, candidate.end).includes(1)) continue;
    taken.fill(1, candidate.start, candidate.end);
    kept.push(candidate);
  }
  return kept.sort((a, b) => a.start - b.start);
}
