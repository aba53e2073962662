import { spawn } from 'node:child_process';
import { readFileSync, realpathSync } from 'node:fs';
import { join, resolve } from 'node:path';

export type StoreName = 'redis' | 'mariadb' | 'milvus' | 'elasticsearch';
export type FaultKind = 'SIGKILL' | 'SIGSTOP';

const PROJECT_ROOT = resolve(import.meta.dirname, '../..');
/** What a pid's command line must contain before this suite signals it (a pid file can outlive its process). */
const MARKERS: Record<StoreName, string> = { redis: 'redis-server', mariadb: 'mariadbd', milvus: 'milvus_server.py', elasticsearch: 'elasticsearch' };

/**
 * Kills, freezes and restarts the chaos suite's own stores, found by the pid files of
 * scripts/stores/start-test-stores.sh in STORES_DIR. Refuses to run on the shared `.stores` folder.
 */
export class StoreFaults {
  private readonly storesDir: string;

  constructor(env: NodeJS.ProcessEnv = process.env) {
    const dir = env.STORES_DIR;
    if (!dir) throw new Error('STORES_DIR is not set: run the chaos suite through scripts/chaos/run-chaos.sh, which starts its own stores.');
    if (resolve(dir) === join(PROJECT_ROOT, '.stores') || !resolve(dir).includes('chaos')) throw new Error(`Refusing to signal the stores in ${dir}: the chaos suite only touches its own (.chaos/stores).`);
    this.storesDir = resolve(dir);
  }

  /** The store's processes, the Elasticsearch server JVM first (its recorded pid is the launcher). */
  pids(store: StoreName): number[] {
    const recorded = this.livePid(join(this.storesDir, 'run', `${store}.pid`), MARKERS[store]);
    if (store !== 'elasticsearch') return recorded === null ? [] : [recorded];
    const server = this.livePid(join(realpathSync(join(this.storesDir, 'elasticsearch')), 'run', 'elasticsearch.pid'), 'org.elasticsearch');
    return [server, recorded].filter((pid) => pid !== null);
  }

  /** SIGKILL: every process of the store, and waits until they are gone. */
  async kill(store: StoreName): Promise<void> {
    const pids = this.pids(store);
    if (pids.length === 0) throw new Error(`${store} is not running in ${this.storesDir}`);
    for (const pid of pids) process.kill(pid, 'SIGKILL');
    for (let i = 0; i < 100 && pids.some(isAlive); i++) await sleep(100);
  }

  /** SIGSTOP: the store's server process freezes, its sockets stay open and silent. */
  freeze(store: StoreName): void {
    const [pid] = this.pids(store);
    if (pid === undefined) throw new Error(`${store} is not running in ${this.storesDir}`);
    process.kill(pid, 'SIGSTOP');
  }

  thaw(store: StoreName): void {
    const [pid] = this.pids(store);
    if (pid !== undefined) process.kill(pid, 'SIGCONT');
  }

  /** Starts what is not running, as CI does, and returns when every store answers its health check. */
  restart(): Promise<void> {
    return new Promise((resolveRun, reject) => {
      const child = spawn('bash', [join(PROJECT_ROOT, 'scripts/stores/start-test-stores.sh')], { env: process.env, stdio: ['ignore', 'ignore', 'pipe'] });
      let errors = '';
      child.stderr.on('data', (chunk: Buffer) => (errors += chunk.toString()));
      child.on('exit', (code) => (code === 0 ? resolveRun() : reject(new Error(`start-test-stores.sh exited with ${code}:\n${errors.slice(-4000)}`))));
    });
  }

  private livePid(file: string, marker: string): number | null {
    let pid: number;
    try {
      pid = Number(readFileSync(file, 'utf8').trim());
    } catch {
      return null;
    }
    if (!Number.isInteger(pid) || pid <= 0 || !isAlive(pid)) return null;
    try {
      return readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ').includes(marker) ? pid : null;
    } catch {
      return null;
    }
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
