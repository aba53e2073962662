import { resolve } from 'node:path';
import { parseArgs } from 'node:util';

export const BENCH_NAMES = ['cache-hit', 'fan-out', 'scale', 'ingest', 'load'] as const;
export type BenchName = (typeof BENCH_NAMES)[number];
export const TRAFFIC_KINDS = ['search', 'chat', 'mixed'] as const;
export type TrafficKind = (typeof TRAFFIC_KINDS)[number];
const TRAFFIC_CHOICES = [...TRAFFIC_KINDS, 'all'] as const;

export interface BenchOptions {
  readonly names: readonly BenchName[];
  readonly quick: boolean;
  readonly json: string | null;
  /** Where the public datasets live; the quick runs use the repository's own fixture instead. */
  readonly datasets: string;
  /** `scale`: chunk counts to grow the corpus to, overriding the defaults. */
  readonly sizes: readonly number[] | null;
  /** `load`: a gateway already running (with `key`), else one is started. */
  readonly url: string | null;
  readonly key: string | null;
  /** load: the profile of the gateway it starts (default embedded); ingest: only this profile (default both). */
  readonly profile: 'embedded' | 'full' | null;
  readonly durationSeconds: number | null;
  readonly connections: number | null;
  readonly traffic: readonly TrafficKind[];
}

export const USAGE = `Usage: npm run bench -- <name>|all [--quick] [--json FILE] [options]

Speed benchmarks of the built product (run npm run build first). Each prints a Markdown table to
stdout and, with --json, writes machine, Node version, commit, date, settings and figures. None
asserts a timing: targets are reported as met or missed.

  cache-hit   gateway /v1/chat on a cached question vs a bare Fastify route doing one Redis GET
  fan-out     gateway /v1/search (full profile, real embedder) vs the embedder, Milvus and
              Elasticsearch called directly with the same queries
  scale       embedded /v1/search p50/p95 and RSS at 10k, 100k and 1M chunks
  ingest      chunks/s end to end and update-to-visible latency, embedded and full profiles
  load        search, chat or mixed traffic against a running or self-started gateway
  all         every one of the above in turn

  --quick            a small sample (what CI runs)
  --json FILE        write the figures as JSON (with "all", one file per bench: FILE's name + bench)
  --datasets DIR     the public datasets (default ../shared/datasets)
  --sizes LIST       scale: chunk counts, comma-separated (default 10000,100000,1000000)
  --url URL          load: a running gateway (needs --key or RAG_API_KEY); default: start one
  --key KEY          load: its API key with the query scope
  --profile NAME     load: embedded (default) or full, for the gateway it starts;
                     ingest: only this profile (default: both)
  --duration SECONDS load: how long each traffic kind runs (default 60, quick 2)
  --connections N    load: concurrent connections (default 16, quick 4)
  --traffic KIND     load: search, chat, mixed or all, one after another (default all)

Full-profile benches need the test servers (scripts/stores/start-test-stores.sh, then
source .stores/urls.env) and fan-out and ingest also the model servers
(scripts/models/start-model-servers.sh, then source .models/urls.env).`;

/** A command line the tool cannot run; the message says what is wrong. */
export class UsageError extends Error {}

export function parseBenchOptions(argv: readonly string[], env: Readonly<Record<string, string | undefined>>): BenchOptions | 'help' {
  const { values, positionals } = parseArgs({
    args: [...argv],
    allowPositionals: true,
    strict: true,
    options: {
      quick: { type: 'boolean', default: false },
      json: { type: 'string' },
      datasets: { type: 'string', default: '../shared/datasets' },
      sizes: { type: 'string' },
      url: { type: 'string' },
      key: { type: 'string' },
      profile: { type: 'string' },
      duration: { type: 'string' },
      connections: { type: 'string' },
      traffic: { type: 'string', default: 'all' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) return 'help';
  // npm runs scripts from the project root; paths are meant from where the user typed them.
  const fromCaller = (path: string) => resolve(env.INIT_CWD ?? process.cwd(), path);
  const url = values.url ?? null;
  const key = values.key ?? env.RAG_API_KEY ?? null;
  if (url !== null && key === null) throw new UsageError('--url: a running gateway needs an API key with the query scope (--key or RAG_API_KEY).');
  return {
    names: parseNames(positionals),
    quick: values.quick,
    json: values.json === undefined ? null : fromCaller(values.json),
    datasets: fromCaller(values.datasets),
    sizes: values.sizes === undefined ? null : values.sizes.split(',').map((size) => positiveInteger('--sizes', size.trim())),
    url,
    key,
    profile: values.profile === undefined ? null : parseChoice('--profile', values.profile, ['embedded', 'full'] as const),
    durationSeconds: values.duration === undefined ? null : positiveInteger('--duration', values.duration),
    connections: values.connections === undefined ? null : positiveInteger('--connections', values.connections),
    traffic: parseTraffic(values.traffic),
  };
}

function parseNames(positionals: readonly string[]): BenchName[] {
  if (positionals.length !== 1) throw new UsageError(positionals.length === 0 ? `Name a benchmark: ${BENCH_NAMES.join(', ')} or all.` : `One benchmark name (or all), not ${positionals.join(', ')}.`);
  const name = positionals[0] as string;
  if (name === 'all') return [...BENCH_NAMES];
  return [parseChoice('benchmark name', name, BENCH_NAMES)];
}

function parseTraffic(value: string): TrafficKind[] {
  const kind = parseChoice('--traffic', value, TRAFFIC_CHOICES);
  return kind === 'all' ? [...TRAFFIC_KINDS] : [kind];
}

function parseChoice<T extends string>(what: string, value: string, choices: readonly T[]): T {
  if ((choices as readonly string[]).includes(value)) return value as T;
  throw new UsageError(`${what}: "${value}"; choose from ${choices.join(', ')}.`);
}

function positiveInteger(what: string, text: string): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1) throw new UsageError(`${what}: "${text}"; give a whole number of at least 1.`);
  return value;
}
