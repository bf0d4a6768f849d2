import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ServerChange } from '../../../spec/generated/types.js';
import { formatCanonicalInstant } from '../../../spec/src/instant.js';
import { compareStamps } from '../../../spec/src/stamp-order.js';
import { HybridLogicalClock } from '../../src/clock/hybrid-logical-clock.js';
import { hlcOf, isDeleted, stampOfMeta, type FieldMeta, type RecordMeta, type Writer } from '../../src/merge/field-meta.js';
import { mergeServerChange } from '../../src/merge/record-merge.js';
import { serverChange, T0 } from '../support/server-changes.js';

const alice: Writer = { userId: 'alice', clientId: 'laptop' };
const noPending = (self: Writer = alice) => ({ self, pending: [] });

/** Replays changes into per-record state, as a replica that holds nothing pending does. */
function replay(changes: readonly ServerChange[], self: Writer = alice): Map<string, RecordMeta> {
  const state = new Map<string, RecordMeta>();
  for (const change of changes) {
    const key = `${change.table}/${change.id}`;
    state.set(key, mergeServerChange(state.get(key), change, noPending(self)).meta);
  }
  return state;
}

const sorted = (state: Map<string, RecordMeta>) => [...state.entries()].sort(([a], [b]) => (a < b ? -1 : 1));

// Few writers, instants and counters, so that ties on every part of the stamp are frequent.
const writer = fc.constantFrom<Writer>(alice, { userId: 'alice', clientId: 'phone' }, { userId: 'bob', clientId: 'laptop' }, { userId: 'bö', clientId: 'web' });
const change = fc
  .record({
    writer,
    id: fc.constantFrom('r1', 'r2'),
    op: fc.constantFrom<ServerChange['op']>('insert', 'update', 'delete'),
    fields: fc.dictionary(
      fc.constantFrom('title', 'done', 'deletedAt'),
      fc.record({ value: fc.oneof(fc.jsonValue({ maxDepth: 2 }), fc.constant(null)), t: fc.integer({ min: 0, max: 3 }), c: fc.integer({ min: 0, max: 2 }) }),
      { minKeys: 1 },
    ),
  })
  .map(({ writer, id, op, fields }) => serverChange({ ...writer, id, op: op === 'delete' && fields.deletedAt === undefined ? 'update' : op, fields }));

describe('field-level last-write-wins (section 6)', () => {
  it('LWW-5 the worked example: equal instants and counters, the user id decides on every replica', () => {
    const a = serverChange({ userId: 'alice', clientId: 'laptop', id: 'r', fields: { title: { value: 'a' } } });
    const b = serverChange({ userId: 'bob', clientId: 'phone', id: 'r', fields: { title: { value: 'b' } } });
    expect(replay([a, b]).get('tasks/r')!.title!.value).toBe('b');
    expect(replay([b, a]).get('tasks/r')!.title!.value).toBe('b');
  });

  it('LWW-5 a write applies only if its stamp is greater: an older or equal write changes nothing', () => {
    const newer = serverChange({ ...alice, id: 'r', fields: { title: { value: 'new', t: 5 } } });
    const older = serverChange({ userId: 'zed', clientId: 'z', id: 'r', fields: { title: { value: 'old', t: 4, c: 9 } } });
    const outcome = mergeServerChange(replay([newer]).get('tasks/r'), older, noPending());
    expect(outcome.won).toEqual([]);
    expect(outcome.meta.title!.value).toBe('new');
    expect(mergeServerChange(outcome.meta, newer, noPending()).won).toEqual([]);
  });

  it('LWW-4 a change that writes fields a and b leaves field c alone', () => {
    const first = serverChange({ ...alice, id: 'r', op: 'insert', fields: { a: { value: 1 }, b: { value: 1 }, c: { value: 1 } } });
    const second = serverChange({ userId: 'bob', clientId: 'k', id: 'r', fields: { a: { value: 2, t: 1 }, b: { value: 2, t: 1 } } });
    const meta = replay([first, second]).get('tasks/r')!;
    expect(meta.c).toEqual({ value: 1, at: formatCanonicalInstant(T0), c: 0, ...alice });
    expect([meta.a!.value, meta.b!.value]).toEqual([2, 2]);
  });

  it('LWW-13 a delete is a write of deletedAt: other writes do not undelete, a later null restores', () => {
    const insert = serverChange({ ...alice, id: 'r', op: 'insert', fields: { title: { value: 'x' } } });
    const deleted = serverChange({ ...alice, id: 'r', op: 'delete', fields: { deletedAt: { value: formatCanonicalInstant(T0 + 2), t: 2 } } });
    const edit = serverChange({ userId: 'bob', clientId: 'k', id: 'r', fields: { title: { value: 'y', t: 3 } } });
    const staleRestore = serverChange({ userId: 'bob', clientId: 'k', id: 'r', fields: { deletedAt: { value: null, t: 1 } } });
    const restore = serverChange({ userId: 'bob', clientId: 'k', id: 'r', fields: { deletedAt: { value: null, t: 4 } } });
    expect(isDeleted(replay([insert, deleted, edit]).get('tasks/r')!)).toBe(true);
    expect(isDeleted(replay([insert, deleted, staleRestore]).get('tasks/r')!)).toBe(true);
    expect(isDeleted(replay([insert, deleted, restore]).get('tasks/r')!)).toBe(false);
    expect(isDeleted(replay([restore, deleted, insert]).get('tasks/r')!)).toBe(false);
  });

  it('LWW-14 an insert of a held record merges field by field and keeps the fields it does not write', () => {
    const held = replay([serverChange({ ...alice, id: 'r', fields: { title: { value: 'mine', t: 5 }, notes: { value: 'n', t: 5 } } })]).get('tasks/r');
    const insert = serverChange({ userId: 'bob', clientId: 'k', id: 'r', op: 'insert', fields: { title: { value: 'theirs', t: 4 }, done: { value: true, t: 4 } } });
    const outcome = mergeServerChange(held, insert, noPending());
    expect(outcome.won).toEqual(['done']);
    expect(Object.fromEntries(Object.entries(outcome.meta).map(([field, meta]) => [field, meta.value]))).toEqual({ title: 'mine', notes: 'n', done: true });
  });

  it('LWW-15 an update or delete of an unknown record creates it (a delete creates a tombstone)', () => {
    const update = mergeServerChange(undefined, serverChange({ ...alice, id: 'r', fields: { title: { value: 't' } } }), noPending());
    expect(update.meta.title!.value).toBe('t');
    const deletion = mergeServerChange(undefined, serverChange({ ...alice, id: 'r', op: 'delete', fields: { deletedAt: { value: formatCanonicalInstant(T0) } } }), noPending());
    expect(isDeleted(deletion.meta)).toBe(true);
  });

  it('LWW-6 an echo of our own writer applied again is a no-op', () => {
    const own = serverChange({ ...alice, id: 'r', op: 'insert', fields: { title: { value: 't', t: 1 } } });
    const held = replay([own]).get('tasks/r');
    const outcome = mergeServerChange(held, own, { self: alice, pending: ['title'] });
    expect(outcome).toEqual({ meta: held, won: [], conflicts: [] });
  });

  it('LWW-16 an incoming write that beats a pending local write is reported with both writes', () => {
    const local = serverChange({ ...alice, id: 'r', fields: { title: { value: 'mine', t: 1 } } });
    const held = replay([local]).get('tasks/r');
    const theirs = serverChange({ userId: 'bob', clientId: 'k', id: 'r', fields: { title: { value: 'theirs', t: 2 } } });
    const outcome = mergeServerChange(held, theirs, { self: alice, pending: ['title'] });
    expect(outcome.conflicts).toEqual([{ field: 'title', local: held!.title, incoming: { value: 'theirs', at: formatCanonicalInstant(T0 + 2), c: 0, userId: 'bob', clientId: 'k' } }]);
    // Not pending (already pushed), or losing: no conflict.
    expect(mergeServerChange(held, theirs, noPending()).conflicts).toEqual([]);
    const older = serverChange({ userId: 'bob', clientId: 'k', id: 'r', fields: { title: { value: 'old', t: 0 } } });
    expect(mergeServerChange(held, older, { self: alice, pending: ['title'] }).conflicts).toEqual([]);
  });

  it('LWW-6 replicas that receive the same changes in any order, with duplicates, converge', () => {
    fc.assert(
      fc.property(
        fc.array(change, { minLength: 1, maxLength: 25 }).chain((changes) =>
          fc.tuple(
            fc.constant(changes),
            fc.array(
              fc.tuple(fc.shuffledSubarray(changes, { minLength: changes.length, maxLength: changes.length }), fc.array(fc.constantFrom(...changes), { maxLength: 10 })),
              { minLength: 2, maxLength: 4 },
            ),
          ),
        ),
        ([changes, deliveries]) => {
          const reference = sorted(replay(changes));
          for (const [order, duplicates] of deliveries) {
            // Duplicates arrive anywhere: here, interleaved after the shuffled delivery and before it again.
            expect(sorted(replay([...duplicates, ...order, ...duplicates]))).toEqual(reference);
          }
          // The state is the greatest write of every field, under the spec's order.
          for (const [key, meta] of reference) {
            for (const [field, held] of Object.entries(meta)) {
              for (const candidate of changes.filter((c) => `${c.table}/${c.id}` === key && c.fields[field] !== undefined)) {
                const write: FieldMeta = { ...candidate.fields[field]!, userId: candidate.userId, clientId: candidate.clientId };
                expect(compareStamps(stampOfMeta(write), stampOfMeta(held))).toBeLessThanOrEqual(0);
              }
            }
          }
        },
      ),
    );
  });

  it('LWW-7 a causally later write always wins, even from a writer whose wall clock is behind', () => {
    const skew = fc.integer({ min: -30 * 60_000, max: 30 * 60_000 });
    fc.assert(
      fc.property(skew, skew, fc.jsonValue({ maxDepth: 1 }), fc.jsonValue({ maxDepth: 1 }), fc.boolean(), (aliceSkew, bobSkew, before, after, bobFirst) => {
        const bobClock = new HybridLogicalClock(() => T0 + bobSkew);
        const aliceClock = new HybridLogicalClock(() => T0 + aliceSkew);
        const stamp = (clock: HybridLogicalClock) => {
          const hlc = clock.now();
          return { at: formatCanonicalInstant(hlc.l), c: hlc.c };
        };
        const bobWrite = { ...serverChange({ userId: 'zz-bob', clientId: 'k', id: 'r', fields: { title: { value: before } } }) };
        bobWrite.fields = { title: { value: before, ...stamp(bobClock) } };
        // Alice applies Bob's change (her clock takes in its stamp), then edits the same field.
        aliceClock.receive(hlcOf(bobWrite.fields.title!));
        const aliceWrite = serverChange({ ...alice, id: 'r', fields: { title: { value: after } } });
        aliceWrite.fields = { title: { value: after, ...stamp(aliceClock) } };
        const meta = replay(bobFirst ? [bobWrite, aliceWrite] : [aliceWrite, bobWrite], { userId: 'carol', clientId: 'c' }).get('tasks/r')!;
        expect(meta.title!.userId).toBe('alice');
        expect(meta.title!.value).toEqual(after);
      }),
    );
  });
});
