import { execFileSync } from 'node:child_process';
import { cpus, loadavg, release, totalmem } from 'node:os';

export interface MachineInfo {
  readonly cpuModel: string;
  readonly cores: number;
  readonly memoryGiB: number;
  readonly node: string;
  readonly os: string;
  /** 1, 5 and 15 minute load averages when the run started and ended: speed figures depend on them. */
  readonly load?: { readonly start: readonly number[]; readonly end: readonly number[] };
}

export interface CommitInfo {
  readonly hash: string | null;
  /** Paths with uncommitted changes when the run started: the build measured may differ from the commit. */
  readonly uncommitted: readonly string[];
}

/** The 1, 5 and 15 minute load averages, to two decimals. */
export function loadAverages(): number[] {
  return loadavg().map((load) => Math.round(load * 100) / 100);
}

export function machineInfo(): MachineInfo {
  const processors = cpus();
  return {
    cpuModel: processors[0]?.model.trim() ?? 'unknown',
    cores: processors.length,
    memoryGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    node: process.version,
    os: `${process.platform} ${release()}`,
  };
}

export function commitInfo(projectRoot: string): CommitInfo {
  const git = (...args: string[]) => execFileSync('git', args, { cwd: projectRoot, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  try {
    const hash = git('rev-parse', 'HEAD').trim();
    const uncommitted = git('status', '--porcelain')
      .split('\n')
      .filter((line) => line.trim().length > 0)
      .map((line) => line.slice(3));
    return { hash, uncommitted };
  } catch {
    return { hash: null, uncommitted: [] };
  }
}
