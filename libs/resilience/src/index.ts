export * from './dependency.guard';
export * from './guarded.port';
export * from './guarded.model-ports';
