import { type ColumnDataType, type Expression, type Kysely, sql } from 'kysely';
import type { Migration, MigrationProvider } from 'kysely/migration';

export type SqlDialectName = 'sqlite' | 'mysql';

/**
 * What differs between dialects: MySQL's TEXT stops at 64 KB, and its default collations compare
 * case- and accent-insensitively, which would make ACL group "Board" match "board" and reject
 * distinct ids as duplicates. Identifiers must compare exactly, as in SQLite and the indexes.
 */
interface DialectTypes {
  readonly largeText: ColumnDataType | Expression<unknown>;
  readonly mediumText: ColumnDataType | Expression<unknown>;
  readonly tableOptions: Expression<unknown> | null;
  /** SQLite cannot change a column's type, and does not enforce varchar lengths anyway. */
  readonly modifiesColumns: boolean;
  readonly blob: ColumnDataType | Expression<unknown>;
}

const TYPES: Record<SqlDialectName, DialectTypes> = {
  sqlite: { largeText: 'text', mediumText: 'text', tableOptions: null, modifiesColumns: false, blob: 'blob' },
  mysql: { largeText: sql`longtext`, mediumText: sql`mediumtext`, tableOptions: sql`DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin`, modifiesColumns: true, blob: sql`mediumblob` },
};

function createTable(db: Kysely<unknown>, types: DialectTypes, name: string) {
  const builder = db.schema.createTable(name);
  return types.tableOptions === null ? builder : builder.modifyEnd(types.tableOptions);
}

/**
 * Versioned schema migrations, written once for every SQL dialect the store supports.
 * Append new migrations; never edit one that has shipped.
 */
const migrations = (types: DialectTypes): Record<string, Migration> => ({
  '0001_documents_chunks_outbox_ledger': {
    async up(db: Kysely<unknown>): Promise<void> {
      await createTable(db, types, 'documents')
        .addColumn('id', 'varchar(40)', (c) => c.primaryKey())
        .addColumn('tenant_id', 'varchar(64)', (c) => c.notNull())
        .addColumn('collection', 'varchar(128)', (c) => c.notNull())
        .addColumn('external_id', 'varchar(256)', (c) => c.notNull())
        .addColumn('title', 'varchar(512)', (c) => c.notNull())
        .addColumn('acl_groups', 'text', (c) => c.notNull())
        .addColumn('metadata', 'text', (c) => c.notNull())
        .addColumn('status', 'varchar(16)', (c) => c.notNull())
        .addColumn('active_version', 'integer')
        .addColumn('latest_version', 'integer', (c) => c.notNull())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('updated_at', 'bigint', (c) => c.notNull())
        .addUniqueConstraint('documents_external_key', ['tenant_id', 'collection', 'external_id'])
        .execute();

      await createTable(db, types, 'document_acl')
        .addColumn('document_id', 'varchar(40)', (c) => c.notNull())
        .addColumn('group_name', 'varchar(128)', (c) => c.notNull())
        .addPrimaryKeyConstraint('document_acl_pk', ['document_id', 'group_name'])
        .execute();

      await createTable(db, types, 'document_versions')
        .addColumn('document_id', 'varchar(40)', (c) => c.notNull())
        .addColumn('version', 'integer', (c) => c.notNull())
        .addColumn('tenant_id', 'varchar(64)', (c) => c.notNull())
        .addColumn('status', 'varchar(16)', (c) => c.notNull())
        .addColumn('content_type', 'varchar(64)', (c) => c.notNull())
        .addColumn('content_hash', 'varchar(64)', (c) => c.notNull())
        .addColumn('content', types.largeText, (c) => c.notNull())
        .addColumn('chunk_count', 'integer', (c) => c.notNull())
        .addColumn('failure_reason', 'text')
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('indexed_at', 'bigint')
        .addPrimaryKeyConstraint('document_versions_pk', ['document_id', 'version'])
        .execute();

      await createTable(db, types, 'chunks')
        .addColumn('id', 'varchar(128)', (c) => c.primaryKey())
        .addColumn('tenant_id', 'varchar(64)', (c) => c.notNull())
        .addColumn('document_id', 'varchar(40)', (c) => c.notNull())
        .addColumn('version', 'integer', (c) => c.notNull())
        .addColumn('node_id', 'varchar(64)', (c) => c.notNull())
        .addColumn('ordinal', 'integer', (c) => c.notNull())
        .addColumn('section_path', 'text', (c) => c.notNull())
        .addColumn('text', types.mediumText, (c) => c.notNull())
        .addColumn('content_hash', 'varchar(64)', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('chunks_by_version').on('chunks').columns(['document_id', 'version', 'ordinal']).execute();

      await createTable(db, types, 'outbox')
        .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
        .addColumn('tenant_id', 'varchar(64)', (c) => c.notNull())
        .addColumn('kind', 'varchar(32)', (c) => c.notNull())
        .addColumn('document_id', 'varchar(40)', (c) => c.notNull())
        .addColumn('version', 'integer', (c) => c.notNull())
        .addColumn('status', 'varchar(16)', (c) => c.notNull())
        .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('available_at', 'bigint', (c) => c.notNull())
        .addColumn('claimed_by', 'varchar(128)')
        .addColumn('claimed_until', 'bigint')
        .addColumn('last_error', 'text')
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('updated_at', 'bigint', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('outbox_due').on('outbox').columns(['status', 'available_at']).execute();

      await createTable(db, types, 'ledger')
        .addColumn('request_id', 'varchar(64)', (c) => c.primaryKey())
        .addColumn('tenant_id', 'varchar(64)', (c) => c.notNull())
        .addColumn('kind', 'varchar(16)', (c) => c.notNull())
        .addColumn('query', types.mediumText, (c) => c.notNull())
        .addColumn('mode', 'varchar(16)', (c) => c.notNull())
        .addColumn('collection', 'varchar(128)')
        .addColumn('cache_hit', 'integer', (c) => c.notNull())
        .addColumn('degraded', 'text', (c) => c.notNull())
        .addColumn('hits', types.mediumText, (c) => c.notNull())
        .addColumn('answer', types.mediumText)
        .addColumn('citations', types.mediumText, (c) => c.notNull())
        .addColumn('trace', types.mediumText, (c) => c.notNull())
        .addColumn('latency_ms', 'integer', (c) => c.notNull())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('ledger_by_tenant_time').on('ledger').columns(['tenant_id', 'created_at']).execute();
    },
  },
  '0002_sessions_and_verification': {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema.alterTable('ledger').addColumn('rewritten_query', types.mediumText).execute();
      await db.schema.alterTable('ledger').addColumn('session_id', 'varchar(40)').execute();
      await db.schema.alterTable('ledger').addColumn('verification', types.mediumText).execute();

      await createTable(db, types, 'chat_sessions')
        .addColumn('id', 'varchar(40)', (c) => c.primaryKey())
        .addColumn('tenant_id', 'varchar(64)', (c) => c.notNull())
        .addColumn('subject', 'varchar(256)', (c) => c.notNull())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .execute();

      await createTable(db, types, 'chat_messages')
        .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
        .addColumn('session_id', 'varchar(40)', (c) => c.notNull())
        .addColumn('tenant_id', 'varchar(64)', (c) => c.notNull())
        .addColumn('role', 'varchar(16)', (c) => c.notNull())
        .addColumn('content', types.mediumText, (c) => c.notNull())
        .addColumn('rewritten_query', types.mediumText)
        .addColumn('request_id', 'varchar(64)', (c) => c.notNull())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('chat_messages_by_session').on('chat_messages').columns(['session_id', 'id']).execute();
    },
  },
  '0003_api_keys_and_audit': {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema.alterTable('ledger').addColumn('subject', 'varchar(256)').execute();
      await createTable(db, types, 'api_keys')
        .addColumn('id', 'varchar(40)', (c) => c.primaryKey())
        .addColumn('tenant_id', 'varchar(64)', (c) => c.notNull())
        .addColumn('name', 'varchar(128)', (c) => c.notNull())
        .addColumn('prefix', 'varchar(16)', (c) => c.notNull())
        .addColumn('secret_hash', 'varchar(64)', (c) => c.notNull().unique())
        .addColumn('subject', 'varchar(256)', (c) => c.notNull())
        .addColumn('scopes', 'text', (c) => c.notNull())
        .addColumn('groups_json', 'text', (c) => c.notNull())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('expires_at', 'bigint')
        .addColumn('revoked_at', 'bigint')
        .execute();
      await db.schema.createIndex('api_keys_by_tenant').on('api_keys').columns(['tenant_id', 'created_at']).execute();

      await createTable(db, types, 'audit_log')
        .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
        .addColumn('tenant_id', 'varchar(64)', (c) => c.notNull())
        .addColumn('actor', 'varchar(256)', (c) => c.notNull())
        .addColumn('action', 'varchar(64)', (c) => c.notNull())
        .addColumn('target', 'varchar(256)', (c) => c.notNull())
        .addColumn('details', types.mediumText, (c) => c.notNull())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('audit_by_tenant_time').on('audit_log').columns(['tenant_id', 'id']).execute();
    },
  },
  '0004_outbox_steps_and_embedding_cache': {
    async up(db: Kysely<unknown>): Promise<void> {
      // Document status shows each step of the latest event, so the steps are kept with it.
      for (const column of ['claimed_at', 'embedded_at', 'indexed_at', 'activated_at', 'completed_at']) {
        await db.schema.alterTable('outbox').addColumn(column, 'bigint').execute();
      }
      await db.schema.alterTable('outbox').addColumn('chunks_embedded', 'integer').execute();
      await db.schema.alterTable('outbox').addColumn('chunks_reused', 'integer').execute();
      await db.schema.createIndex('outbox_by_document').on('outbox').columns(['document_id', 'id']).execute();

      await createTable(db, types, 'embedding_cache')
        .addColumn('model_id', 'varchar(191)', (c) => c.notNull())
        .addColumn('text_hash', 'varchar(64)', (c) => c.notNull())
        .addColumn('vector', types.blob, (c) => c.notNull())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addPrimaryKeyConstraint('embedding_cache_pk', ['model_id', 'text_hash'])
        .execute();
    },
  },
  '0005_feedback_and_outbox_trace_context': {
    async up(db: Kysely<unknown>): Promise<void> {
      // The W3C traceparent of the submitting request, so the worker's spans join its trace.
      await db.schema.alterTable('outbox').addColumn('trace_context', 'varchar(128)').execute();
      await createTable(db, types, 'feedback')
        .addColumn('tenant_id', 'varchar(64)', (c) => c.notNull())
        .addColumn('request_id', 'varchar(64)', (c) => c.notNull())
        .addColumn('subject', 'varchar(256)', (c) => c.notNull())
        .addColumn('rating', 'varchar(8)', (c) => c.notNull())
        .addColumn('comment', 'text')
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addPrimaryKeyConstraint('feedback_pk', ['tenant_id', 'request_id', 'subject'])
        .execute();
      await db.schema.createIndex('feedback_by_tenant_time').on('feedback').columns(['tenant_id', 'created_at']).execute();
    },
  },
  // The DOCX media type is 71 characters long.
  '0006_content_type_128': {
    async up(db: Kysely<unknown>): Promise<void> {
      if (!types.modifiesColumns) return;
      await db.schema.alterTable('document_versions').modifyColumn('content_type', 'varchar(128)', (c) => c.notNull()).execute();
    },
  },
  /**
   * Chunk ids are derived from content, so an unchanged chunk is one row shared by the versions
   * that hold it; which versions hold it (and where in each) moves to `version_chunks`. Rows written
   * before keep their versioned ids, one membership each, so an upgraded deployment needs no re-index.
   */
  '0007_version_chunks': {
    async up(db: Kysely<unknown>): Promise<void> {
      await createTable(db, types, 'version_chunks')
        .addColumn('tenant_id', 'varchar(64)', (c) => c.notNull())
        .addColumn('document_id', 'varchar(40)', (c) => c.notNull())
        .addColumn('version', 'integer', (c) => c.notNull())
        .addColumn('chunk_id', 'varchar(128)', (c) => c.notNull())
        .addColumn('node_id', 'varchar(64)', (c) => c.notNull())
        .addColumn('ordinal', 'integer', (c) => c.notNull())
        .addPrimaryKeyConstraint('version_chunks_pk', ['document_id', 'version', 'chunk_id'])
        .execute();
      // Hydration looks a hit's chunk id up and keeps it only in the document's active version.
      await db.schema.createIndex('version_chunks_by_chunk').on('version_chunks').columns(['chunk_id', 'version']).execute();
      await db.schema.createIndex('version_chunks_by_order').on('version_chunks').columns(['document_id', 'version', 'ordinal']).execute();
      await sql`INSERT INTO version_chunks (tenant_id, document_id, version, chunk_id, node_id, ordinal) SELECT tenant_id, document_id, version, id, node_id, ordinal FROM chunks`.execute(db);
      await db.schema.alterTable('outbox').addColumn('chunks_written', 'integer').execute();
      await db.schema.alterTable('outbox').addColumn('chunks_unchanged', 'integer').execute();
    },
  },
});

export function migrationProvider(dialect: SqlDialectName): MigrationProvider {
  return { getMigrations: () => Promise.resolve(migrations(TYPES[dialect])) };
}
