import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { Kysely, SqliteDialect, type SqliteDatabase } from 'kysely';
import { LRUCache } from 'lru-cache';
import type { DatabaseSchema } from '../kysely/database.schema';

/** Distinct SQL texts kept compiled; `IN (?, ?, …)` lists of every length each count as one. */
const PREPARED_STATEMENTS = 500;

/** A Kysely connection to a SQLite file in WAL mode, the embedded stand-in for MySQL. */
export function connectSqlite(file: string): Kysely<DatabaseSchema> {
  mkdirSync(dirname(file), { recursive: true });
  const database = new Database(file);
  database.pragma('journal_mode = WAL');
  // No sync per commit: WAL keeps the file consistent and loses nothing when the process
  // crashes; only a power cut or OS crash can drop the last commits, the embedded profile's trade.
  database.pragma('synchronous = NORMAL');
  database.pragma('busy_timeout = 5000');
  database.pragma('foreign_keys = ON');
  return new Kysely<DatabaseSchema>({ dialect: new SqliteDialect({ database: withPreparedStatements(database) }) });
}

/**
 * Kysely's SQLite driver compiles every query again (a tenth of the ingest path's CPU in a
 * profile); the same SQL text reuses its compiled statement instead. Safe because better-sqlite3
 * runs `all` and `run` to completion synchronously (nothing here streams with `iterate`), and
 * SQLite re-prepares a statement itself after a schema change.
 */
function withPreparedStatements(database: Database.Database): SqliteDatabase {
  const statements = new LRUCache<string, Database.Statement>({ max: PREPARED_STATEMENTS });
  return {
    close: () => database.close(),
    prepare: (sql) => {
      let statement = statements.get(sql);
      if (!statement) {
        statement = database.prepare(sql);
        statements.set(sql, statement);
      }
      return statement;
    },
  };
}
