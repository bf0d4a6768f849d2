import { archiveCommand, parseArchiveOptions } from './archive/archive-command.js';
import { parseRunOptions } from './cli-options.js';
import { runCommand } from './run-command.js';
import { UsageError } from './usage-error.js';

const USAGE = [
  'Usage: mana-conformance run [options]   (mana-conformance run --help lists the options)',
  '       mana-conformance archive <file.mana> [--passphrase-file <file>] [--schema-version <n>] [--json]   (archive --help explains)',
  '       mana-conformance scenario <name> [--target <url> --token-a <jwt> --token-b <jwt>] | scenario --list   (scenario --help explains)',
].join('\n');

async function main(argv: readonly string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (command === '--help' || command === '-h' || command === 'help') {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  if (command === 'archive') return archiveCommand(parseArchiveOptions(rest), { stdout: process.stdout });
  if (command === 'scenario') {
    // Loaded only for this command: the scenarios bring the reference client, which `run` does not need.
    const { scenarioCommand } = await import('../../scenarios/src/scenario-command.js');
    return scenarioCommand(rest, process.stdout);
  }
  if (command !== 'run') throw new UsageError(command === undefined ? 'no command given' : `unknown command "${command}"`);
  return runCommand(parseRunOptions(rest), { stdout: process.stdout, stderr: process.stderr });
}

/** How long the process may outlive its verdict before it is ended. */
const EXIT_GRACE_MS = 10_000;

/**
 * The verdict is out and every server and socket the command opened is closed; should a handle of
 * a target that misbehaved (a connection it never ends) still hold the event loop, a CI job must
 * not hang on it: after a grace period the process says what held it and exits with its status.
 */
function exitAfterGrace(): void {
  setTimeout(() => {
    process.stderr.write(`mana-conformance: still running ${EXIT_GRACE_MS / 1000} s after the run ended (open: ${process.getActiveResourcesInfo().join(', ')}); exiting\n`);
    process.exit();
  }, EXIT_GRACE_MS).unref();
}

main(process.argv.slice(2)).then(
  (status) => {
    process.exitCode = status;
    exitAfterGrace();
  },
  (error: unknown) => {
    if (error instanceof UsageError) {
      process.stderr.write(`mana-conformance: ${error.message}\n${USAGE}\n`);
      process.exitCode = 2;
    } else {
      process.stderr.write(`mana-conformance: internal error: ${(error as Error).stack ?? String(error)}\n`);
      process.exitCode = 2;
    }
  },
);
