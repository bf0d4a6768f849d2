import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAuthService, type AuthService } from '../../conformance/src/auth-service/auth-service.js';
import { seededRandom } from '../../conformance/src/seeded-random.js';
import type { Change, PushResponse } from '../../spec/generated/types.js';
import type { VariableName } from '../src/config.js';
import type { Database } from '../src/db/database.js';
import { openPgDatabase } from '../src/db/pg-database.js';
import { POSTGRES_SKIP_MESSAGE, POSTGRES_URL, settle, TEST_APP_ROLE } from './support/database-targets.js';
import { freshAppId } from './support/fresh-names.js';
import { startServerProcess, type ServerProcess } from './support/server-process.js';
import { SyncTestClient, type SyncEndpoint } from './support/sync-client.js';

// PUSH-17, PUSH-6, PUSH-8 under SIGKILL: the `mana-sync-server` command runs as a child process on a
// database that outlives it; writers push concurrently; the process is killed at a seeded moment and
// started again on the same database. `npm run test:chaos` runs CHAOS_ROUNDS=20; CHAOS_SEED replays.
const ROUNDS = Number(process.env.CHAOS_ROUNDS ?? 3);
const SEED = Number(process.env.CHAOS_SEED ?? Math.floor(Math.random() * 2 ** 31));
const TABLES = ['tasks', 'notes'] as const;
const WRITERS = [
  ['alice', 'laptop'],
  ['alice', 'phone'],
  ['bob', 'laptop'],
  ['bob', 'phone'],
] as const;

if (POSTGRES_URL === undefined) console.warn(`crash-durability.test.ts: ${POSTGRES_SKIP_MESSAGE}`);
console.log(`crash-durability.test.ts: seed ${SEED}, ${ROUNDS} rounds (replay with CHAOS_SEED=${SEED} CHAOS_ROUNDS=${ROUNDS})`);

/** One push as its writer sent it, and what the writer learned of it. */
interface SentPush {
  readonly writer: SyncTestClient;
  readonly pushId: string;
  readonly changes: Change[];
  /** Whether a 200 answered it (at first send or at a resend). */
  acknowledged: boolean;
}

/** What a round saw, for the closing line. */
interface RoundFigures {
  acknowledged: number;
  unacknowledged: number;
  /** Unacknowledged pushes found stored whole after the restart (committed before the kill, answer lost). */
  storedUnacknowledged: number;
}

/** A push of 1 to 5 inserts over both tables, each change naming its push, so that a read can tell pushes apart. */
function pushOf(writer: SyncTestClient, pushId: string, random: () => number): SentPush {
  const size = 1 + Math.floor(random() * 5);
  const changes: Change[] = Array.from({ length: size }, (_, index) => ({
    table: TABLES[index % TABLES.length]!,
    id: `${pushId}-${index}`,
    op: 'insert',
    data: { pushId, index, size },
  }));
  return { writer, pushId, changes, acknowledged: false };
}

/**
 * Everything the app holds, read by each user with a device that suppresses nothing (PULL-13):
 * the number of stored changes per push id. Fails on a change stored twice.
 */
async function storedChangesPerPush(readers: readonly SyncTestClient[], app: string): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  for (const reader of readers) {
    const seen = new Set<string>();
    for (const table of TABLES) {
      for (const change of (await reader.pullAll(app, table)).changes) {
        const key = `${table}/${change.id}`;
        expect(seen.has(key), `${key} returned twice to ${reader.userId}`).toBe(false);
        seen.add(key);
        const pushId = (change.data as { pushId: string }).pushId;
        counts.set(pushId, (counts.get(pushId) ?? 0) + 1);
      }
    }
  }
  return counts;
}

describe('an acknowledged push survives SIGKILL', () => {
  let auth: AuthService;
  let dataDir: string;
  let postgres: Database | undefined;
  beforeAll(async () => {
    auth = await startAuthService();
    dataDir = await mkdtemp(join(tmpdir(), 'mana-sync-crash-'));
    if (POSTGRES_URL !== undefined) postgres = openPgDatabase(POSTGRES_URL);
  });
  afterAll(async () => {
    await auth?.close();
    await postgres?.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  const cases: Array<{ label: string; env: () => Partial<Record<VariableName, string>>; skip: string | undefined }> = [
    { label: 'PGlite on disk (PGLITE_DATA_DIR)', env: () => ({ PGLITE_DATA_DIR: dataDir }), skip: undefined },
    { label: 'PostgreSQL (DATABASE_URL)', env: () => ({ DATABASE_URL: POSTGRES_URL ?? '' }), skip: POSTGRES_URL === undefined ? POSTGRES_SKIP_MESSAGE : undefined },
  ];

  for (const { label, env, skip } of cases) {
    it.skipIf(skip !== undefined)(
      `PUSH-17 PUSH-6 PUSH-8 on ${label}: ${ROUNDS} SIGKILLs under concurrent pushes lose no acknowledged change, half-write no push, apply resends once (seed ${SEED})${skip === undefined ? '' : ` (${skip})`}`,
      async () => {
        // Kill points from one generator, push sizes (drawn by concurrent writers) from another, so that a seed replays its kill points.
        const random = seededRandom(SEED);
        const sizes = seededRandom(SEED ^ 0x5bd1e995);
        const schema = `mana_crash_${SEED.toString(16)}_${Date.now().toString(36)}`;
        const serverEnv = { ...auth.targetEnvironment(), DATABASE_SCHEMA: schema, DATABASE_APP_ROLE: TEST_APP_ROLE, ...env() };
        let server: ServerProcess | undefined;
        // The clients follow the server to the port of each restart.
        const endpoint: SyncEndpoint = {
          get url() {
            return server!.url;
          },
          auth,
          // Pushes and pulls need no waiting (the server acknowledges only what reads return, PUSH-17);
          // the verification reads await transactions that died with a killed server (settleAll).
          settle: () => Promise.resolve(),
        };
        const settleAll = () => (postgres === undefined ? Promise.resolve() : settle(postgres));
        const app = freshAppId('crash');
        const writers = await Promise.all(WRITERS.map(([user, device]) => SyncTestClient.of(endpoint, user, device)));
        const readers = [writers[0]!.device(undefined), writers[2]!.device(undefined)];
        const sent: SentPush[] = [];
        const figures: RoundFigures[] = [];

        /** PUSH-6, PUSH-17: every acknowledged push whole, every other push whole or absent. */
        const verify = async (): Promise<Map<string, number>> => {
          await settleAll();
          const counts = await storedChangesPerPush(readers, app);
          for (const push of sent) {
            const stored = counts.get(push.pushId) ?? 0;
            if (push.acknowledged) expect(stored, `acknowledged push ${push.pushId}`).toBe(push.changes.length);
            else expect([0, push.changes.length], `unacknowledged push ${push.pushId} is half-written`).toContain(stored);
          }
          return counts;
        };

        /** PUSH-8: a resend with its push id is answered 200, replayed exactly when the first send was stored. */
        const resend = async (push: SentPush, stored: boolean): Promise<void> => {
          const body = (await push.writer.mustPush(app, { pushId: push.pushId, changes: push.changes })) as PushResponse & { replayed?: boolean };
          expect({ pushId: push.pushId, replayed: body.replayed === true, accepted: body.accepted }).toEqual({
            pushId: push.pushId,
            replayed: stored,
            accepted: push.changes.length,
          });
          push.acknowledged = true;
        };

        try {
          for (let round = 1; round <= ROUNDS + 1; round++) {
            server = await startServerProcess(serverEnv);
            const counts = await verify();
            const lastRound = figures.at(-1);
            for (const push of sent.filter((candidate) => !candidate.acknowledged)) {
              const stored = (counts.get(push.pushId) ?? 0) > 0;
              if (stored && lastRound !== undefined) lastRound.storedUnacknowledged++;
              await resend(push, stored);
            }
            const acknowledgedBefore = sent.filter((push) => push.acknowledged);
            if (acknowledgedBefore.length > 0) await resend(acknowledgedBefore[Math.floor(random() * acknowledgedBefore.length)]!, true);
            expect([...(await verify()).values()].reduce((sum, count) => sum + count, 0)).toBe(sent.reduce((sum, push) => sum + push.changes.length, 0));
            if (round > ROUNDS) break;

            // The kill lands after a seeded number of acknowledgements plus a seeded fraction of a push.
            const killAfterAcks = 1 + Math.floor(random() * 25);
            const killDelayMs = Math.floor(random() * 15);
            const roundFigures: RoundFigures = { acknowledged: 0, unacknowledged: 0, storedUnacknowledged: 0 };
            figures.push(roundFigures);
            let acks = 0;
            let reachedKillPoint!: () => void;
            const killPoint = new Promise<void>((resolve) => (reachedKillPoint = resolve));
            const victim = server;
            const write = async (writer: SyncTestClient, index: number): Promise<void> => {
              for (let n = 0; ; n++) {
                const push = pushOf(writer, `r${round}-w${index}-${n}`, sizes);
                sent.push(push);
                let status: number;
                try {
                  status = (await writer.push(app, { pushId: push.pushId, changes: push.changes })).status;
                } catch {
                  // The server died with the push in flight or before it arrived: unacknowledged.
                  roundFigures.unacknowledged++;
                  return;
                }
                if (status !== 200) {
                  // Only a temporary refusal is expected here (a 503 while the server dies); it stays unacknowledged.
                  expect(status, `push ${push.pushId}`).toBeGreaterThanOrEqual(500);
                  roundFigures.unacknowledged++;
                  return;
                }
                push.acknowledged = true;
                roundFigures.acknowledged++;
                if (++acks === killAfterAcks) reachedKillPoint();
              }
            };
            const writing = Promise.all(writers.map((writer, index) => write(writer, index)));
            await killPoint;
            await delay(killDelayMs);
            const end = await victim.stop('SIGKILL');
            expect(end.signal, victim.output()).toBe('SIGKILL');
            await writing;
            console.log(
              `crash-durability.test.ts: round ${round}: SIGKILL after ${killAfterAcks} acks + ${killDelayMs} ms; ${roundFigures.acknowledged} acknowledged, ${roundFigures.unacknowledged} unacknowledged`,
            );
          }
          const acknowledged = figures.reduce((sum, round) => sum + round.acknowledged, 0);
          const committedUnanswered = figures.reduce((sum, round) => sum + round.storedUnacknowledged, 0);
          console.log(
            `crash-durability.test.ts on ${label}: ${figures.length} kills survived, ${acknowledged} pushes acknowledged before kills, 0 acknowledged changes lost, ${committedUnanswered} unacknowledged pushes found committed (resends replayed), ${sent.length} pushes in all`,
          );
          await server?.stop('SIGTERM');
        } finally {
          await server?.stop('SIGKILL');
          if (postgres !== undefined) await postgres.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
        }
      },
      // Restarts are slow on a busy machine (PGlite starts in seconds): a failure bound only.
      60_000 + ROUNDS * 40_000,
    );
  }
});
