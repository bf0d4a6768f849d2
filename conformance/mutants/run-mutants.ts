/**
 * `npm run test:mutants`: the suite checks itself. Runs the real `mana-conformance run` (default
 * budget) against an unpatched copy of the repository, which must pass, and against one copy per
 * variant of the reference server with one seeded protocol bug, each of which must fail with its
 * expected requirements FAIL. Prints the table, writes reports/mutants.json (and each run's reports
 * under reports/mutants/<variant>/), and exits 0 only when every variant is caught.
 *
 * Exit status: 0 every variant caught and the control passed; 1 otherwise; 2 on a usage error, a
 * variant whose edits no longer apply to the source (named), or no node_modules, before anything runs.
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { judgeControl, judgeVariant, notRun, type ControlResult, type VariantResult } from './mutant-verdict.js';
import { mutantsReport, mutantTable } from './mutant-table.js';
import { patchedCopy, patchedSources } from './patched-copy.js';
import { startPostgresServer } from './postgres-server.js';
import { runSuite } from './suite-run.js';
import { VARIANTS, type Variant } from './variants.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const REPORTS = join(ROOT, 'reports');

const HELP = `Usage: npm run test:mutants -- [options]

Runs the conformance suite (default budget) against the unpatched reference server, which must pass,
and against every variant of conformance/mutants/variants.ts, each of which must fail under its
requirements. Writes reports/mutants.json and reports/mutants/<variant>/.

Options:
  --variant <name>      only these variants (repeatable, comma-separated)
  --no-control          leave out the control run (only with --variant, while developing a variant)
  --jobs <n>            suite runs at the same time, 1 or 2 (default 1; the machine has 2 cores)
  --only <pattern>      passed to every suite run (development only: not the default budget)
  --timeout <seconds>   failure bound of one suite run (default 300)
  --database-url <url>  run each copy's server as a process on this PostgreSQL (a schema per run)
                        instead of in-process on PGlite, whose transactions never overlap; the
                        variants that need overlapping transactions use DATABASE_URL without it
  --keep                keep the repository copies (their paths are printed)
  --list                list the variants with their requirements and bugs, run nothing
  --help                this text`;

interface MutantOptions {
  variants: readonly Variant[];
  control: boolean;
  jobs: number;
  suiteArgs: string[];
  timeoutMs: number;
  keep: boolean;
  databaseUrl: string | undefined;
}

class RunnerUsageError extends Error {}

function parseOptions(args: readonly string[]): MutantOptions | 'help' | 'list' {
  let values;
  try {
    ({ values } = parseArgs({
      args: [...args],
      options: {
        variant: { type: 'string', multiple: true },
        'no-control': { type: 'boolean' },
        jobs: { type: 'string' },
        only: { type: 'string', multiple: true },
        timeout: { type: 'string' },
        'database-url': { type: 'string' },
        keep: { type: 'boolean' },
        list: { type: 'boolean' },
        help: { type: 'boolean' },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    throw new RunnerUsageError((error as Error).message);
  }
  if (values.help === true) return 'help';
  if (values.list === true) return 'list';
  const names = (values.variant ?? []).flatMap((value) => value.split(',')).map((name) => name.trim()).filter((name) => name !== '');
  const unknown = names.filter((name) => !VARIANTS.some((variant) => variant.name === name));
  if (unknown.length > 0) throw new RunnerUsageError(`unknown variant ${unknown.join(', ')}; see --list`);
  if (values['no-control'] === true && names.length === 0) throw new RunnerUsageError('--no-control needs --variant: a complete run must show that the unpatched server passes');
  const jobs = Number(values.jobs ?? '1');
  if (jobs !== 1 && jobs !== 2) throw new RunnerUsageError('--jobs must be 1 or 2');
  const timeout = Number(values.timeout ?? '300');
  if (!Number.isInteger(timeout) || timeout <= 0) throw new RunnerUsageError('--timeout needs a positive number of seconds');
  return {
    variants: names.length === 0 ? VARIANTS : VARIANTS.filter((variant) => names.includes(variant.name)),
    control: values['no-control'] !== true,
    jobs,
    suiteArgs: (values.only ?? []).flatMap((pattern) => ['--only', pattern]),
    timeoutMs: timeout * 1000,
    keep: values.keep === true,
    databaseUrl: values['database-url'],
  };
}

/** Every edit of every variant, applied in memory: why each variant that no longer applies does not. */
function staleVariants(variants: readonly Variant[]): string[] {
  return variants.flatMap((variant) => {
    try {
      patchedSources(ROOT, variant);
      return [];
    } catch (error) {
      return [(error as Error).message];
    }
  });
}

/** Runs `work` over `items` with at most `jobs` at a time; results in the items' order. */
async function inPool<T, R>(items: readonly T[], jobs: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(jobs, items.length) }, worker));
  return results;
}

async function main(args: readonly string[]): Promise<number> {
  let options;
  try {
    options = parseOptions(args);
  } catch (error) {
    if (!(error instanceof RunnerUsageError)) throw error;
    console.error(`test:mutants: ${error.message}`);
    return 2;
  }
  if (options === 'help') {
    console.log(HELP);
    return 0;
  }
  if (options === 'list') {
    for (const variant of VARIANTS) console.log(`${variant.name.padEnd(30)} ${variant.caughtUnder.join(' ').padEnd(10)} ${variant.bug}`);
    return 0;
  }
  const stale = staleVariants(options.variants);
  if (stale.length > 0) {
    for (const problem of stale) console.error(`test:mutants: ${problem}`);
    return 2;
  }
  // Every copy links this node_modules: without it each run would end at once as "broken".
  if (!existsSync(join(ROOT, 'node_modules', 'tsx', 'package.json'))) {
    console.error(`test:mutants: ${join(ROOT, 'node_modules')} lacks tsx, which every copy links; run npm ci first`);
    return 2;
  }
  const { suiteArgs, timeoutMs, keep, databaseUrl } = options;
  type Job = { kind: 'control' } | { kind: 'variant'; variant: Variant };
  const jobs: Job[] = [...(options.control ? [{ kind: 'control' as const }] : []), ...options.variants.map((variant) => ({ kind: 'variant' as const, variant }))];
  console.log(`test:mutants: ${options.variants.length} variants${options.control ? ' and the control' : ''}, ${options.jobs} at a time${suiteArgs.length > 0 ? `, suite arguments ${suiteArgs.join(' ')}` : ''}`);
  let done = 0;
  const outcomes = await inPool(jobs, options.jobs, async (job): Promise<ControlResult | VariantResult> => {
    const name = job.kind === 'control' ? 'control' : job.variant.name;
    const reportDir = join(REPORTS, 'mutants', name);
    const needsPostgres = job.kind === 'variant' && job.variant.database === 'postgresql';
    const url = databaseUrl ?? (needsPostgres ? process.env.DATABASE_URL || undefined : undefined);
    if (job.kind === 'variant' && needsPostgres && url === undefined) {
      const result = notRun(job.variant, reportDir);
      console.log(`[${++done}/${jobs.length}] ${name}: not run; ${result.problem!}`);
      return result;
    }
    const copy = patchedCopy(ROOT, job.kind === 'control' ? undefined : job.variant);
    const server = url === undefined ? undefined : await startPostgresServer(copy.dir, url, timeoutMs).catch((error: unknown) => error as Error);
    try {
      const run =
        server instanceof Error
          ? { exitCode: null, report: undefined, wallMs: 0, reportDir, problem: server.message }
          : await runSuite({ repository: copy.dir, reportDir, suiteArgs: [...(server?.suiteArgs ?? []), ...suiteArgs], timeoutMs });
      const result = job.kind === 'control' ? judgeControl(run) : judgeVariant(job.variant, run, url === undefined ? 'in-process PGlite' : 'PostgreSQL');
      const failed = result.failed.length > 0 ? result.failed.join(' ') : 'nothing failed';
      const verdict = `${'status' in result ? result.status : result.passed ? 'passed' : 'FAILED'} (${failed})${result.problem === undefined ? '' : `; ${result.problem}`}`;
      console.log(`[${++done}/${jobs.length}] ${name}: ${verdict} in ${(run.wallMs / 1000).toFixed(1)} s${keep ? `; copy kept in ${copy.dir}` : ''}`);
      return result;
    } finally {
      if (server !== undefined && !(server instanceof Error)) await server.stop();
      if (!keep) copy.remove();
    }
  });
  const control = options.control ? (outcomes[0] as ControlResult) : undefined;
  const variants = outcomes.slice(options.control ? 1 : 0) as VariantResult[];
  const report = mutantsReport(control, variants, suiteArgs, databaseUrl === undefined ? 'in-process PGlite' : 'PostgreSQL');
  mkdirSync(REPORTS, { recursive: true });
  writeFileSync(join(REPORTS, 'mutants.json'), `${JSON.stringify(report, null, 2)}\n`);
  console.log(`\n${mutantTable(report)}\nreport: ${join(REPORTS, 'mutants.json')}`);
  return report.passed ? 0 : 1;
}

process.exitCode = await main(process.argv.slice(2));
