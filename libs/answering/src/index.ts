export * from './citation.builder';
export * from './conversation/conversation.store';
export * from './conversation/follow-up.rewriter';
export * from './ledger.recorder';
export * from './query.service';
export * from './query.types';
export * from './verification/answer.composer';
export * from './verification/answer.verifier';
