import cliProgress from 'cli-progress';

/** Progress of one phase on stderr: a bar on a terminal, a line every tenth of the way otherwise. */
export interface Progress {
  update(done: number): void;
  stop(): void;
}

export function progressBar(label: string, total: number): Progress {
  if (process.stderr.isTTY) {
    const bar = new cliProgress.SingleBar(
      { format: `${label.padEnd(18)} [{bar}] {percentage}% | {value}/{total} | {duration_formatted} elapsed, eta {eta_formatted}`, stream: process.stderr, hideCursor: true },
      cliProgress.Presets.shades_classic,
    );
    bar.start(total, 0);
    return { update: (done) => bar.update(done), stop: () => bar.stop() };
  }
  let reported = -1;
  const started = performance.now();
  return {
    update: (done) => {
      const tenth = total === 0 ? 10 : Math.floor((done / total) * 10);
      if (tenth <= reported) return;
      reported = tenth;
      process.stderr.write(`${label}: ${done}/${total} (${((performance.now() - started) / 1000).toFixed(1)} s)\n`);
    },
    stop: () => undefined,
  };
}
