import { describe, expect, it } from 'vitest';
import { BENCH_NAMES, parseBenchOptions, UsageError } from './bench.options.js';

const parse = (...argv: string[]) => parseBenchOptions(argv, { INIT_CWD: '/home/user/project' });

describe('parseBenchOptions', () => {
  it('takes a benchmark name with the quick flag and a JSON path meant from where the user typed it', () => {
    expect(parse('cache-hit', '--quick', '--json', 'out/speed.json')).toMatchObject({ names: ['cache-hit'], quick: true, json: '/home/user/project/out/speed.json', profile: null, traffic: ['search', 'chat', 'mixed'] });
  });

  it('runs every benchmark for all', () => {
    expect(parse('all')).toMatchObject({ names: [...BENCH_NAMES] });
  });

  it('reads the load settings and the scale sizes', () => {
    expect(parse('load', '--url', 'http://127.0.0.1:8080', '--key', 'rag_x', '--duration', '600', '--connections', '32', '--traffic', 'chat')).toMatchObject({ url: 'http://127.0.0.1:8080', key: 'rag_x', durationSeconds: 600, connections: 32, traffic: ['chat'] });
    expect(parse('scale', '--sizes', '10000, 100000')).toMatchObject({ sizes: [10_000, 100_000] });
  });

  it('names what is wrong: an unknown benchmark, a bad number, a gateway without a key', () => {
    expect(() => parse('warp-speed')).toThrow(new UsageError('benchmark name: "warp-speed"; choose from cache-hit, fan-out, scale, ingest, load.'));
    expect(() => parse('load', '--duration', '0')).toThrow('--duration: "0"; give a whole number of at least 1.');
    expect(() => parse('load', '--url', 'http://127.0.0.1:8080')).toThrow('--url: a running gateway needs an API key with the query scope (--key or RAG_API_KEY).');
    expect(() => parse()).toThrow('Name a benchmark');
  });

  it('takes the key of a running gateway from RAG_API_KEY', () => {
    expect(parseBenchOptions(['load', '--url', 'http://127.0.0.1:8080'], { RAG_API_KEY: 'rag_env' })).toMatchObject({ key: 'rag_env' });
  });
});
