export * from './bench.options.js';
export type { BenchReport } from './report/bench.report.js';
