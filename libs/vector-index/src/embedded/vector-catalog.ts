import Database from 'better-sqlite3';
import type { TenantId, VectorRecord } from '@rag/core';

/** What the index needs to know about a vector to filter it, kept in memory by label. */
export interface VectorMeta {
  readonly chunkId: string;
  readonly tenantId: TenantId;
  readonly collection: string;
  readonly documentId: string;
  readonly version: number;
  readonly aclGroups: readonly string[];
}

interface MetaRow {
  label: number;
  chunk_id: string;
  tenant_id: string;
  collection: string;
  document_id: string;
  version: number;
  acl: string;
}

/**
 * Labels are never reused (AUTOINCREMENT): hnswlib refuses to re-add a label it has marked deleted.
 * The durable half of the embedded vector index: every vector and its filter fields in SQLite.
 * The HNSW graph is a cache of this table and is rebuilt from it when its snapshot is stale.
 */
export class VectorCatalog {
  private readonly db: Database.Database;
  /** Statements compiled once, not per call: compiling them showed in the ingest profile. */
  private readonly statements = new Map<string, Database.Statement>();

  constructor(file: string) {
    this.db = new Database(file);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = NORMAL');
    this.db.exec(`
      CREATE TABLE IF NOT EXISTS vectors (
        label INTEGER PRIMARY KEY AUTOINCREMENT,
        chunk_id TEXT NOT NULL UNIQUE,
        tenant_id TEXT NOT NULL,
        collection TEXT NOT NULL,
        document_id TEXT NOT NULL,
        version INTEGER NOT NULL,
        acl TEXT NOT NULL,
        vector BLOB NOT NULL
      );
      CREATE TABLE IF NOT EXISTS settings (key TEXT PRIMARY KEY, value TEXT NOT NULL);
    `);
  }

  setting(key: string): string | undefined {
    const row = this.statement('SELECT value FROM settings WHERE key = ?').get(key) as { value: string } | undefined;
    return row?.value;
  }

  saveSetting(key: string, value: string): void {
    this.statement('INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value').run(key, value);
  }

  /** Writes the records and bumps the mutation counter in one transaction; returns their labels. */
  upsert(records: readonly VectorRecord[]): number[] {
    const insert = this.statement(`
      INSERT INTO vectors (chunk_id, tenant_id, collection, document_id, version, acl, vector)
      VALUES (@chunkId, @tenantId, @collection, @documentId, @version, @acl, @vector)
      ON CONFLICT(chunk_id) DO UPDATE SET tenant_id = excluded.tenant_id, collection = excluded.collection,
        document_id = excluded.document_id, version = excluded.version, acl = excluded.acl, vector = excluded.vector
      RETURNING label`);
    return this.db.transaction(() => {
      const labels = records.map((record) => {
        const row = insert.get({ ...record, acl: JSON.stringify(record.aclGroups), vector: toBlob(record.vector) }) as { label: number };
        return row.label;
      });
      this.bumpMutations();
      return labels;
    })();
  }

  /** Deletes the tenant's records with these chunk ids; returns the labels that were removed. */
  delete(tenantId: TenantId, chunkIds: readonly string[]): number[] {
    const remove = this.statement('DELETE FROM vectors WHERE chunk_id = ? AND tenant_id = ? RETURNING label');
    return this.db.transaction(() => {
      const labels = chunkIds.flatMap((chunkId) => (remove.all(chunkId, tenantId) as { label: number }[]).map((row) => row.label));
      this.bumpMutations();
      return labels;
    })();
  }

  chunkIdsOf(tenantId: TenantId, afterChunkId: string | null, limit: number): string[] {
    const rows = this.db
      .prepare('SELECT chunk_id FROM vectors WHERE tenant_id = ? AND chunk_id > ? ORDER BY chunk_id LIMIT ?')
      .all(tenantId, afterChunkId ?? '', limit) as { chunk_id: string }[];
    return rows.map((row) => row.chunk_id);
  }

  mutations(): number {
    return Number(this.setting('mutations') ?? '0');
  }

  *allMeta(): Generator<[number, VectorMeta]> {
    const rows = this.db.prepare('SELECT label, chunk_id, tenant_id, collection, document_id, version, acl FROM vectors').iterate() as IterableIterator<MetaRow>;
    for (const row of rows) yield [row.label, toMeta(row)];
  }

  *allVectors(): Generator<[number, Float32Array]> {
    const rows = this.db.prepare('SELECT label, vector FROM vectors').iterate() as IterableIterator<{ label: number; vector: Buffer }>;
    for (const row of rows) yield [row.label, fromBlob(row.vector)];
  }

  vectorsOf(labels: readonly number[]): Map<number, Float32Array> {
    const select = this.db.prepare('SELECT vector FROM vectors WHERE label = ?');
    const vectors = new Map<number, Float32Array>();
    for (const label of labels) {
      const row = select.get(label) as { vector: Buffer } | undefined;
      if (row) vectors.set(label, fromBlob(row.vector));
    }
    return vectors;
  }

  close(): void {
    this.db.close();
  }

  private statement(sql: string): Database.Statement {
    let statement = this.statements.get(sql);
    if (!statement) {
      statement = this.db.prepare(sql);
      this.statements.set(sql, statement);
    }
    return statement;
  }

  private bumpMutations(): void {
    this.saveSetting('mutations', String(this.mutations() + 1));
  }
}

function toMeta(row: MetaRow): VectorMeta {
  return {
    chunkId: row.chunk_id,
    tenantId: row.tenant_id as TenantId,
    collection: row.collection,
    documentId: row.document_id,
    version: row.version,
    aclGroups: JSON.parse(row.acl) as string[],
  };
}

function toBlob(vector: Float32Array): Buffer {
  return Buffer.from(vector.buffer, vector.byteOffset, vector.byteLength);
}

function fromBlob(blob: Buffer): Float32Array {
  const copy = new Uint8Array(blob.byteLength);
  copy.set(blob);
  return new Float32Array(copy.buffer);
}
