import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';

// The server under test runs in a child process of its own, as in production, so that the load the
// bench generates never shares the server's event loop and the server's CPU profile is its own.

const SERVER_BIN = new URL('../../reference-server/bin/mana-sync-server.js', import.meta.url).pathname;
const START_TIMEOUT_MS = 60_000;

export interface ServerProcessOptions {
  /** The server's environment beyond PORT and HOST (auth service, database, log level...). */
  readonly env: Readonly<Record<string, string>>;
  /** Writes a V8 CPU profile (`--cpu-prof`) into this directory when the server exits. */
  readonly cpuProfileDir?: string;
}

export interface ServerProcess {
  readonly url: string;
  readonly pid: number;
  /** Resident memory of the server process (VmRSS). */
  rssBytes(): Promise<number>;
  /** SIGTERM, then waits for the graceful exit (which writes the CPU profile). */
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as { port: number };
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

async function waitForHealth(url: string, child: ChildProcess, logPath: string): Promise<void> {
  const deadline = Date.now() + START_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`the server exited with ${child.exitCode} before it answered; see ${logPath}`);
    try {
      const response = await fetch(`${url}/health`);
      if (response.ok) return;
    } catch {
      // Not listening yet.
    }
    await delay(100);
  }
  throw new Error(`the server did not answer /health within ${START_TIMEOUT_MS} ms; see ${logPath}`);
}

export async function startServerProcess(options: ServerProcessOptions): Promise<ServerProcess> {
  const port = await freePort();
  const logPath = join(tmpdir(), `mana-sync-bench-server-${process.pid}-${port}.log`);
  const log = createWriteStream(logPath);
  const nodeArgs = options.cpuProfileDir === undefined ? [] : ['--cpu-prof', `--cpu-prof-dir=${options.cpuProfileDir}`];
  // The connections figure holds 10,000 sockets: the child takes the hard limit of open files.
  const command = `ulimit -n "$(ulimit -Hn)" 2>/dev/null; exec "$0" "$@"`;
  const child = spawn('sh', ['-c', command, process.execPath, ...nodeArgs, SERVER_BIN], {
    env: { ...process.env, ...options.env, PORT: String(port), HOST: '127.0.0.1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout.pipe(log);
  child.stderr.pipe(log);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = `http://127.0.0.1:${port}`;
  try {
    await waitForHealth(url, child, logPath);
  } catch (error) {
    child.kill('SIGKILL');
    throw error;
  }
  const pid = child.pid!;
  return {
    url,
    pid,
    async rssBytes() {
      const status = await readFile(`/proc/${pid}/status`, 'utf8');
      const kb = /^VmRSS:\s+(\d+) kB$/m.exec(status);
      if (kb === null) throw new Error(`no VmRSS in /proc/${pid}/status`);
      return Number(kb[1]) * 1024;
    },
    async stop() {
      if (child.exitCode !== null) return;
      child.kill('SIGTERM');
      const killed = setTimeout(() => child.kill('SIGKILL'), 30_000);
      await exited;
      clearTimeout(killed);
      log.end();
    },
  };
}
