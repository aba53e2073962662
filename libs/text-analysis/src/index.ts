export * from './analyzer';
export * from './normalize';
export * from './sentences';
