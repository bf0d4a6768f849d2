import fc from 'fast-check';
import { appendChange, createChangeLog, type LogReader, type LoggedChange } from './change-log.js';
import type { Session, TestDatabase } from './databases.js';

/** What the spec says happened: which transactions are open, and each change's fate. */
export interface LogModel {
  open: Map<number, string[]>;
  committed: LoggedChange[];
  rolledBack: Set<string>;
}

/** The system under test: real transactions on real connections, and one reader paging through. */
export interface LogSystem<Cursor> {
  db: TestDatabase;
  table: string;
  reader: LogReader<Cursor>;
  cursor: Cursor;
  sessions: Map<number, Session>;
  pending: Map<number, LoggedChange[]>;
  delivered: Set<string>;
  nextPayload: number;
}

export interface InterleavingOptions {
  /** How many transactions may be open at once (1 on PGlite: one connection). */
  slots: number;
  /** Whether the reader may poll while a transaction is open (not on PGlite's single connection). */
  pollDuringTransactions: boolean;
  maxCommands: number;
}

type LogCommand<Cursor> = fc.AsyncCommand<LogModel, LogSystem<Cursor>>;

const label = (slot: number): string => `T${slot + 1}`;

class BeginCommand<Cursor> implements LogCommand<Cursor> {
  constructor(readonly slot: number) {}
  check = (model: Readonly<LogModel>): boolean => !model.open.has(this.slot);
  async run(model: LogModel, real: LogSystem<Cursor>): Promise<void> {
    const session = await real.db.connect();
    real.sessions.set(this.slot, session);
    await session.query('BEGIN');
    real.pending.set(this.slot, []);
    model.open.set(this.slot, []);
  }
  toString = (): string => `Begin(${label(this.slot)})`;
}

class InsertCommand<Cursor> implements LogCommand<Cursor> {
  constructor(readonly slot: number) {}
  check = (model: Readonly<LogModel>): boolean => model.open.has(this.slot);
  async run(model: LogModel, real: LogSystem<Cursor>): Promise<void> {
    const payload = `${label(this.slot)}#${real.nextPayload++}`;
    const change = await appendChange(sessionOf(real, this.slot), real.table, payload);
    real.pending.get(this.slot)?.push(change);
    model.open.get(this.slot)?.push(payload);
  }
  toString = (): string => `Insert(${label(this.slot)})`;
}

class EndCommand<Cursor> implements LogCommand<Cursor> {
  constructor(
    readonly slot: number,
    readonly commit: boolean,
  ) {}
  check = (model: Readonly<LogModel>): boolean => model.open.has(this.slot);
  async run(model: LogModel, real: LogSystem<Cursor>): Promise<void> {
    const session = sessionOf(real, this.slot);
    await session.query(this.commit ? 'COMMIT' : 'ROLLBACK');
    real.sessions.delete(this.slot);
    await session.release();
    const changes = real.pending.get(this.slot) ?? [];
    real.pending.delete(this.slot);
    model.open.delete(this.slot);
    if (this.commit) model.committed.push(...changes);
    else for (const change of changes) model.rolledBack.add(change.payload);
  }
  toString = (): string => `${this.commit ? 'Commit' : 'Rollback'}(${label(this.slot)})`;
}

class PollCommand<Cursor> implements LogCommand<Cursor> {
  constructor(
    readonly limit: number,
    readonly duringTransactions: boolean,
  ) {}
  check = (model: Readonly<LogModel>): boolean => this.duringTransactions || model.open.size === 0;
  run = (model: LogModel, real: LogSystem<Cursor>): Promise<void> => poll(model, real, this.limit);
  toString = (): string => `Poll(limit ${this.limit})`;
}

function sessionOf<Cursor>(real: LogSystem<Cursor>, slot: number): Session {
  const session = real.sessions.get(slot);
  if (session === undefined) throw new Error(`${label(slot)} has no open session`);
  return session;
}

/**
 * One page, checked against the spec: nothing delivered twice, nothing uncommitted or rolled back,
 * and every committed change the cursor has passed was delivered (else it is lost for good).
 */
async function poll<Cursor>(model: LogModel, real: LogSystem<Cursor>, limit: number): Promise<void> {
  const { changes, cursor } = await real.reader.read(real.db, real.table, real.cursor, limit);
  for (const change of changes) {
    if (real.delivered.has(change.payload)) throw new Error(`${real.reader.name} delivered ${change.payload} twice`);
    if (model.rolledBack.has(change.payload)) throw new Error(`${real.reader.name} delivered rolled-back ${change.payload}`);
    if (!model.committed.some((committed) => committed.payload === change.payload)) {
      throw new Error(`${real.reader.name} delivered ${change.payload} before its transaction committed`);
    }
    real.delivered.add(change.payload);
  }
  real.cursor = cursor;
  const skipped = model.committed.filter((change) => real.reader.covers(cursor, change) && !real.delivered.has(change.payload));
  if (skipped.length > 0) {
    const list = skipped.map((change) => `${change.payload} (txid ${change.txid}, seq ${change.seq})`).join(', ');
    throw new Error(`${real.reader.name} skipped ${list}: its cursor ${real.reader.show(cursor)} is past them`);
  }
}

/** Random interleavings of transactions' begin/insert/commit/rollback and reader polls. */
export function interleavings<Cursor>(options: InterleavingOptions): fc.Arbitrary<Iterable<LogCommand<Cursor>>> {
  const slot = fc.nat({ max: options.slots - 1 });
  return fc.commands(
    [
      slot.map((s) => new BeginCommand<Cursor>(s)),
      slot.map((s) => new InsertCommand<Cursor>(s)),
      slot.map((s) => new InsertCommand<Cursor>(s)),
      slot.map((s) => new EndCommand<Cursor>(s, true)),
      slot.map((s) => new EndCommand<Cursor>(s, false)),
      fc.integer({ min: 1, max: 3 }).map((limit) => new PollCommand<Cursor>(limit, options.pollDuringTransactions)),
    ],
    { maxCommands: options.maxCommands, size: "max" },
  );
}

let logCount = 0;

/**
 * Runs one interleaving on a fresh log table, then commits what is still open and polls until every
 * committed change has arrived. The drain is bounded: another transaction anywhere on the cluster
 * holds the horizon back, so delivery is awaited, not assumed.
 */
export async function runInterleaving<Cursor>(
  db: TestDatabase,
  schema: string,
  reader: LogReader<Cursor>,
  commands: Iterable<LogCommand<Cursor>>,
  drainTimeoutMs = 10_000,
): Promise<void> {
  const table = await createChangeLog(db, schema, `changes_${(logCount += 1)}`);
  const model: LogModel = { open: new Map(), committed: [], rolledBack: new Set() };
  const real: LogSystem<Cursor> = {
    db,
    table,
    reader,
    cursor: reader.start,
    sessions: new Map(),
    pending: new Map(),
    delivered: new Set(),
    nextPayload: 1,
  };
  try {
    await fc.asyncModelRun(() => ({ model, real }), commands);
    for (const slot of [...model.open.keys()]) await new EndCommand<Cursor>(slot, true).run(model, real);
    const deadline = Date.now() + drainTimeoutMs;
    while (model.committed.some((change) => !real.delivered.has(change.payload))) {
      if (Date.now() > deadline) {
        const missing = model.committed.filter((change) => !real.delivered.has(change.payload)).map((change) => change.payload);
        throw new Error(
          `${reader.name} had not delivered ${missing.join(', ')} after ${drainTimeoutMs} ms (cursor ${reader.show(real.cursor)}; a long transaction elsewhere on the server holds the horizon back)`,
        );
      }
      await poll(model, real, 3);
    }
  } finally {
    for (const session of real.sessions.values()) {
      await session.query('ROLLBACK');
      await session.release();
    }
    await db.query(`DROP TABLE ${table}`);
  }
}
