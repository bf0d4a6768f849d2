import type { Database } from '../../src/db/database.js';

/** A point a test opens when it is ready: `entered` resolves when someone waits at it. */
export class Gate {
  readonly #opened: Promise<void>;
  #open!: () => void;
  readonly entered: Promise<void>;
  #enter!: () => void;

  constructor() {
    this.#opened = new Promise((resolve) => (this.#open = resolve));
    this.entered = new Promise((resolve) => (this.#enter = resolve));
  }

  async pass(): Promise<void> {
    this.#enter();
    await this.#opened;
  }

  open(): void {
    this.#open();
  }
}

/** A database the test can take down, make fail unexpectedly, or hold transactions of. */
export interface FaultyDatabase extends Database {
  /** 'down': every call fails as an unreachable server does; 'broken': as an unexpected bug does. */
  fault: 'none' | 'down' | 'broken';
  /** While set, every new transaction waits at it. */
  gate: Gate | undefined;
}

export function faultyDatabase(db: Database): FaultyDatabase {
  const failure = (fault: FaultyDatabase['fault']): Error =>
    fault === 'down'
      ? Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' })
      : new Error('boom: SELECT secret FROM internals');
  const faulty: FaultyDatabase = {
    kind: db.kind,
    description: db.description,
    fault: 'none',
    gate: undefined,
    query: (sql, params) => (faulty.fault === 'none' ? db.query(sql, params) : Promise.reject(failure(faulty.fault))),
    async transaction(work) {
      if (faulty.fault !== 'none') throw failure(faulty.fault);
      await faulty.gate?.pass();
      return db.transaction(work);
    },
    close: () => db.close(),
  };
  return faulty;
}
