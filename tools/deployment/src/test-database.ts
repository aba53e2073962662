import { connectMysql } from '@rag/sql-store';
import { sql } from 'kysely';

/** Creates an empty database on the test MySQL server and returns its URL. */
export async function createDatabase(serverUrl: string, name: string): Promise<string> {
  const db = await connectMysql(serverUrl);
  try {
    await sql.raw(`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`).execute(db);
  } finally {
    await db.destroy();
  }
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

export async function dropDatabase(serverUrl: string, name: string): Promise<void> {
  const db = await connectMysql(serverUrl);
  try {
    await sql.raw(`DROP DATABASE IF EXISTS \`${name}\``).execute(db);
  } finally {
    await db.destroy();
  }
}
