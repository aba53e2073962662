import type { IngestFailure } from '../run/ingest.runner.js';
import type { ModeResult } from '../run/query.runner.js';
import type { CommitInfo, MachineInfo } from './run.context.js';

/** Everything one evaluation run measured, as written to `--json`. */
export interface EvalReport {
  readonly format: 'rag-eval/1';
  readonly dataset: {
    readonly name: string;
    readonly folder: string;
    readonly quick: boolean;
    readonly corpus: number;
    readonly queries: number;
    /** `article` when whole documents were ingested and hits scored by the articles they hold. */
    readonly scoredBy?: 'article';
  };
  readonly profile: 'embedded' | 'full';
  readonly topK: number;
  readonly command: string;
  readonly date: string;
  readonly commit: CommitInfo;
  readonly machine: MachineInfo;
  readonly ingest: {
    readonly documents: number;
    readonly indexed: number;
    readonly failed: number;
    readonly failures: readonly IngestFailure[];
    readonly chunks: number;
    readonly seconds: number;
    readonly submitSeconds: number;
    readonly documentsPerSecond: number;
    readonly chunksPerSecond: number;
  };
  readonly modes: readonly ModeResult[];
}
