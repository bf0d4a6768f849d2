import type { ControlResult, MutantDatabase, VariantResult } from './mutant-verdict.js';

/** What reports/mutants.json holds. */
export interface MutantsReport {
  readonly finishedAt: string;
  /** Arguments given to every suite run besides the report options; empty means the default budget. */
  readonly suiteArgs: readonly string[];
  /** Where the control's and most variants' servers kept their change log (each variant names its own). */
  readonly database: MutantDatabase;
  /** Undefined when the control run was left out (only with --variant). */
  readonly control: ControlResult | undefined;
  readonly variants: readonly VariantResult[];
  readonly caught: number;
  /** Every variant caught under its requirements, and the control passed. */
  readonly passed: boolean;
}

export function mutantsReport(
  control: ControlResult | undefined,
  variants: readonly VariantResult[],
  suiteArgs: readonly string[],
  database: MutantDatabase,
): MutantsReport {
  const caught = variants.filter((result) => result.status === 'caught').length;
  return {
    finishedAt: new Date().toISOString(),
    suiteArgs,
    database,
    control,
    variants,
    caught,
    passed: (control?.passed ?? true) && caught === variants.length,
  };
}

const seconds = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;

/** At most `max` ids, the expected ones first, then how many more failed. */
function failedColumn(result: VariantResult, max = 5): string {
  if (result.failed.length === 0) return result.problem ?? '-';
  const ordered = [...result.failed.filter((id) => result.caughtUnder.includes(id)), ...result.failed.filter((id) => !result.caughtUnder.includes(id))];
  const shown = ordered.slice(0, max).join(' ');
  return ordered.length > max ? `${shown} +${ordered.length - max}` : shown;
}

/** The table a person reads: variant → expected requirement → result → what failed → steps → time to find. */
export function mutantTable(report: MutantsReport): string {
  const rows: string[][] = [['variant', 'caught under', 'result', 'requirements that failed', 'steps', 'database', 'time']];
  for (const result of report.variants) {
    rows.push([
      result.variant,
      result.caughtUnder.join(' '),
      result.status,
      failedColumn(result),
      result.counterexampleSteps === undefined ? '-' : String(result.counterexampleSteps),
      result.database,
      seconds(result.wallMs),
    ]);
  }
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => row[column]!.length)));
  const lines = rows.map((row) => row.map((cell, column) => (column === row.length - 1 ? cell : cell.padEnd(widths[column]!))).join('  ').trimEnd());
  lines.splice(1, 0, widths.map((width) => '-'.repeat(width)).join('  '));
  const control = report.control;
  const controlLine =
    control === undefined
      ? 'control: not run (--no-control): this run does not show that the suite passes the unpatched server'
      : control.passed
        ? `control: the unpatched server passes (exit 0) in ${seconds(control.wallMs)}`
        : `control: the unpatched server FAILS (exit ${control.exitCode}${control.failed.length > 0 ? `; ${control.failed.join(' ')}` : ''}${control.problem === undefined ? '' : `; ${control.problem}`}): the suite or the server is broken, no variant result means anything`;
  const budget = report.suiteArgs.length === 0 ? 'default budget' : `suite arguments: ${report.suiteArgs.join(' ')} (not the default budget)`;
  const notes = report.variants.filter((result) => result.problem !== undefined && result.failed.length > 0).map((result) => `note: ${result.variant}: ${result.problem!}`);
  return [
    ...lines,
    ...notes,
    '',
    controlLine,
    `${report.caught} of ${report.variants.length} variants caught under their requirements (${budget}, servers on ${report.database}${report.variants.some((result) => result.database !== report.database) ? ', PostgreSQL for the variants that need it' : ''})`,
  ].join('\n');
}
