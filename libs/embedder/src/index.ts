export * from './embedder.module';
export * from './lexical/lexical-hash.embedder';
export * from './openai/openai.embedder';
