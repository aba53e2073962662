import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { KeywordIndex, KeywordQuery, KeywordRecord, StoreHealth, StoreHit, TenantId } from '@rag/core';
import { analyze, analyzeQuery } from '@rag/text-analysis';
import { filterTerm } from './filter-terms';

export interface SqliteFtsKeywordIndexSettings {
  readonly directory: string;
}

interface HitRow {
  chunk_id: string;
  document_id: string;
  version: number;
  bm25: number;
}

/**
 * The embedded keyword index: SQLite FTS5 with its standard BM25 ranking (k1 1.2, b 0.75) over
 * terms from the project's analyzer, so Chinese is segmented by jieba exactly as at query time.
 * Tenant, collection and ACL are indexed as filter terms in their own columns and matched inside
 * the same FTS query; those columns carry weight 0 so they never change a score.
 */
export class SqliteFtsKeywordIndex implements KeywordIndex {
  private readonly db: Database.Database;

  private constructor(file: string) {
    this.db = new Database(file);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = NORMAL');
    this.db.exec(`
      CREATE TABLE IF NOT EXISTS chunks (
        rowid INTEGER PRIMARY KEY AUTOINCREMENT,
        chunk_id TEXT NOT NULL UNIQUE,
        tenant_id TEXT NOT NULL,
        document_id TEXT NOT NULL,
        version INTEGER NOT NULL
      );
      CREATE VIRTUAL TABLE IF NOT EXISTS chunk_terms USING fts5(
        terms, filters, acl, tokenize = 'unicode61 remove_diacritics 0'
      );
    `);
  }

  static open(settings: SqliteFtsKeywordIndexSettings): SqliteFtsKeywordIndex {
    mkdirSync(settings.directory, { recursive: true });
    return new SqliteFtsKeywordIndex(join(settings.directory, 'keywords.sqlite'));
  }

  async upsert(records: readonly KeywordRecord[]): Promise<void> {
    const analyzed = records.map((record) => ({ record, terms: analyze([record.title, ...record.sectionPath, record.text].join('\n')).join(' ') }));
    const upsertRow = this.db.prepare(`
      INSERT INTO chunks (chunk_id, tenant_id, document_id, version) VALUES (?, ?, ?, ?)
      ON CONFLICT(chunk_id) DO UPDATE SET tenant_id = excluded.tenant_id, document_id = excluded.document_id, version = excluded.version
      RETURNING rowid`);
    const removeTerms = this.db.prepare('DELETE FROM chunk_terms WHERE rowid = ?');
    const insertTerms = this.db.prepare('INSERT INTO chunk_terms (rowid, terms, filters, acl) VALUES (?, ?, ?, ?)');
    this.db.transaction(() => {
      for (const { record, terms } of analyzed) {
        const { rowid } = upsertRow.get(record.chunkId, record.tenantId, record.documentId, record.version) as { rowid: number };
        removeTerms.run(rowid);
        insertTerms.run(rowid, terms, filterTermsOf(record), record.aclGroups.map((group) => filterTerm('g', group)).join(' '));
      }
    })();
  }

  async delete(tenantId: TenantId, chunkIds: readonly string[]): Promise<void> {
    const removeRow = this.db.prepare('DELETE FROM chunks WHERE chunk_id = ? AND tenant_id = ? RETURNING rowid');
    const removeTerms = this.db.prepare('DELETE FROM chunk_terms WHERE rowid = ?');
    this.db.transaction(() => {
      for (const chunkId of chunkIds) {
        const row = removeRow.get(chunkId, tenantId) as { rowid: number } | undefined;
        if (row) removeTerms.run(row.rowid);
      }
    })();
  }

  async search(query: KeywordQuery): Promise<StoreHit[]> {
    const expression = matchExpression(query);
    if (expression === null) return [];
    const rows = this.db
      .prepare(`
        SELECT c.chunk_id, c.document_id, c.version, bm25(chunk_terms, 1.0, 0.0, 0.0) AS bm25
        FROM chunk_terms JOIN chunks c ON c.rowid = chunk_terms.rowid
        WHERE chunk_terms MATCH ?
        ORDER BY bm25 LIMIT ?`)
      .all(expression, query.topK) as HitRow[];
    // FTS5 reports BM25 negated so that ascending order is best first.
    return rows.map((row) => ({ chunkId: row.chunk_id, documentId: row.document_id, version: row.version, score: -row.bm25 }));
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
}

function filterTermsOf(record: KeywordRecord): string {
  return `${filterTerm('t', record.tenantId)} ${filterTerm('c', record.tenantId, record.collection)}`;
}

/** Builds the FTS5 query: any query term, within the tenant, the collection and the readable ACL groups. */
function matchExpression(query: KeywordQuery): string | null {
  const terms = analyzeQuery(query.text);
  // No terms match nothing, and neither does an empty ACL list (which FTS5 could not even parse).
  if (terms.length === 0 || (query.scope.groups !== 'all' && query.scope.groups.length === 0)) return null;
  const clauses = [`terms : (${terms.map(quote).join(' OR ')})`, `filters : ${quote(filterTerm('t', query.scope.tenantId))}`];
  if (query.collection !== undefined) clauses.push(`filters : ${quote(filterTerm('c', query.scope.tenantId, query.collection))}`);
  if (query.scope.groups !== 'all') {
    clauses.push(`acl : (${query.scope.groups.map((group) => quote(filterTerm('g', group))).join(' OR ')})`);
  }
  return clauses.join(' AND ');
}

/** FTS5 strings are double-quoted with inner quotes doubled, which neutralises its query syntax. */
function quote(term: string): string {
  return `"${term.replaceAll('"', '""')}"`;
}
