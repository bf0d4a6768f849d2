import { spawn } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { RunReport } from '../src/run-report.js';
import type { SuiteRun } from './mutant-verdict.js';

/** The last line of `mana-conformance run` (README): N passed, N failed, …, N not checked. */
const CLOSING_LINE = /^\d+ passed, \d+ failed\b.*\bnot checked$/m;
const EXIT_GRACE_MS = 30_000;

export interface SuiteRunOptions {
  /** The repository copy whose CLI, and hence whose in-process reference server, runs. */
  readonly repository: string;
  /** Emptied, then given report.json, junit.xml, report.html and run.log (the CLI's output). */
  readonly reportDir: string;
  /** Passed to `mana-conformance run` after the report options; empty for the default budget. */
  readonly suiteArgs: readonly string[];
  /** A failure bound: the run is killed after it. */
  readonly timeoutMs: number;
}

/**
 * Runs the real `mana-conformance run` of the copy against its own reference server (in-process on
 * PGlite), as a user would, and reads report.json back.
 */
export async function runSuite(options: SuiteRunOptions): Promise<SuiteRun> {
  rmSync(options.reportDir, { recursive: true, force: true });
  mkdirSync(options.reportDir, { recursive: true });
  const log = createWriteStream(join(options.reportDir, 'run.log'));
  const startedAt = performance.now();
  const child = spawn(process.execPath, ['conformance/bin/mana-conformance.js', 'run', '--report-dir', options.reportDir, ...options.suiteArgs], {
    cwd: options.repository,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, NO_COLOR: '1' },
  });
  child.stdout.pipe(log, { end: false });
  child.stderr.pipe(log, { end: false });
  // Set from timers, hence a property: a local would be narrowed to its initial value.
  const killed: { why?: 'timeout' | 'hung' } = {};
  const kill = (why: 'timeout' | 'hung'): void => {
    killed.why ??= why;
    child.kill('SIGKILL');
  };
  const timer = setTimeout(() => kill('timeout'), options.timeoutMs);
  // The closing line comes after the reports are written; a CLI still running long after it is held
  // by something a check left open (a patched server that never closes a socket), and its verdict is
  // already in report.json.
  let ended: NodeJS.Timeout | undefined;
  let endedAtMs: number | undefined;
  let tail = '';
  child.stdout.on('data', (chunk: Buffer) => {
    tail = (tail + chunk.toString('utf8')).slice(-4096);
    if (ended === undefined && CLOSING_LINE.test(tail)) {
      endedAtMs = performance.now();
      ended = setTimeout(() => kill('hung'), EXIT_GRACE_MS);
    }
  });
  const exitCode = await new Promise<number | null>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code) => resolve(code));
  }).finally(() => {
    clearTimeout(timer);
    clearTimeout(ended);
  });
  // A CLI that hung after its closing line found the bug when it printed that line.
  const wallMs = Math.round((killed.why === 'hung' && endedAtMs !== undefined ? endedAtMs : performance.now()) - startedAt);
  await new Promise<void>((resolve) => log.end(resolve));
  const reportFile = join(options.reportDir, 'report.json');
  const report = existsSync(reportFile) ? (JSON.parse(readFileSync(reportFile, 'utf8')) as RunReport) : undefined;
  if (killed.why === 'hung' && report !== undefined) {
    // The exit status the CLI gives a finished run (0 when every MUST held, else 1), with the hang said.
    const problem = `the CLI wrote its reports but had not exited ${EXIT_GRACE_MS / 1000} s later (killed; a check left a connection open)`;
    return { exitCode: report.passed ? 0 : 1, report, wallMs, reportDir: options.reportDir, problem };
  }
  const problem =
    killed.why !== undefined
      ? `killed after ${Math.round(options.timeoutMs / 1000)} s`
      : report === undefined
        ? `no report.json (exit ${exitCode}); see ${join(options.reportDir, 'run.log')}`
        : undefined;
  return { exitCode: killed.why === undefined ? exitCode : null, report, wallMs, reportDir: options.reportDir, ...(problem === undefined ? {} : { problem }) };
}
