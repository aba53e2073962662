export * from './cache-key';
export * from './deadline';
export * from './retrieval.service';
export * from './rrf.fusion';
export * from './navigate/index';
export * from './convex.fusion';
export * from './hit.fusion';
