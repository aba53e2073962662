import { CompiledQuery, type DatabaseConnection, Kysely, MysqlDialect, sql } from 'kysely';
import { createPool } from 'mysql2';
import { StoreError } from '@rag/core';
import type { DatabaseSchema } from '../kysely/database.schema';

const POOL_SIZE = 10;
const CONNECT_TIMEOUT_MS = 5_000;

/** A Kysely connection pool to MySQL 8.4 (or MariaDB 10.6+), checked once before use. */
export async function connectMysql(url: string): Promise<Kysely<DatabaseSchema>> {
  const pool = createPool({ uri: url, connectionLimit: POOL_SIZE, connectTimeout: CONNECT_TIMEOUT_MS, charset: 'utf8mb4_unicode_ci', supportBigNumbers: true, bigNumberStrings: false, timezone: 'Z' });
  // READ COMMITTED: the outbox and document writes need no gap locks, and InnoDB's default
  // (REPEATABLE READ) takes them and deadlocks concurrent submissions.
  const onCreateConnection = async (connection: DatabaseConnection) => {
    await connection.executeQuery(CompiledQuery.raw('SET SESSION TRANSACTION ISOLATION LEVEL READ COMMITTED'));
  };
  const db = new Kysely<DatabaseSchema>({ dialect: new MysqlDialect({ pool, onCreateConnection }) });
  try {
    await sql`SELECT 1`.execute(db);
  } catch (error) {
    await db.destroy().catch(() => undefined);
    const reason = error instanceof Error ? error.message : 'unknown error';
    throw new StoreError('mysql', 'STORE_UNAVAILABLE', `Cannot reach MySQL at ${redactUrl(url)} (MYSQL_URL): ${reason}`, { cause: error });
  }
  return db;
}

/** Connection strings carry a password; never put it in an error message. */
function redactUrl(url: string): string {
  return url.replace(/\/\/([^@/]*)@/, '//***@');
}
