// Every count of the bench, from the environment: BENCH_QUICK=1 shrinks all of them for a smoke
// run; a single count can be set with its own variable (BENCH_FANOUT_SUBSCRIBERS=200).

export const FIGURE_GROUPS = ['ingest', 'pull', 'fan-out', 'connections', 'load', 'client', 'suite', 'model-odds'] as const;
export type FigureGroup = (typeof FIGURE_GROUPS)[number];

export interface BenchConfig {
  readonly quick: boolean;
  /** The figure groups to run (BENCH_ONLY=ingest,pull); all by default. */
  readonly groups: readonly FigureGroup[];
  /** PostgreSQL the server and the raw inserts use. */
  readonly databaseUrl: string | undefined;
  /** Writes a V8 CPU profile of the server child into this directory (BENCH_CPU_PROF). */
  readonly cpuProfileDir: string | undefined;
  /** Concurrent pushing clients (and raw-insert connections) of the ingest figure. */
  readonly ingestClients: number;
  /** Seconds each ingest shape (raw and server, 1 and 100 changes) runs. */
  readonly ingestSeconds: number;
  /** Changes of the pulling user, and of others interleaved with them. */
  readonly pullChanges: number;
  readonly pullPasses: number;
  readonly fanOutSubscribers: number;
  readonly fanOutRounds: number;
  readonly connections: number;
  /** Seconds per rate step of the load figure. */
  readonly loadSeconds: number;
  /** Requests per second of the steps tried after the reference rate, in order. */
  readonly loadRates: readonly number[];
  readonly clientApplyChanges: number;
  readonly backupRows: number;
}

function count(env: NodeJS.ProcessEnv, name: string, full: number, quick: number, isQuick: boolean): number {
  const text = env[name];
  if (text === undefined || text === '') return isQuick ? quick : full;
  const value = Number(text);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`${name} must be a positive number, not "${text}"`);
  return value;
}

export function benchConfigFrom(env: NodeJS.ProcessEnv): BenchConfig {
  const quick = env.BENCH_QUICK === '1' || env.BENCH_QUICK === 'true';
  const only = (env.BENCH_ONLY ?? '').split(',').map((name) => name.trim()).filter((name) => name !== '');
  const unknown = only.filter((name) => !(FIGURE_GROUPS as readonly string[]).includes(name));
  if (unknown.length > 0) throw new Error(`BENCH_ONLY names unknown figure groups ${unknown.join(', ')}; known: ${FIGURE_GROUPS.join(', ')}`);
  const c = (name: string, full: number, small: number) => count(env, name, full, small, quick);
  return {
    quick,
    groups: only.length === 0 ? FIGURE_GROUPS : (only as FigureGroup[]),
    databaseUrl: env.BENCH_DATABASE_URL || env.DATABASE_URL || undefined,
    cpuProfileDir: env.BENCH_CPU_PROF || undefined,
    ingestClients: c('BENCH_INGEST_CLIENTS', 8, 4),
    ingestSeconds: c('BENCH_INGEST_SECONDS', 10, 2),
    pullChanges: c('BENCH_PULL_CHANGES', 10_000, 3000),
    pullPasses: c('BENCH_PULL_PASSES', 5, 2),
    fanOutSubscribers: c('BENCH_FANOUT_SUBSCRIBERS', 1000, 50),
    fanOutRounds: c('BENCH_FANOUT_ROUNDS', 5, 2),
    connections: c('BENCH_CONNECTIONS', 10_000, 300),
    loadSeconds: c('BENCH_LOAD_SECONDS', 6, 1.5),
    loadRates: quick ? [100, 400] : [400, 800, 1200, 1600, 2400, 3200],
    clientApplyChanges: c('BENCH_CLIENT_APPLY_CHANGES', 10_000, 1000),
    backupRows: c('BENCH_BACKUP_ROWS', 100_000, 2000),
  };
}
