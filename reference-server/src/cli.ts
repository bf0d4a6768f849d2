import { buildServer, createLogger } from './app.js';
import { ConfigError, configFromEnvironment, ENVIRONMENT_VARIABLES } from './config.js';
import { RlsNotBindingError } from './db/rls-guard.js';

// The mana-sync-server command: configuration from the environment (OPS-9), the database said at
// start-up, graceful shutdown on SIGTERM and SIGINT (OPS-7).

const HELP = `Usage: mana-sync-server [--help]

Serves the mana-sync protocol of spec/protocol.md over HTTP: push, pull, health and metrics, with
the change log in PostgreSQL (DATABASE_URL) or, with no configuration at all, in embedded PGlite.

Configuration (environment variables, default in brackets):
${ENVIRONMENT_VARIABLES.map(({ name, fallback, description }) => `  ${name.padEnd(31)} ${description}${fallback === undefined ? '' : ` [${fallback}]`}`).join('\n')}

Signals: SIGTERM or SIGINT stop accepting requests, finish those in progress, then exit 0.
Exit status: 0 after a clean shutdown, 1 when the server cannot start, 2 for a configuration error.`;

async function main(): Promise<number> {
  const args = process.argv.slice(2);
  if (args.includes('--help') || args.includes('-h')) {
    console.log(HELP);
    return 0;
  }
  if (args.length > 0) {
    console.error(`mana-sync-server: unknown argument ${args[0]!}; configuration comes from the environment (see --help)`);
    return 2;
  }
  let config;
  try {
    config = configFromEnvironment(process.env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    console.error(`mana-sync-server: ${error.message}`);
    return 2;
  }
  const logger = createLogger(config);
  let server;
  try {
    server = await buildServer(config, { logger });
    await server.listen();
  } catch (error) {
    const reason = error instanceof RlsNotBindingError ? error.message : `cannot start: ${(error as Error).message}`;
    logger.fatal(reason);
    console.error(`mana-sync-server: ${reason}`);
    await server?.close();
    return 1;
  }
  const running = server;
  return new Promise<number>((resolve) => {
    const stop = (signal: NodeJS.Signals) => {
      logger.info({ signal }, 'shutting down: finishing requests in progress');
      running.close().then(
        () => resolve(0),
        (error: unknown) => {
          logger.error({ err: error }, 'shutdown failed');
          resolve(1);
        },
      );
    };
    process.once('SIGTERM', stop);
    process.once('SIGINT', stop);
  });
}

process.exitCode = await main();
