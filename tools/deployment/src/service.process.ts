import { type ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { join, resolve } from 'node:path';

/** The repository root: this file sits in `tools/deployment/src` (or `dist`). */
export const PROJECT_ROOT = resolve(import.meta.dirname, '../../..');

/** The built entry points of the product's processes. */
export const ENTRY = {
  allInOne: 'services/all-in-one/dist/main.js',
  gateway: 'services/gateway/dist/main.js',
  ingest: 'services/ingest/dist/main.js',
  worker: 'services/ingest/dist/worker.main.js',
} as const;

/** Keeps the last part of a process's output for error messages, so a long run cannot fill memory. */
const OUTPUT_LIMIT = 1_000_000;
/** Two minutes: on a loaded two-core machine a service checking four stores and a model server can take over 30 s. */
const READY_ATTEMPTS = 1_200;
const READY_POLL_MS = 100;
const START_GRACE_MS = 1_500;
const STOP_TIMEOUT_MS = 10_000;

export interface StartedProcess {
  readonly url: string;
  readonly output: () => string;
  stop(): Promise<void>;
  /** Kills the process with SIGKILL, as a crash would: no shutdown hook runs. */
  kill(): Promise<void>;
}

/**
 * Starts one of the product's built processes on loopback and waits until it is ready: `/readyz`
 * answers for an HTTP service, or it is still alive after a grace period for one without HTTP.
 * An aborted `signal` stops the process (or never starts it) and rejects with the abort reason.
 */
export async function startProcess(entry: string, env: Readonly<Record<string, string>>, url: string | null, signal?: AbortSignal): Promise<StartedProcess> {
  signal?.throwIfAborted();
  const child = spawn(process.execPath, [join(PROJECT_ROOT, entry)], {
    env: { ...process.env, HOST: '127.0.0.1', LOG_LEVEL: 'warn', WORKER_POLL_MS: '50', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const append = (chunk: Buffer) => {
    output += chunk.toString();
    if (output.length > OUTPUT_LIMIT) output = output.slice(-OUTPUT_LIMIT);
  };
  child.stdout?.on('data', append);
  child.stderr?.on('data', append);
  try {
    if (url) await waitUntilReady(url, child, () => output, signal);
    else await waitForStart(child, () => output, signal);
  } catch (error) {
    await stopProcess(child);
    throw error;
  }
  // A service that dies on its own mid-run (an index worker, say) would otherwise go unnoticed
  // until the run ends, and its output with it: say so at once, with the end of what it printed.
  let ending = false;
  child.once('exit', (code, signal) => {
    if (!ending) process.stderr.write(`${entry} (pid ${child.pid}) exited on its own with ${code ?? signal}; its last output:\n${output.slice(-2000)}\n`);
  });
  const end = (how: (child: ChildProcess) => Promise<void>) => () => {
    ending = true;
    return how(child);
  };
  return { url: url ?? '', output: () => output, stop: end(stopProcess), kill: end(killProcess) };
}

async function waitUntilReady(url: string, child: ChildProcess, output: () => string, signal?: AbortSignal): Promise<void> {
  for (let attempt = 0; attempt < READY_ATTEMPTS; attempt++) {
    if (child.exitCode !== null) throw new Error(`A service exited with ${child.exitCode}:\n${output()}`);
    try {
      if ((await fetch(`${url}/readyz`, { signal })).ok) return;
    } catch {
      // not listening yet (or aborted, which the sleep below reports)
    }
    await sleep(READY_POLL_MS, undefined, { signal });
  }
  throw new Error(`A service did not become ready at ${url}:\n${output()}`);
}

/** A process without HTTP is started when it is still alive after its stores had time to connect. */
async function waitForStart(child: ChildProcess, output: () => string, signal?: AbortSignal): Promise<void> {
  await sleep(START_GRACE_MS, undefined, { signal });
  if (child.exitCode !== null) throw new Error(`A service exited with ${child.exitCode}:\n${output()}`);
}

function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolveStop) => {
    const killer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
    child.once('exit', () => {
      clearTimeout(killer);
      resolveStop();
    });
    child.kill('SIGTERM');
  });
}

function killProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolveKill) => {
    child.once('exit', () => resolveKill());
    child.kill('SIGKILL');
  });
}

/** A loopback port that was free a moment ago. */
export function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolvePort(address.port) : reject(new Error('no port'))));
    });
  });
}
