import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appendChange, createChangeLog, horizonReader, naiveSeqReader, type LoggedChange, type LogPosition, type LogReader } from './support/change-log.js';
import {
  createScratchSchema,
  openPglite,
  openPostgres,
  POSTGRES_SKIP_MESSAGE,
  POSTGRES_URL,
  type Queryable,
  type ScratchSchema,
  type TestDatabase,
} from './support/databases.js';
import { interleavings, runInterleaving } from './support/log-interleavings.js';

// The spec's cursor (PULL-3): changes are read in (txid, seq) order, only from transactions older
// than pg_snapshot_xmin(pg_current_snapshot()), so a transaction that commits late can never land
// behind a cursor that was already handed out. These tests run that reader on both databases.

const seed = Number(process.env.FC_SEED ?? Math.floor(Math.random() * 2 ** 31));

/** Polls until `done` holds: the horizon moves when every older transaction on the server has ended. */
async function readUntil<Cursor>(
  db: Queryable,
  table: string,
  reader: LogReader<Cursor>,
  start: Cursor,
  done: (delivered: LoggedChange[]) => boolean,
  timeoutMs = 10_000,
): Promise<{ delivered: LoggedChange[]; cursor: Cursor }> {
  const delivered: LoggedChange[] = [];
  let cursor = start;
  const deadline = Date.now() + timeoutMs;
  while (!done(delivered)) {
    if (Date.now() > deadline) {
      throw new Error(`${reader.name} delivered only [${delivered.map((change) => change.payload).join(', ')}] within ${timeoutMs} ms`);
    }
    const page = await reader.read(db, table, cursor, 2);
    delivered.push(...page.changes);
    cursor = page.cursor;
  }
  return { delivered, cursor };
}

describe('cursor mechanism on embedded PGlite (one connection: transactions run one after another)', () => {
  let db: TestDatabase;
  let schema: ScratchSchema;

  beforeAll(async () => {
    db = await openPglite();
    schema = await createScratchSchema(db);
  });
  afterAll(async () => {
    await schema.drop();
    await db.close();
  });

  it('PULL-3 the horizon reader delivers sequential transactions exactly once, in order, in small pages (PGlite)', async () => {
    const table = await createChangeLog(db, schema.name, 'sequential');
    const committed: LoggedChange[] = [];
    committed.push(...(await db.transaction(async (tx) => [await appendChange(tx, table, 'a1'), await appendChange(tx, table, 'a2')])));
    await expect(
      db.transaction(async (tx) => {
        await appendChange(tx, table, 'rolled-back');
        throw new Error('abort this transaction');
      }),
    ).rejects.toThrow('abort this transaction');
    committed.push(...(await db.transaction(async (tx) => [await appendChange(tx, table, 'b1'), await appendChange(tx, table, 'b2'), await appendChange(tx, table, 'b3')])));

    const first = await readUntil(db, table, horizonReader, horizonReader.start, (delivered) => delivered.length >= 5);
    expect(first.delivered.map((change) => change.payload)).toEqual(['a1', 'a2', 'b1', 'b2', 'b3']);
    expect(first.delivered).toEqual(committed);

    const later = await db.transaction(async (tx) => [await appendChange(tx, table, 'c1')]);
    const second = await readUntil(db, table, horizonReader, first.cursor, (delivered) => delivered.length >= 1);
    expect(second.delivered).toEqual(later);
    expect((await horizonReader.read(db, table, second.cursor, 2)).changes).toEqual([]);
  });

  it(`PULL-3 every committed change is delivered exactly once over random sequential transactions and polls (PGlite, seed ${seed})`, async () => {
    await fc.assert(
      fc.asyncProperty(interleavings<LogPosition>({ slots: 1, pollDuringTransactions: false, maxCommands: 25 }), (commands) =>
        runInterleaving(db, schema.name, horizonReader, commands),
      ),
      { seed, numRuns: 30 },
    );
  });
});

if (POSTGRES_URL === undefined) console.warn(`cursor-mechanism.test.ts: ${POSTGRES_SKIP_MESSAGE}`);

describe.skipIf(POSTGRES_URL === undefined)('cursor mechanism on PostgreSQL (separate connections: transactions overlap)', () => {
  let db: TestDatabase;
  let schema: ScratchSchema;

  beforeAll(async () => {
    db = openPostgres(POSTGRES_URL ?? '');
    schema = await createScratchSchema(db);
  });
  afterAll(async () => {
    await schema.drop();
    await db.close();
  });

  /** T1 begins and inserts first; T2 inserts after it and commits first; T1 commits last. */
  async function lateCommit(table: string, between: () => Promise<void>): Promise<{ t1: LoggedChange; t2: LoggedChange }> {
    const s1 = await db.connect();
    const s2 = await db.connect();
    try {
      await s1.query('BEGIN');
      const t1 = await appendChange(s1, table, 'T1');
      await s2.query('BEGIN');
      const t2 = await appendChange(s2, table, 'T2');
      await s2.query('COMMIT');
      await between();
      await s1.query('COMMIT');
      return { t1, t2 };
    } finally {
      await s1.release();
      await s2.release();
    }
  }

  it('PULL-3 a naive seq cursor loses a transaction that commits late (the trap the horizon avoids, PostgreSQL)', async () => {
    const table = await createChangeLog(db, schema.name, 'naive');
    let cursor = naiveSeqReader.start;
    const delivered: LoggedChange[] = [];
    const { t1, t2 } = await lateCommit(table, async () => {
      const page = await naiveSeqReader.read(db, table, cursor, 10);
      delivered.push(...page.changes);
      cursor = page.cursor;
    });
    expect(BigInt(t1.seq)).toBeLessThan(BigInt(t2.seq));
    expect(delivered.map((change) => change.payload)).toEqual(['T2']);
    const after = await naiveSeqReader.read(db, table, cursor, 10);
    // T1's row is committed and below the cursor: a seq cursor never returns it.
    expect(after.changes).toEqual([]);
    expect(naiveSeqReader.covers(after.cursor, t1)).toBe(true);
  });

  it('PULL-3 a transaction that commits late is not skipped (horizon reader, PostgreSQL)', async () => {
    const table = await createChangeLog(db, schema.name, 'horizon');
    let cursor = horizonReader.start;
    let heldBack: LoggedChange[] = [];
    const { t1, t2 } = await lateCommit(table, async () => {
      const page = await horizonReader.read(db, table, cursor, 10);
      heldBack = page.changes;
      cursor = page.cursor;
    });
    // While T1 was open, T2's committed change was withheld: it lies beyond the horizon.
    expect(heldBack).toEqual([]);
    const { delivered, cursor: end } = await readUntil(db, table, horizonReader, cursor, (changes) => changes.length >= 2);
    expect(delivered).toEqual([t1, t2]);
    expect((await horizonReader.read(db, table, end, 10)).changes).toEqual([]);
  });

  it(`PULL-3 every committed change is delivered exactly once, and no rolled-back one, under random concurrent interleavings (PostgreSQL, seed ${seed})`, async () => {
    await fc.assert(
      fc.asyncProperty(interleavings<LogPosition>({ slots: 3, pollDuringTransactions: true, maxCommands: 60 }), (commands) =>
        runInterleaving(db, schema.name, horizonReader, commands),
      ),
      { seed, numRuns: 100 },
    );
  });

  it(`PULL-3 the same property catches the naive seq reader (the property can fail, PostgreSQL, seed ${seed})`, async () => {
    const result = await fc.check(
      fc.asyncProperty(interleavings<string>({ slots: 3, pollDuringTransactions: true, maxCommands: 60 }), (commands) =>
        runInterleaving(db, schema.name, naiveSeqReader, commands),
      ),
      { seed, numRuns: 500 },
    );
    expect(result.failed).toBe(true);
    expect(String(result.errorInstance)).toMatch(/naive seq reader skipped/);
  });
});
