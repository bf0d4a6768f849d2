import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Figure } from './figure.js';

// Figure 7: wall time of the default conformance run, as a user starts it: its own process, the
// reference server in-process on embedded PGlite. The report goes to a temporary directory.

const CLI = fileURLToPath(new URL('../../conformance/bin/mana-conformance.js', import.meta.url));
const REPO = fileURLToPath(new URL('../..', import.meta.url));
const SUITE_TIMEOUT_MS = 5 * 60_000;

export async function runSuite(): Promise<Figure[]> {
  const reportDir = await mkdtemp(join(tmpdir(), 'mana-bench-suite-'));
  try {
    const started = performance.now();
    const child = spawn(process.execPath, [CLI, 'run', '--report-dir', reportDir], { cwd: REPO, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
    // Bounded, so that a hanging run cannot hold the bench past its ten minutes.
    const bound = setTimeout(() => child.kill('SIGKILL'), SUITE_TIMEOUT_MS);
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    clearTimeout(bound);
    const seconds = (performance.now() - started) / 1000;
    // Exit 1 is a run with failed checks, still a whole run; without its closing line it did not run.
    const summary = output.trim().split('\n').reverse().find((line) => /\d+ passed/.test(line));
    if ((code !== 0 && code !== 1) || summary === undefined) throw new Error(`the suite exited with ${code} and no closing line: ${output.slice(-500)}`);
    return [{ name: 'suite_wall_time', value: seconds, unit: 's', database: 'PGlite', note: `mana-conformance run (reference target in-process): ${summary.trim()}` }];
  } finally {
    await rm(reportDir, { recursive: true, force: true });
  }
}
