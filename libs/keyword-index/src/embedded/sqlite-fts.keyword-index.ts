import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { LRUCache } from 'lru-cache';
import type { KeywordIndex, KeywordQuery, KeywordRecord, StoreHealth, StoreHit, TenantId } from '@rag/core';
import { analyze, analyzeQuery } from '@rag/text-analysis';
import { filterTerm } from './filter-terms';
import { corpusTotals, leftOutScore, type LeftOutTerm } from './left-out-terms.scorer';

export interface SqliteFtsKeywordIndexSettings {
  readonly directory: string;
  /** How many matching rows a query may score (EMBEDDED_KEYWORD_SCORED_ROWS); 0: every one. */
  readonly scoredRows?: number;
}

/**
 * How many matching rows a query may score. FTS5 computes bm25() for every row that matches any
 * query term, and a Chinese query's character bigrams match a large share of a Chinese corpus
 * (40 % of 20k chunks in the scale bench), so an unbounded OR grows linearly with the corpus.
 * The rarest terms whose document counts fit this budget are the ones matched; the commoner
 * terms left out have the lowest IDF, and their share is added to the best rows afterwards.
 */
const DEFAULT_SCORED_ROWS = 4_000;
/**
 * When terms were left out, this many best rows (per wanted hit, at least 64) get the left-out
 * terms' share of BM25 added before the final cut, so their order is the full query's.
 */
const RESCORED_PER_HIT = 2;
const MIN_RESCORED = 64;

/**
 * Document counts only choose which terms to match, so a minute-old count is good enough, and
 * looking up each query term in fts5vocab took a few milliseconds per query.
 */
const TERM_COUNTS_CACHED = 50_000;
const TERM_COUNT_TTL_MS = 60_000;

interface HitRow {
  chunk_id: string;
  document_id: string;
  version: number;
  bm25: number;
  rowid: number;
}

/** The terms the MATCH uses, and those left out of it for their cost. */
interface TermSelection {
  readonly matched: readonly string[];
  readonly leftOut: readonly LeftOutTerm[];
}

/**
 * The embedded keyword index: SQLite FTS5 with its standard BM25 ranking (k1 1.2, b 0.75) over
 * terms from the project's analyzer, so Chinese is segmented by jieba exactly as at query time.
 * Tenant, collection and ACL are indexed as filter terms in their own columns and matched inside
 * the same FTS query; those columns carry weight 0 so they never change a score.
 */
export class SqliteFtsKeywordIndex implements KeywordIndex {
  private readonly db: Database.Database;
  private readonly documentCount: Database.Statement<[string], number | undefined>;
  private readonly termCounts = new LRUCache<string, number>({ max: TERM_COUNTS_CACHED, ttl: TERM_COUNT_TTL_MS });
  /** Statements compiled once, not per call: compiling them showed in the ingest profile. */
  private readonly statements = new Map<string, Database.Statement>();

  private constructor(
    file: string,
    private readonly scoredRows: number,
  ) {
    this.db = new Database(file);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = NORMAL');
    this.db.exec(`
      CREATE TABLE IF NOT EXISTS chunks (
        rowid INTEGER PRIMARY KEY AUTOINCREMENT,
        chunk_id TEXT NOT NULL UNIQUE,
        tenant_id TEXT NOT NULL,
        document_id TEXT NOT NULL,
        version INTEGER NOT NULL,
        collection_key TEXT
      );
      CREATE VIRTUAL TABLE IF NOT EXISTS chunk_terms USING fts5(
        terms, filters, acl, tokenize = 'unicode61 remove_diacritics 0'
      );
      CREATE VIRTUAL TABLE IF NOT EXISTS chunk_vocabulary USING fts5vocab(chunk_terms, 'row');
    `);
    this.addCollectionKeys();
    this.documentCount = this.db.prepare<[string], number>('SELECT doc FROM chunk_vocabulary WHERE term = ?').pluck();
  }

  /**
   * Folders written before tenant and collection were filtered in SQL lack the column: it is
   * filled from each row's filter terms (`t<hash> c<hash>`), so no re-index is needed.
   */
  private addCollectionKeys(): void {
    const columns = this.db.prepare('SELECT name FROM pragma_table_info(?)').pluck().all('chunks') as string[];
    if (columns.includes('collection_key')) return;
    this.db.transaction(() => {
      this.db.exec('ALTER TABLE chunks ADD COLUMN collection_key TEXT');
      this.db.exec(`UPDATE chunks SET collection_key = (SELECT substr(filters, instr(filters, ' ') + 1) FROM chunk_terms WHERE chunk_terms.rowid = chunks.rowid)`);
    })();
  }

  static open(settings: SqliteFtsKeywordIndexSettings): SqliteFtsKeywordIndex {
    mkdirSync(settings.directory, { recursive: true });
    return new SqliteFtsKeywordIndex(join(settings.directory, 'keywords.sqlite'), settings.scoredRows ?? DEFAULT_SCORED_ROWS);
  }

  async upsert(records: readonly KeywordRecord[]): Promise<void> {
    const analyzed = records.map((record) => ({ record, terms: analyze([record.title, ...record.sectionPath, record.text].join('\n')).join(' ') }));
    const upsertRow = this.statement(`
      INSERT INTO chunks (chunk_id, tenant_id, document_id, version, collection_key) VALUES (?, ?, ?, ?, ?)
      ON CONFLICT(chunk_id) DO UPDATE SET tenant_id = excluded.tenant_id, document_id = excluded.document_id, version = excluded.version,
        collection_key = excluded.collection_key
      RETURNING rowid`);
    const removeTerms = this.statement('DELETE FROM chunk_terms WHERE rowid = ?');
    const insertTerms = this.statement('INSERT INTO chunk_terms (rowid, terms, filters, acl) VALUES (?, ?, ?, ?)');
    this.db.transaction(() => {
      for (const { record, terms } of analyzed) {
        const { rowid } = upsertRow.get(record.chunkId, record.tenantId, record.documentId, record.version, collectionKey(record.tenantId, record.collection)) as { rowid: number };
        removeTerms.run(rowid);
        insertTerms.run(rowid, terms, filterTermsOf(record), record.aclGroups.map((group) => filterTerm('g', group)).join(' '));
      }
    })();
  }

  async delete(tenantId: TenantId, chunkIds: readonly string[]): Promise<void> {
    const removeRow = this.statement('DELETE FROM chunks WHERE chunk_id = ? AND tenant_id = ? RETURNING rowid');
    const removeTerms = this.statement('DELETE FROM chunk_terms WHERE rowid = ?');
    this.db.transaction(() => {
      for (const chunkId of chunkIds) {
        const row = removeRow.get(chunkId, tenantId) as { rowid: number } | undefined;
        if (row) removeTerms.run(row.rowid);
      }
    })();
  }

  async search(query: KeywordQuery): Promise<StoreHit[]> {
    // An empty ACL list matches nothing (and FTS5 could not even parse it).
    if (query.scope.groups !== 'all' && query.scope.groups.length === 0) return [];
    const selection = this.selectTerms(analyzeQuery(query.text));
    if (selection.matched.length === 0) return [];
    const parameters: unknown[] = [matchExpression(selection.matched, query), query.scope.tenantId];
    if (query.collection !== undefined) parameters.push(collectionKey(query.scope.tenantId, query.collection));
    const limit = selection.leftOut.length === 0 ? query.topK : Math.max(MIN_RESCORED, query.topK * RESCORED_PER_HIT);
    const rows = this.searchStatement(query.collection !== undefined).all(...parameters, limit) as HitRow[];
    // FTS5 reports BM25 negated so that ascending order is best first.
    const hits = rows.map((row) => ({ chunkId: row.chunk_id, documentId: row.document_id, version: row.version, score: -row.bm25 }));
    if (selection.leftOut.length === 0) return hits;
    return this.withLeftOutTerms(hits, rows, selection.leftOut).slice(0, query.topK);
  }

  /** Adds the left-out terms' share to each hit's score and sorts again. */
  private withLeftOutTerms(hits: StoreHit[], rows: readonly HitRow[], leftOut: readonly LeftOutTerm[]): StoreHit[] {
    const totals = corpusTotals(this.statement('SELECT block FROM chunk_terms_data WHERE id = 1').pluck().get() as Buffer);
    // Read only now, for these rows: selected in the MATCH query, every candidate's text would be read.
    // bm25() measures a row's length over every column, so the filter and ACL terms count too.
    const termsOf = this.statement(`SELECT terms || ' ' || filters || ' ' || acl FROM chunk_terms WHERE rowid = ?`).pluck();
    return hits
      .map((hit, i) => ({ ...hit, score: hit.score + leftOutScore(termsOf.get((rows[i] as HitRow).rowid) as string, leftOut, totals) }))
      .sort((a, b) => b.score - a.score);
  }

  /**
   * Tenant and collection are checked on the joined row, not in the MATCH: as filter terms they
   * match nearly every row, and FTS5 would walk and count their whole posting lists per query.
   */
  private searchStatement(byCollection: boolean): Database.Statement {
    return this.statement(`
      SELECT c.chunk_id, c.document_id, c.version, bm25(chunk_terms, 1.0, 0.0, 0.0) AS bm25, c.rowid
      FROM chunk_terms JOIN chunks c ON c.rowid = chunk_terms.rowid
      WHERE chunk_terms MATCH ? AND c.tenant_id = ?${byCollection ? ' AND c.collection_key = ?' : ''}
      ORDER BY bm25 LIMIT ?`);
  }

  /**
   * The query's terms, rarest first, while their document counts fit the budget (at least one).
   * A term the vocabulary does not list costs nothing and stays: it is absent, or a phrase of
   * several FTS5 tokens that only the MATCH itself can look up.
   */
  private selectTerms(terms: readonly string[]): TermSelection {
    if (this.scoredRows === 0) return { matched: terms, leftOut: [] };
    const counted = terms.map((term) => ({ term, rows: this.rowsContaining(term) }));
    counted.sort((a, b) => a.rows - b.rows);
    let kept = 0;
    let rows = 0;
    while (kept < counted.length && (kept === 0 || rows + (counted[kept] as LeftOutTerm).rows <= this.scoredRows)) {
      rows += (counted[kept] as LeftOutTerm).rows;
      kept++;
    }
    return { matched: counted.slice(0, kept).map((entry) => entry.term), leftOut: counted.slice(kept) };
  }

  async listChunkIds(tenantId: TenantId, afterChunkId: string | null, limit: number): Promise<string[]> {
    const rows = this.db
      .prepare('SELECT chunk_id FROM chunks WHERE tenant_id = ? AND chunk_id > ? ORDER BY chunk_id LIMIT ?')
      .all(tenantId, afterChunkId ?? '', limit) as { chunk_id: string }[];
    return rows.map((row) => row.chunk_id);
  }

  health(): Promise<StoreHealth> {
    const { count } = this.db.prepare('SELECT count(*) AS count FROM chunks').get() as { count: number };
    return Promise.resolve({ ok: true, adapter: 'sqlite-fts5', detail: `${count} chunks` });
  }

  close(): Promise<void> {
    this.db.close();
    return Promise.resolve();
  }

  private rowsContaining(term: string): number {
    let rows = this.termCounts.get(term);
    if (rows === undefined) {
      rows = this.documentCount.get(term) ?? 0;
      this.termCounts.set(term, rows);
    }
    return rows;
  }

  private statement(sql: string): Database.Statement {
    let statement = this.statements.get(sql);
    if (!statement) {
      statement = this.db.prepare(sql);
      this.statements.set(sql, statement);
    }
    return statement;
  }
}

function filterTermsOf(record: KeywordRecord): string {
  return `${filterTerm('t', record.tenantId)} ${collectionKey(record.tenantId, record.collection)}`;
}

/** The FTS5 query: any of the matched terms, within the readable ACL groups. */
function matchExpression(terms: readonly string[], query: KeywordQuery): string {
  const clauses = [`terms : (${terms.map(quote).join(' OR ')})`];
  if (query.scope.groups !== 'all') {
    clauses.push(`acl : (${query.scope.groups.map((group) => quote(filterTerm('g', group))).join(' OR ')})`);
  }
  return clauses.join(' AND ');
}

function collectionKey(tenantId: TenantId, collection: string): string {
  return filterTerm('c', tenantId, collection);
}

/** FTS5 strings are double-quoted with inner quotes doubled, which neutralises its query syntax. */
function quote(term: string): string {
  return `"${term.replaceAll('"', '""')}"`;
}
