export * from './citation.builder';
export * from './ledger.recorder';
export * from './query.service';
export * from './query.types';
