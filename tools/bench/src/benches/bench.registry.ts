import type { BenchName, BenchOptions } from '../bench.options.js';
import type { BenchResult } from '../report/bench.report.js';
import { cacheHitBench } from './cache-hit.bench.js';
import { fanOutBench } from './fan-out.bench.js';
import { ingestBench } from './ingest.bench.js';
import { loadBench } from './load.bench.js';
import { scaleBench } from './scale.bench.js';

export const BENCHES: Readonly<Record<BenchName, (options: BenchOptions) => Promise<BenchResult>>> = {
  'cache-hit': cacheHitBench,
  'fan-out': fanOutBench,
  scale: scaleBench,
  ingest: ingestBench,
  load: loadBench,
};
