import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { ENVIRONMENT_VARIABLES, type VariableName } from '../../src/config.js';

const BIN = fileURLToPath(new URL('../../bin/mana-sync-server.js', import.meta.url));
const LISTENING = /Server listening at (http:\/\/127\.0\.0\.1:\d+)/;

/** How a child process ended: its exit code, or the signal that ended it. */
export interface ProcessEnd {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

/** The `mana-sync-server` command running as a child process, as an operator runs it. */
export interface ServerProcess {
  readonly url: string;
  readonly pid: number;
  readonly exited: Promise<ProcessEnd>;
  /** Everything it printed so far (stdout and stderr), for failure messages. */
  output(): string;
  /** Sends `signal` and resolves once the process has ended. */
  stop(signal: NodeJS.Signals): Promise<ProcessEnd>;
}

/**
 * Starts `bin/mana-sync-server.js` on a free port of 127.0.0.1 with `env` on top of the test
 * process's environment minus every variable of the server (so the caller's DATABASE_URL reaches
 * the child only when passed), and resolves once it listens.
 */
export async function startServerProcess(env: Partial<Record<VariableName, string>>): Promise<ServerProcess> {
  const inherited: NodeJS.ProcessEnv = { ...process.env };
  for (const { name } of ENVIRONMENT_VARIABLES) delete inherited[name];
  const child: ChildProcessWithoutNullStreams = spawn(process.execPath, [BIN], {
    env: { ...inherited, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'info', ...env },
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<ProcessEnd>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  const url = await new Promise<string>((resolve, reject) => {
    const check = () => {
      const match = LISTENING.exec(output);
      if (match === null) return;
      child.stdout.off('data', check);
      resolve(match[1]!);
    };
    child.stdout.on('data', check);
    void exited.then((end) => reject(new Error(`mana-sync-server exited (${end.code ?? end.signal}) before listening:\n${output}`)));
  });
  return {
    url,
    pid: child.pid!,
    exited,
    output: () => output,
    async stop(signal) {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
}
