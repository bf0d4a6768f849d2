import pg from 'pg';
import type { Change } from '../../spec/generated/types.js';
import { migrate } from '../../reference-server/src/db/migrations.js';
import { openPgDatabase } from '../../reference-server/src/db/pg-database.js';
import { validatePush } from '../../reference-server/src/push/changeset-validation.js';
import { newChangeOf } from '../../reference-server/src/push/new-change.js';
import type { BenchConfig } from './bench-config.js';
import type { BenchTarget } from './bench-target.js';
import type { Figure } from './figure.js';
import { deviceOf, insertChanges, push, type Device } from './sync-requests.js';

// Figure 1: how close the server's ingest comes to what PostgreSQL itself takes. The ceiling inserts
// the very rows the server stores (computed by the server's own validation and stamping) into a
// schema made by the server's own migrations, with plain `pg` as the owner: no HTTP, no JSON
// validation, no row-level security, no push ids or record spaces.

export const RAW_SCHEMA = 'bench_raw';
const APP_ID = 'ingest';
const BATCH = 100;
/** Rows each raw client cycles through. */
const RING_ROWS = 2000;

const COLUMNS = [
  'app_id', 'table_name', 'record_id', 'user_id', 'client_id', 'space_id', 'op', 'fields', 'data', 'deleted_at',
  'actor', 'origin', 'schema_version', 'server_at', 'push_id',
] as const;

type RawRow = readonly unknown[];

/** The rows the server would store for these pushes of one user, in `COLUMNS` order. */
function storedRows(userId: string, clientId: string, pushes: readonly (readonly Change[])[]): RawRow[] {
  const now = Date.now();
  return pushes.flatMap((changes) => {
    const pushId = crypto.randomUUID();
    const validated = validatePush({ clientId, pushId, since: '', schemaVersion: 1, changes }, () => ({ appId: APP_ID, clientIdHeader: clientId }), now);
    return validated.changes.map((change, index) => {
      const stored = newChangeOf(change, validated.writes[index]!, change.spaceId!, now);
      return [
        APP_ID, stored.table, stored.id, userId, clientId, stored.spaceId, stored.op, JSON.stringify(stored.fields),
        stored.data === undefined ? null : JSON.stringify(stored.data), stored.deletedAt ?? null, null, null, 1, new Date(now), pushId,
      ];
    });
  });
}

function insertStatement(rows: number): string {
  const tuples = Array.from({ length: rows }, (_, row) => `(${COLUMNS.map((_, column) => `$${row * COLUMNS.length + column + 1}`).join(', ')})`);
  return `INSERT INTO ${RAW_SCHEMA}.sync_changes (${COLUMNS.join(', ')}) VALUES ${tuples.join(', ')}`;
}

/** Runs `work` in `clients` workers until `seconds` have passed; resolves to changes written per second. */
async function rateOver(clients: number, seconds: number, work: (client: number) => Promise<number>): Promise<number> {
  const started = performance.now();
  const deadline = started + seconds * 1000;
  let written = 0;
  await Promise.all(
    Array.from({ length: clients }, async (_, client) => {
      while (performance.now() < deadline) written += await work(client);
    }),
  );
  return written / ((performance.now() - started) / 1000);
}

/** Raw inserts of `perStatement` rows, one statement per transaction, from a ring of prepared rows per client. */
async function rawRate(pool: pg.Pool, clients: number, perStatement: number, seconds: number): Promise<number> {
  // Prepared before the clock starts; sync_changes has no unique key but seq, so a ring of rows may repeat.
  const rings = Array.from({ length: clients }, (_, client) => {
    const userId = `raw-${perStatement}-${client}-${crypto.randomUUID().slice(0, 8)}`;
    const pushes = Array.from({ length: Math.max(1, Math.ceil(RING_ROWS / perStatement)) }, () => insertChanges(userId, perStatement));
    return storedRows(userId, crypto.randomUUID(), pushes);
  });
  const statement = insertStatement(perStatement);
  const connections = await Promise.all(rings.map(() => pool.connect()));
  const next = rings.map(() => 0);
  try {
    return await rateOver(clients, seconds, async (client) => {
      const ring = rings[client]!;
      const start = next[client]!;
      next[client] = (start + perStatement) % ring.length;
      // Autocommit: each statement is its own transaction, as each push is.
      await connections[client]!.query(statement, ring.slice(start, start + perStatement).flat());
      return perStatement;
    });
  } finally {
    for (const connection of connections) connection.release();
  }
}

/** Pushes of `perPush` fresh changes by `clients` users, each from its own cursor. */
async function serverRate(target: BenchTarget, clients: number, perPush: number, seconds: number): Promise<number> {
  const devices: Device[] = await Promise.all(
    Array.from({ length: clients }, (_, client) => deviceOf(target, `ingest-${perPush}-${client}-${crypto.randomUUID().slice(0, 8)}`)),
  );
  // Warm: token verified, memberships cached, cursor at the log's end.
  const cursors = await Promise.all(devices.map(async (device) => (await push(target, APP_ID, device, [], '')).syncedUntil));
  return rateOver(clients, seconds, async (client) => {
    const device = devices[client]!;
    cursors[client] = (await push(target, APP_ID, device, insertChanges(device.userId, perPush), cursors[client]!)).syncedUntil;
    return perPush;
  });
}

export async function runIngest(target: BenchTarget, config: BenchConfig): Promise<Figure[]> {
  const db = openPgDatabase(target.databaseUrl);
  try {
    await migrate(db, { schema: RAW_SCHEMA, appRole: 'mana_sync_bench_app' });
  } finally {
    await db.close();
  }
  const clients = config.ingestClients;
  const pool = new pg.Pool({ connectionString: target.databaseUrl, max: clients });
  try {
    const rates: Record<string, number> = {};
    const seconds = config.ingestSeconds;
    for (const [shape, perPush] of [['single', 1], ['batched', BATCH]] as const) {
      rates[`raw_${shape}`] = await rawRate(pool, clients, perPush, seconds);
      rates[`server_${shape}`] = await serverRate(target, clients, perPush, seconds);
    }
    const note = (what: string) => `${what}, ${clients} concurrent clients, ${config.ingestSeconds} s`;
    return [
      { name: 'ingest_raw_1_per_tx', value: rates.raw_single!, unit: 'changes/s', database: 'PostgreSQL', note: note('pg INSERT of 1 row per transaction') },
      { name: 'ingest_server_1_per_push', value: rates.server_single!, unit: 'changes/s', database: 'PostgreSQL', note: note('POST /sync of 1 change') },
      { name: 'ingest_ratio_1', value: rates.server_single! / rates.raw_single!, unit: 'server/raw', database: 'PostgreSQL', note: 'reported, no target' },
      { name: 'ingest_raw_100_per_tx', value: rates.raw_batched!, unit: 'changes/s', database: 'PostgreSQL', note: note('pg multi-row INSERT of 100 rows') },
      { name: 'ingest_server_100_per_push', value: rates.server_batched!, unit: 'changes/s', database: 'PostgreSQL', note: note('POST /sync of 100 changes') },
      {
        name: 'ingest_ratio',
        value: rates.server_batched! / rates.raw_batched!,
        unit: 'server/raw',
        target: { kind: 'at-least', value: 0.5 },
        database: 'PostgreSQL',
        note: '100-change shape',
      },
    ];
  } finally {
    await pool.end();
  }
}
