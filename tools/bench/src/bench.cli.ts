import { basename, dirname, extname, join } from 'node:path';
import { DatasetError, isParseArgsError } from '@rag/eval';
import { type BenchName, type BenchOptions, parseBenchOptions, USAGE, UsageError } from './bench.options.js';
import { BENCHES } from './benches/bench.registry.js';
import { completeReport, markdownReport, runContext, writeJson } from './report/bench.report.js';
import { MissingPrerequisiteError } from './run/product.starter.js';

/** `npm run bench -- <name> [options]`: see USAGE. */
async function main(argv: readonly string[]): Promise<number> {
  let options;
  try {
    options = parseBenchOptions(argv, process.env);
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
    for (const name of options.names) await runOne(name, options, ['npm run bench --', ...argv].join(' '));
    return 0;
  } catch (error) {
    if (error instanceof MissingPrerequisiteError || error instanceof DatasetError) {
      process.stderr.write(`${error.message}\n`);
      return 1;
    }
    throw error;
  }
}

async function runOne(name: BenchName, options: BenchOptions, command: string): Promise<void> {
  process.stderr.write(`Running the ${name} benchmark${options.quick ? ' (quick)' : ''}...\n`);
  const context = runContext(name, options.quick, command);
  const report = completeReport(context, await BENCHES[name](options));
  process.stdout.write(`${markdownReport(report)}\n`);
  if (options.json) {
    const file = options.names.length > 1 ? jsonFileFor(options.json, name) : options.json;
    writeJson(file, report);
    process.stderr.write(`Wrote ${file}\n`);
  }
}

/** With several benches, `out/speed.json` becomes `out/speed.cache-hit.json` and so on. */
function jsonFileFor(file: string, name: BenchName): string {
  const extension = extname(file) || '.json';
  return join(dirname(file), `${basename(file, extname(file))}.${name}${extension}`);
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`The benchmark failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exitCode = 1;
  },
);
