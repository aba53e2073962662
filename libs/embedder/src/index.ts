export * from './embedder.module';
export * from './lexical/lexical-hash.embedder';
