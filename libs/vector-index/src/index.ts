export * from './vector-index.module';
export * from './embedded/hnsw.vector-index';
export * from './milvus/milvus.vector-index';
export * from './milvus/milvus.collection-admin';
