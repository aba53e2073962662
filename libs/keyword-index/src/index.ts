export * from './keyword-index.module';
export * from './embedded/sqlite-fts.keyword-index';
export * from './elasticsearch/elasticsearch.keyword-index';
