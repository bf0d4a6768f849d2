import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const BIN = new URL('../../bin/mana-conformance.js', import.meta.url).pathname;

/** Runs the real `mana-conformance` command in a child process: its exit status and output. */
export async function cli(args: string[], timeoutMs = 120_000): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [BIN, ...args], { timeout: timeoutMs, maxBuffer: 64 * 1024 * 1024 });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}
