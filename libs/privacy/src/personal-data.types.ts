/** The kinds of personal data this lib finds. */
export type PersonalDataKind = 'resident-id' | 'bank-card' | 'mobile' | 'email';

/** One finding, as UTF-16 offsets into the string that was searched (`end` exclusive). */
export interface PersonalDataMatch {
  kind: PersonalDataKind;
  start: number;
  end: number;
}

/**
 * What to do with personal data on its way into logs, traces and the query ledger: `mask` keeps a
 * small readable part, `hash` replaces it with a keyed digest that correlates without revealing,
 * `keep` leaves it (for stores that are themselves cleared to hold it).
 */
export type PiiPolicy = 'mask' | 'hash' | 'keep';

/** A finding with its canonical value (digits, upper-case X, lower-case e-mail) for hashing. */
export interface PersonalDataDetection extends PersonalDataMatch {
  value: string;
}
