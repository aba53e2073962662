import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { freePort } from '@rag/deployment';

const READY_TIMEOUT_MS = 15_000;

export interface BareRoute {
  readonly url: string;
  stop(): Promise<void>;
}

/** Starts the bare Fastify + Redis GET route in a process of its own and waits until it listens. */
export async function startBareRoute(redisUrl: string, key: string): Promise<BareRoute> {
  const port = await freePort();
  const entry = join(import.meta.dirname, '../bare/bare-redis.server.js');
  const child = spawn(process.execPath, [entry, String(port), redisUrl, key], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`The bare Redis route did not start within ${READY_TIMEOUT_MS / 1000} s:\n${output}`)), READY_TIMEOUT_MS);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('listening')) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`The bare Redis route exited with ${code}:\n${output}`));
    });
  });
  return {
    url: `http://127.0.0.1:${port}`,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}
