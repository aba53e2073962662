import { DatasetError } from './dataset/dataset.loader.js';
import { NotBuiltError, runEvaluation } from './eval.command.js';
import { parseEvalOptions, USAGE, UsageError } from './eval.options.js';
import { PeersNotInstalledError } from './peers/peer.runner.js';

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

/** node:util parseArgs reports an unknown or malformed option as a TypeError with an ERR_PARSE_ARGS_* code. */
function isParseArgsError(error: unknown): boolean {
  return error instanceof TypeError && 'code' in error && String(error.code).startsWith('ERR_PARSE_ARGS');
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
