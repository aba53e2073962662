export * from './dataset/dataset.loader.js';
export * from './dataset/dataset.subset.js';
export * from './metrics/document.ranking.js';
export * from './metrics/latency.summary.js';
export * from './metrics/ranking.metrics.js';
export type { EvalReport } from './report/eval.report.js';
export * from './report/run.context.js';
export * from './run/product.client.js';
export * from './run/task.pool.js';
