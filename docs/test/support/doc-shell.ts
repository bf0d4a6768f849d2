import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';

export interface ShellResult {
  readonly code: number | null;
  readonly output: string;
}

/**
 * The environment a reader's shell has: this process's, minus what the test run itself set (a
 * DATABASE_URL meant for the tests, vitest's own variables), so a doc command behaves as documented.
 */
export function readerEnvironment(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (key === 'DATABASE_URL' || key.startsWith('VITEST') || key === 'NODE_ENV' || key === 'TEST') continue;
    env[key] = value;
  }
  return env;
}

function bash(code: string, cwd: string): ChildProcess {
  // pipefail and -e: a documented pipeline that fails half-way must fail the test, not pass silently.
  return spawn('bash', ['-eo', 'pipefail', '-c', code], { cwd, env: readerEnvironment(), detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
}

/** Runs a block to its end; `timeoutMs` is a failure bound, after which the block's process group is killed. */
export async function runBlock(code: string, cwd: string, timeoutMs: number): Promise<ShellResult> {
  const child = bash(code, cwd);
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const timer = setTimeout(() => killGroup(child), timeoutMs);
  const [code_] = (await once(child, 'close')) as [number | null];
  clearTimeout(timer);
  return { code: code_, output };
}

export interface BackgroundBlock {
  output(): string;
  stop(): Promise<void>;
}

/** Starts a block that keeps running (a server) and resolves once its output matches `ready`. */
export async function startBackgroundBlock(code: string, cwd: string, ready: RegExp, timeoutMs: number): Promise<BackgroundBlock> {
  const child = bash(code, cwd);
  let output = '';
  const exited = once(child, 'close');
  const isReady = new Promise<void>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (ready.test(output)) resolve();
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    void exited.then(() => reject(new Error(`the background block exited before it was ready:\n${output}`)));
    setTimeout(() => reject(new Error(`not ready within ${timeoutMs} ms (waiting for ${ready}):\n${output}`)), timeoutMs).unref();
  });
  const handle: BackgroundBlock = {
    output: () => output,
    stop: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      killGroup(child, 'SIGTERM');
      await exited;
    },
  };
  try {
    await isReady;
  } catch (error) {
    await handle.stop();
    throw error;
  }
  return handle;
}

/** The whole group: `npx` starts node, which may start more; a stray child would hold the port. */
function killGroup(child: ChildProcess, signal: NodeJS.Signals = 'SIGKILL'): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // Already gone.
  }
}
