import { fileURLToPath } from 'node:url';
import { startAuthService } from '../../conformance/src/auth-service/auth-service.js';
import { benchConfigFrom, type BenchConfig, type FigureGroup } from './bench-config.js';
import { benchDatabaseUrl, dropSchemas } from './bench-database.js';
import { benchTarget, type BenchTarget } from './bench-target.js';
import { runClientApply } from './client-apply.js';
import { runClientBackup } from './client-backup.js';
import { runConnections } from './connections.js';
import { runFanOut } from './fan-out.js';
import type { Figure } from './figure.js';
import { RAW_SCHEMA, runIngest } from './ingest.js';
import { runLoad } from './load.js';
import { runModelOdds } from './model-odds.js';
import { runPull } from './pull.js';
import { resultsTable, writeResults } from './results-table.js';
import { startServerProcess } from './server-process.js';
import { benchAgent } from './sync-requests.js';
import { runSuite } from './suite.js';

// `npm run bench`: every figure of issue 9 (and the client figures of issue 5) in one run, printed
// as one table and written to bench-results.json at the repository root.

const RESULTS_PATH = fileURLToPath(new URL('../../bench-results.json', import.meta.url));
const SERVER_SCHEMA = 'bench_server';
const SERVER_GROUPS: readonly FigureGroup[] = ['ingest', 'pull', 'load', 'fan-out', 'connections'];

type ServerFigures = (target: BenchTarget, config: BenchConfig) => Promise<Figure[]>;
const SERVER_RUNS: Record<string, ServerFigures> = { ingest: runIngest, pull: runPull, load: runLoad, 'fan-out': runFanOut, connections: runConnections };

async function main(): Promise<void> {
  const config = benchConfigFrom(process.env);
  const startedAt = new Date();
  const runStarted = performance.now();
  const figures: Figure[] = [];
  const failures: Record<string, string> = {};
  const measure = async (group: string, run: () => Promise<Figure[]>) => {
    const started = performance.now();
    process.stderr.write(`bench: ${group}...\n`);
    try {
      const measured = await run();
      figures.push(...measured);
      for (const figure of measured) process.stderr.write(`  ${figure.name} = ${figure.value.toFixed(2)} ${figure.unit}\n`);
    } catch (error) {
      failures[group] = error instanceof Error ? (error.stack ?? error.message) : String(error);
      process.stderr.write(`bench: ${group} failed: ${failures[group]}\n`);
    }
    process.stderr.write(`bench: ${group} took ${((performance.now() - started) / 1000).toFixed(1)} s\n`);
  };

  if (config.groups.includes('client')) {
    await measure('client apply', () => runClientApply(config));
    await measure('client backup', () => runClientBackup(config));
  }

  const serverGroups = SERVER_GROUPS.filter((group) => config.groups.includes(group));
  if (serverGroups.length > 0) {
    const databaseUrl = await benchDatabaseUrl(config.databaseUrl);
    await dropSchemas(databaseUrl, [SERVER_SCHEMA, RAW_SCHEMA]);
    const auth = await startAuthService();
    const server = await startServerProcess({
      env: {
        ...auth.targetEnvironment(),
        DATABASE_URL: databaseUrl,
        DATABASE_SCHEMA: SERVER_SCHEMA,
        DATABASE_APP_ROLE: 'mana_sync_bench_app',
        LOG_LEVEL: 'warn',
      },
      ...(config.cpuProfileDir === undefined ? {} : { cpuProfileDir: config.cpuProfileDir }),
    });
    const target = benchTarget(server, auth, databaseUrl);
    try {
      for (const group of serverGroups) await measure(group, () => SERVER_RUNS[group]!(target, config));
    } finally {
      await server.stop();
      await auth.close();
      await benchAgent.close();
    }
  }

  if (config.groups.includes('suite')) await measure('suite', () => runSuite());
  if (config.groups.includes('model-odds')) await measure('model-odds', () => runModelOdds());

  const durationSeconds = (performance.now() - runStarted) / 1000;
  console.log(resultsTable(figures));
  for (const [group, reason] of Object.entries(failures)) console.log(`NOT MEASURED ${group}: ${reason.split('\n')[0]!}`);
  await writeResults(RESULTS_PATH, { startedAt: startedAt.toISOString(), durationSeconds: Math.round(durationSeconds), quick: config.quick, node: process.version, failures }, figures);
  console.log(`bench-results.json written (${figures.length} figures, ${Math.round(durationSeconds)} s)`);
  if (Object.keys(failures).length > 0) process.exitCode = 1;
}

await main();
