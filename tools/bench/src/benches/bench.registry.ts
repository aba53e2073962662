import type { BenchName, BenchOptions } from '../bench.options.js';
import type { BenchResult } from '../report/bench.report.js';
import { cacheHitBench } from './cache-hit.bench.js';
import { ingestBench } from './ingest.bench.js';
import { loadBench } from './load.bench.js';

export const BENCHES: Readonly<Record<BenchName, (options: BenchOptions) => Promise<BenchResult>>> = {
  'cache-hit': cacheHitBench,
  'fan-out': cacheHitBench,
  scale: cacheHitBench,
  ingest: ingestBench,
  load: loadBench,
};
