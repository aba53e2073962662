export * from './chunking/structure-tree';
export * from './chunking/structure.chunker';
export * from './indexing/index.worker';
export * from './ingest.service';
export * from './parsing/content-block';
export * from './parsing/document.parser';
export * from './indexing/index.rebuilder';
export * from './indexing/index.writer';
