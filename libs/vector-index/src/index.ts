export * from './vector-index.module';
export * from './embedded/hnsw.vector-index';
