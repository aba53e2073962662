import { mkdirSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { dirname } from 'node:path';
import { PROJECT_ROOT } from '@rag/deployment';
import { type CommitInfo, commitInfo, type MachineInfo, machineInfo } from '@rag/eval';

/** A table as printed: a caption, column names and rows of already formatted cells. */
export interface Table {
  readonly caption: string;
  readonly columns: readonly string[];
  readonly rows: readonly (readonly string[])[];
}

/** A target from the issues, with what was measured; reported, never asserted. */
export interface TargetCheck {
  readonly name: string;
  readonly target: string;
  readonly measured: string;
  readonly met: boolean;
}

/** What a benchmark measured, before the run's context is added. */
export interface BenchResult {
  readonly settings: Readonly<Record<string, unknown>>;
  readonly figures: unknown;
  readonly tables: readonly Table[];
  readonly targets: readonly TargetCheck[];
  readonly notes: readonly string[];
}

export interface BenchReport extends BenchResult {
  readonly format: 'rag-bench/1';
  readonly bench: string;
  readonly quick: boolean;
  readonly command: string;
  readonly date: string;
  readonly seconds: number;
  readonly commit: CommitInfo;
  readonly machine: MachineInfo & { readonly loadAverageAtStart: readonly number[] };
}

export interface RunContext {
  readonly bench: string;
  readonly quick: boolean;
  readonly command: string;
  readonly date: string;
  readonly started: number;
  readonly commit: CommitInfo;
  readonly loadAverageAtStart: readonly number[];
}

export function runContext(bench: string, quick: boolean, command: string): RunContext {
  return { bench, quick, command, date: new Date().toISOString(), started: performance.now(), commit: commitInfo(PROJECT_ROOT), loadAverageAtStart: loadavg().map(round2) };
}

export function completeReport(context: RunContext, result: BenchResult): BenchReport {
  return {
    format: 'rag-bench/1',
    bench: context.bench,
    quick: context.quick,
    command: context.command,
    date: context.date,
    seconds: round2((performance.now() - context.started) / 1000),
    commit: context.commit,
    machine: { ...machineInfo(), loadAverageAtStart: context.loadAverageAtStart },
    ...result,
  };
}

/** The report as Markdown: each table, the targets, the notes and the run's context. */
export function markdownReport(report: BenchReport): string {
  const { machine } = report;
  const lines = [`## ${report.bench}${report.quick ? ' (quick)' : ''}`, ''];
  for (const table of report.tables) lines.push(...markdownTable(table), '');
  if (report.targets.length > 0) {
    lines.push(...markdownTable({ caption: 'Targets (reported, not asserted)', columns: ['target', 'goal', 'measured', 'met'], rows: report.targets.map((t) => [t.name, t.target, t.measured, t.met ? 'yes' : 'no']) }), '');
  }
  for (const note of report.notes) lines.push(`- ${note}`);
  if (report.notes.length > 0) lines.push('');
  lines.push(
    `\`${report.command}\` · commit ${report.commit.hash?.slice(0, 10) ?? 'unknown'}${report.commit.uncommitted.length > 0 ? ` (+${report.commit.uncommitted.length} uncommitted paths)` : ''} · ${report.date} · ` +
      `${machine.cores} × ${machine.cpuModel}, ${machine.memoryGiB} GiB, Node ${machine.node}, load average at start ${report.machine.loadAverageAtStart.join(' ')} · ${report.seconds} s`,
    '',
  );
  return lines.join('\n');
}

function markdownTable(table: Table): string[] {
  return [`**${table.caption}**`, '', `| ${table.columns.join(' | ')} |`, `|${table.columns.map(() => '---').join('|')}|`, ...table.rows.map((row) => `| ${row.join(' | ')} |`)];
}

export function writeJson(file: string, report: BenchReport): void {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`);
}

export function round2(value: number): number {
  return Math.round(value * 100) / 100;
}

/** Milliseconds as a table cell. */
export function ms(value: number): string {
  return value >= 100 ? value.toFixed(0) : value.toFixed(value >= 10 ? 1 : 2);
}

export function mib(bytes: number): string {
  return (bytes / 2 ** 20).toFixed(0);
}
