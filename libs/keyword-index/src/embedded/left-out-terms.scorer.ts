/** FTS5's bm25() constants (sqlite/ext/fts5/fts5_aux.c), so added scores are on its scale. */
const K1 = 1.2;
const B = 0.75;
const MIN_IDF = 1e-6;

/** What FTS5 knows about the whole table: its rows and their tokens, all columns together as bm25() counts them. */
export interface CorpusTotals {
  readonly rows: number;
  readonly tokens: number;
}

export interface LeftOutTerm {
  readonly term: string;
  /** Rows containing the term. */
  readonly rows: number;
}

/**
 * Reads FTS5's "averages" record (row id 1 of the `_data` table): a varint row count, then one
 * varint token total per column. These are the N and average length bm25() itself uses.
 */
export function corpusTotals(averages: Uint8Array): CorpusTotals {
  const rows = readVarint(averages, 0);
  let tokens = 0;
  for (let next = rows.next; next < averages.length; ) {
    const column = readVarint(averages, next);
    tokens += column.value;
    next = column.next;
  }
  return { rows: rows.value, tokens };
}

/**
 * The part of a row's BM25 score that terms left out of the MATCH would have added, with FTS5's
 * formula: their counts in the row's text (every column, space-separated, as stored), their IDF
 * from their document counts.
 */
export function leftOutScore(rowText: string, leftOut: readonly LeftOutTerm[], totals: CorpusTotals): number {
  const tokens = rowText.split(' ').filter((token) => token.length > 0);
  const wanted = new Map(leftOut.map((entry) => [entry.term, 0]));
  for (const token of tokens) {
    const count = wanted.get(token);
    if (count !== undefined) wanted.set(token, count + 1);
  }
  const averageLength = totals.rows === 0 ? 1 : totals.tokens / totals.rows;
  const lengthNorm = K1 * (1 - B + (B * tokens.length) / averageLength);
  let score = 0;
  for (const entry of leftOut) {
    const frequency = wanted.get(entry.term) ?? 0;
    if (frequency === 0) continue;
    const idf = Math.max(MIN_IDF, Math.log((totals.rows - entry.rows + 0.5) / (entry.rows + 0.5)));
    score += (idf * frequency * (K1 + 1)) / (frequency + lengthNorm);
  }
  return score;
}

/** SQLite's varint: big-endian groups of 7 bits with a continuation bit, the ninth byte whole. */
function readVarint(bytes: Uint8Array, offset: number): { value: number; next: number } {
  let value = 0;
  for (let i = 0; i < 9; i++) {
    const byte = bytes[offset + i] ?? 0;
    if (i === 8) return { value: value * 256 + byte, next: offset + 9 };
    value = value * 128 + (byte & 0x7f);
    if ((byte & 0x80) === 0) return { value, next: offset + i + 1 };
  }
  return { value, next: offset + 9 };
}
