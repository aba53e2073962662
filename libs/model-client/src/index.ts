export * from './chat-completions.api';
export * from './concurrency.limit';
export * from './embeddings.api';
export * from './openai-compatible.client';
export * from './retry.backoff';
export * from './token.usage';
