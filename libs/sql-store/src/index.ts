export * from './sql-store.module';
export * from './kysely/kysely.sql-store';
export * from './sqlite/sqlite.connection';
export * from './mysql/mysql.connection';
