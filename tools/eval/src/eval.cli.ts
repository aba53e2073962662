import { DatasetError } from './dataset/dataset.loader.js';
import { NotBuiltError, runEvaluation } from './eval.command.js';
import { parseEvalOptions, USAGE, UsageError } from './eval.options.js';
import { PeersNotInstalledError } from './peers/peer.runner.js';
import { isParseArgsError } from './cli.errors.js';

/** `npm run eval -- <dataset folder> [options]`: see USAGE. */
async function main(argv: readonly string[]): Promise<number> {
  let options;
  try {
    options = parseEvalOptions(argv);
  } catch (error) {
    if (!(error instanceof UsageError) && !isParseArgsError(error)) throw error;
    process.stderr.write(`${(error as Error).message}\n\n${USAGE}\n`);
    return 1;
  }
  if (options === 'help') {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  try {
    await runEvaluation(options, ['npm run eval --', ...argv].join(' '));
    return 0;
  } catch (error) {
    if (error instanceof DatasetError || error instanceof NotBuiltError || error instanceof UsageError || error instanceof PeersNotInstalledError) {
      process.stderr.write(`${error.message}\n`);
      return 1;
    }
    throw error;
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`The evaluation failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exitCode = 1;
  },
);
