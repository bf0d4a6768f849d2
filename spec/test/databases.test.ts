import { describe, expect, it } from 'vitest';
import { createScratchSchema, databaseTargets, POSTGRES_SKIP_MESSAGE, POSTGRES_URL } from './support/databases.js';

if (POSTGRES_URL === undefined) console.warn(`databases.test.ts: ${POSTGRES_SKIP_MESSAGE}`);

describe.each(databaseTargets())('test database helper on $label', (target) => {
  it('returns int8 as a decimal string, as pg does, beyond 2^53 too', async () => {
    const db = await target.open();
    try {
      const [row] = await db.query<{ small: unknown; big: unknown }>('SELECT 42::int8 AS small, 9007199254740993::int8 AS big');
      expect(row).toEqual({ small: '42', big: '9007199254740993' });
    } finally {
      await db.close();
    }
  });

  it('commits a transaction whose work resolves and rolls back one whose work throws, in a scratch schema it drops', async () => {
    const db = await target.open();
    try {
      const schema = await createScratchSchema(db);
      await db.query(`CREATE TABLE ${schema.name}.t (v text)`);
      await db.transaction(async (tx) => void (await tx.query(`INSERT INTO ${schema.name}.t VALUES ('kept')`)));
      await expect(
        db.transaction(async (tx) => {
          await tx.query(`INSERT INTO ${schema.name}.t VALUES ('lost')`);
          throw new Error('roll back');
        }),
      ).rejects.toThrow('roll back');
      expect(await db.query(`SELECT v FROM ${schema.name}.t`)).toEqual([{ v: 'kept' }]);
      await schema.drop();
      expect(await db.query('SELECT 1 FROM information_schema.schemata WHERE schema_name = $1', [schema.name])).toEqual([]);
    } finally {
      await db.close();
    }
  });
});

describe.skipIf(POSTGRES_URL === undefined)('test database helper on PostgreSQL sessions', () => {
  it('gives each session its own connection, so two transactions overlap', async () => {
    const [, postgres] = databaseTargets();
    const db = await postgres!.open();
    const a = await db.connect();
    const b = await db.connect();
    try {
      const [pidA] = await a.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
      const [pidB] = await b.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
      expect(pidA?.pid).not.toBe(pidB?.pid);
    } finally {
      await a.release();
      await b.release();
      await db.close();
    }
  });
});
