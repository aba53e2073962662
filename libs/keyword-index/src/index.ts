export * from './keyword-index.module';
export * from './embedded/sqlite-fts.keyword-index';
