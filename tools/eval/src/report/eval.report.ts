import type { AnswerReport } from '../answers/answer.runner.js';
import type { FitResult } from '../fusion/fusion.fitter.js';
import type { PeerResult } from '../peers/peer.runner.js';
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
    readonly sample: { readonly queries: number; readonly corpus: number } | null;
    readonly corpus: number;
    readonly queries: number;
    /** `article` when whole documents were ingested and hits scored by the articles they hold. */
    readonly scoredBy?: 'article';
  };
  readonly profile: 'embedded' | 'full';
  readonly embedder: 'lexical' | 'model';
  /** Settings the product ran with beyond its defaults (no addresses or secrets). */
  readonly productSettings: Readonly<Record<string, string>>;
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
  /** Other retrievers over the same corpus and queries (`--peers`). */
  readonly peers: readonly PeerResult[];
  /** Why the peers have no rows, when they failed or were stopped. */
  readonly peersError: string | null;
  /** Fusion weights fitted on the dev split (`--fit`). */
  readonly fit: FitResult | null;
  /** Answers through /v1/chat scored against gold answers (`--answers`). */
  readonly answers: AnswerReport | null;
}
