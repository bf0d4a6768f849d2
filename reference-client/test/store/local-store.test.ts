import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import type { ServerChange } from '../../../spec/generated/types.js';
import { formatCanonicalInstant, parseInstant } from '../../../spec/src/instant.js';
import { validatorFor } from '../../../spec/src/schema-registry.js';
import { compareStamps } from '../../../spec/src/stamp-order.js';
import { isClientError } from '../../src/errors.js';
import { stampOfMeta } from '../../src/merge/field-meta.js';
import type { FieldCodec } from '../../src/store/field-codec.js';
import type { LocalStore } from '../../src/store/local-store.js';
import { serverChange, T0 } from '../support/server-changes.js';
import { openTestStore } from '../support/local-stores.js';

const opened: LocalStore[] = [];
async function open(...args: Parameters<typeof openTestStore>) {
  const result = await openTestStore(...args);
  opened.push(result.store);
  return result;
}
afterEach(() => {
  for (const store of opened.splice(0)) store.close();
});

async function outbox(store: LocalStore) {
  return store.database.outbox.orderBy('seq').toArray();
}

/** A codec that marks wire values, to tell them from application values. */
const markingCodec: FieldCodec = {
  encode: (value) => Promise.resolve({ wire: value }),
  decode: (value) => {
    if (typeof value === 'object' && value !== null && 'wire' in value) return Promise.resolve(value.wire);
    return Promise.reject(new Error('not a wire value'));
  },
};

describe('local writes', () => {
  it('SPACE-13 a record gets the personal space of its user, or the shared space it names', async () => {
    const { store } = await open();
    const personal = await store.insert('tasks', { title: 'mine' });
    const shared = await store.insert('tasks', { title: 'ours', spaceId: 'org-family' });
    expect(personal.spaceId).toBe('_personal:alice');
    expect(shared.spaceId).toBe('org-family');
    const [first, second] = await outbox(store);
    expect([first!.change.spaceId, second!.change.spaceId]).toEqual(['_personal:alice', 'org-family']);
    const updated = await store.update('tasks', shared.id, { title: 'still ours' });
    expect(updated.spaceId).toBe('org-family');
    expect((await outbox(store))[2]!.change.spaceId).toBe('org-family');
  });

  it('LWW-7 every write stamps its fields from the clock, strictly increasing under a frozen or falling wall clock', async () => {
    let now = T0;
    const { store } = await open({ wallClock: () => now });
    const task = await store.insert('tasks', { title: 'a', done: false });
    now -= 60_000;
    await store.update('tasks', task.id, { title: 'b' });
    await store.update('tasks', task.id, { done: true });
    await store.delete('tasks', task.id);
    const entries = await outbox(store);
    const stamps = entries.map((entry) => Object.values(entry.change.fields!).map((field) => [parseInstant(field.at!)!, field.c!] as const));
    // All fields of one write share its stamp; every write is above the one before.
    for (const fields of stamps) expect(new Set(fields.map(String)).size).toBe(1);
    const sequence = stamps.map((fields) => fields[0]!);
    for (let i = 1; i < sequence.length; i++) {
      const [l0, c0] = sequence[i - 1]!;
      const [l1, c1] = sequence[i]!;
      expect(l1 > l0 || (l1 === l0 && c1 > c0)).toBe(true);
    }
    // The stored per-field state holds the same stamp and the writer.
    const stored = await store.getStored('tasks', task.id);
    const done = entries[2]!.change.fields!.done!;
    expect(stored!.meta.done).toEqual({ value: true, at: done.at, c: done.c, userId: 'alice', clientId: store.self.clientId });
  });

  it('LWW-7 a reloaded store stamps above everything it issued, even with its wall clock set back', async () => {
    const { store, indexedDB } = await open({ wallClock: () => T0 + 3_600_000 });
    const task = await store.insert('tasks', { title: 'a' });
    const before = (await store.getStored('tasks', task.id))!.meta.title!;
    store.close();
    const { store: reloaded } = await open({ indexedDB, wallClock: () => T0 });
    await reloaded.update('tasks', task.id, { title: 'b' });
    const after = (await reloaded.getStored('tasks', task.id))!.meta.title!;
    expect(compareStamps(stampOfMeta(after), stampOfMeta(before))).toBeGreaterThan(0);
    expect(parseInstant(after.at)).toBe(parseInstant(before.at));
    expect(reloaded.self.clientId).toBe(store.self.clientId);
  });

  it('LWW-7 a write after applying a received change is stamped above it, though the wall clock is behind', async () => {
    const { store } = await open({ wallClock: () => T0 });
    await store.applyServerChanges([serverChange({ userId: 'bob', clientId: 'k', id: 'r', op: 'insert', fields: { title: { value: 'b', t: 600_000, c: 7 } } })]);
    await store.update('tasks', 'r', { title: 'a' });
    const meta = (await store.getStored('tasks', 'r'))!.meta.title!;
    // Receiving set the clock to (T0 + 10 min, 8); the write ticks it once more.
    expect(meta).toMatchObject({ value: 'a', at: formatCanonicalInstant(T0 + 600_000), c: 9, userId: 'alice' });
  });

  it('LWW-13 a delete writes deletedAt, keeps a tombstone, and a write of deletedAt = null restores', async () => {
    const { store } = await open();
    const task = await store.insert('tasks', { title: 'a' });
    const deleted = await store.delete('tasks', task.id);
    const change = (await outbox(store))[1]!.change;
    expect(change.op).toBe('delete');
    expect(change.deletedAt).toBe(deleted.deletedAt);
    expect(change.fields).toEqual({ deletedAt: { value: deleted.deletedAt, at: deleted.deletedAt, c: expect.any(Number) as number } });
    expect(await store.list('tasks')).toEqual([]);
    expect((await store.list('tasks', { includeDeleted: true })).map((record) => record.id)).toEqual([task.id]);
    await store.update('tasks', task.id, { title: 'edited while deleted' });
    expect(await store.list('tasks')).toEqual([]);
    await store.update('tasks', task.id, { deletedAt: null });
    expect((await store.list('tasks')).map((record) => record.title)).toEqual(['edited while deleted']);
  });

  it('PUSH-3 every queued change matches change.schema.json', async () => {
    const { store } = await open();
    const task = await store.insert('tasks', { title: 'a', tags: ['x'], meta: { deep: { er: 1 } } });
    await store.update('tasks', task.id, { title: null });
    await store.delete('tasks', task.id);
    const valid = validatorFor('change');
    for (const entry of await outbox(store)) expect(valid(entry.change), JSON.stringify(valid.errors)).toBe(true);
  });

  it('PUSH-15 a value the wire cannot carry is refused at the write, and nothing is stored or queued', async () => {
    const { store } = await open();
    for (const values of [{ title: 'a\u0000b' }, { when: new Date() }, { n: Number.NaN }, { f: undefined }, { $bad: 1 }]) {
      await expect(store.insert('tasks', values)).rejects.toSatisfy((error) => isClientError(error, 'CLIENT_INVALID_WRITE'));
    }
    await expect(store.insert('unknown', { a: 1 })).rejects.toSatisfy((error) => isClientError(error, 'CLIENT_UNKNOWN_TABLE'));
    await expect(store.update('tasks', 'nope', { a: 1 })).rejects.toSatisfy((error) => isClientError(error, 'CLIENT_RECORD_NOT_FOUND'));
    expect(await store.list('tasks', { includeDeleted: true })).toEqual([]);
    expect(await store.outboxSize()).toBe(0);
  });

  it('SPACE-5 a record stays in its space: an insert of its id into another space is refused', async () => {
    const { store } = await open();
    const task = await store.insert('tasks', { title: 'a' });
    await expect(store.insert('tasks', { id: task.id, spaceId: 'org-x', title: 'b' })).rejects.toSatisfy((error) => isClientError(error, 'CLIENT_SPACE_MISMATCH'));
  });

  it('LWW-7 a write and its queued change are one transaction: when queueing fails, nothing is stored', async () => {
    const { store } = await open();
    store.database.outbox.hook('creating', () => {
      throw new Error('disk full');
    });
    await expect(store.insert('tasks', { id: 't1', title: 'a' })).rejects.toThrow('disk full');
    expect(await store.get('tasks', 't1')).toBeUndefined();
    expect(await store.outboxSize()).toBe(0);
  });

  it('LWW-7 a write and its queued change are one transaction: when storing fails, nothing is queued', async () => {
    const { store } = await open();
    await store.insert('tasks', { id: 't1', title: 'a' });
    store.database.records('tasks').hook('updating', () => {
      throw new Error('disk full');
    });
    await expect(store.update('tasks', 't1', { title: 'b' })).rejects.toThrow('disk full');
    expect((await store.get('tasks', 't1'))!.title).toBe('a');
    expect(await store.outboxSize()).toBe(1);
  });

  it('LWW-17 the codec encodes at the write: the stamp and the push carry the wire value, the app reads its own', async () => {
    const { store } = await open({ codec: markingCodec });
    const task = await store.insert('tasks', { title: 'secret' });
    expect(task.title).toBe('secret');
    expect((await store.getStored('tasks', task.id))!.meta.title!.value).toEqual({ wire: 'secret' });
    const change = (await outbox(store))[0]!.change;
    expect(change.fields!.title!.value).toEqual({ wire: 'secret' });
    expect(change.data).toEqual({ title: { wire: 'secret' } });
  });
});

describe('applying server changes', () => {
  it('LWW-15 changes for unknown records create them in the change space; tables not synced are skipped', async () => {
    const { store } = await open();
    const result = await store.applyServerChanges([
      serverChange({ userId: 'bob', clientId: 'k', id: 'r', fields: { title: { value: 'from bob' } }, spaceId: 'org-family' }),
      serverChange({ userId: 'bob', clientId: 'k', id: 'x', table: 'notSynced', fields: { title: { value: 'x' } } }),
    ]);
    expect(await store.get('tasks', 'r')).toEqual({ id: 'r', spaceId: 'org-family', title: 'from bob' });
    expect(result.changed).toEqual([{ table: 'tasks', id: 'r' }]);
  });

  it('LWW-16 an incoming write that beats an unpushed local edit is reported with both values', async () => {
    const { store } = await open({ wallClock: () => T0 });
    const task = await store.insert('tasks', { title: 'mine', done: false });
    const result = await store.applyServerChanges([
      serverChange({ userId: 'bob', clientId: 'k', id: task.id, fields: { title: { value: 'theirs', t: 1000 }, done: { value: true, t: -1000 } } }),
    ]);
    expect(result.conflicts).toHaveLength(1);
    expect(result.conflicts[0]).toMatchObject({ table: 'tasks', id: task.id, field: 'title', localValue: 'mine', incomingValue: 'theirs', local: { value: 'mine', userId: 'alice' }, incoming: { value: 'theirs', userId: 'bob' } });
    expect(await store.get('tasks', task.id)).toMatchObject({ title: 'theirs', done: false });
    // The lost field is no longer a pending local edit; the one that won still is.
    expect((await store.getStored('tasks', task.id))!.pending).toEqual(['done']);
  });

  it('LWW-16 once a push is acknowledged its fields are no longer pending, so a later write is no conflict', async () => {
    const { store } = await open({ wallClock: () => T0 });
    const task = await store.insert('tasks', { title: 'mine' });
    const batch = (await store.takePushBatch())!;
    await store.applyServerChanges([], { acknowledged: batch });
    expect(await store.outboxSize()).toBe(0);
    expect((await store.getStored('tasks', task.id))!.pending).toEqual([]);
    const result = await store.applyServerChanges([serverChange({ userId: 'bob', clientId: 'k', id: task.id, fields: { title: { value: 'theirs', t: 1000 } } })]);
    expect(result.conflicts).toEqual([]);
  });

  it('CRYPT-11 a value that cannot be decoded is merged as it came and reported; the other fields apply', async () => {
    const { store } = await open({ codec: markingCodec });
    const result = await store.applyServerChanges([serverChange({ userId: 'bob', clientId: 'k', id: 'r', op: 'insert', fields: { title: { value: 'enc:1:garbage' }, done: { value: { wire: true } } } })]);
    expect(result.decodeFailures.map((failure) => failure.field)).toEqual(['title']);
    expect(await store.get('tasks', 'r')).toEqual({ id: 'r', spaceId: '_personal:bob', done: true });
    expect((await store.getStored('tasks', 'r'))!.meta.title!.value).toBe('enc:1:garbage');
  });

  it('PULL-14 cursors advance in the transaction of the changes; a table added later is not covered by the app cursor', async () => {
    const { store, indexedDB } = await open();
    await store.applyServerChanges([], { advance: { cursor: 'c-1', app: true, tables: ['tasks', 'lists'] } });
    expect([await store.appCursor(), await store.tableCursor('tasks'), await store.tableCursor('lists')]).toEqual(['c-1', 'c-1', 'c-1']);
    await store.applyServerChanges([], { advance: { cursor: 'c-2', app: false, tables: ['tasks'] } });
    expect([await store.appCursor(), await store.tableCursor('tasks')]).toEqual(['c-1', 'c-2']);
    store.close();
    const { store: wider } = await open({ indexedDB, tables: { tasks: {}, lists: {}, notes: {} } });
    expect(await wider.appCursor()).toBeUndefined();
    expect(await wider.tableCursor('tasks')).toBe('c-2');
    await wider.resetCursors();
    expect([await wider.tableCursor('tasks'), await wider.tableCursor('lists')]).toEqual([undefined, undefined]);
  });

  it('LWW-6 two stores that apply the same changes in different orders hold the same records', async () => {
    const writers = [
      { userId: 'alice', clientId: 'a' },
      { userId: 'bob', clientId: 'b' },
    ];
    const change = fc
      .record({ writer: fc.constantFrom(...writers), id: fc.constantFrom('r1', 'r2'), title: fc.string({ maxLength: 3 }), t: fc.nat(2), c: fc.nat(1), del: fc.boolean() })
      .map(({ writer, id, title, t, c, del }): ServerChange =>
        del
          ? serverChange({ ...writer, id, op: 'delete', fields: { deletedAt: { value: formatCanonicalInstant(T0 + t), t, c } }, spaceId: 'org-family' })
          : serverChange({ ...writer, id, fields: { title: { value: title, t, c } }, spaceId: 'org-family' }),
      );
    await fc.assert(
      fc.asyncProperty(fc.array(change, { minLength: 1, maxLength: 12 }).chain((changes) => fc.tuple(fc.constant(changes), fc.shuffledSubarray(changes, { minLength: changes.length, maxLength: changes.length }))), async ([inOrder, shuffled]) => {
        const { store: one } = await open({ userId: 'carol' });
        const { store: two } = await open({ userId: 'carol' });
        for (const change of inOrder) await one.applyServerChanges([change]);
        await two.applyServerChanges([...shuffled, ...shuffled.slice(0, 3)]);
        const state = async (store: LocalStore) => (await store.database.records('tasks').toArray()).map((record) => ({ ...record, pending: [] })).sort((a, b) => (a.id < b.id ? -1 : 1));
        expect(await state(two)).toEqual(await state(one));
      }),
      { numRuns: 30 },
    );
  });
});

describe('the outbox', () => {
  it('PUSH-10 a push batch keeps its push id and its changes until settled, across a reload', async () => {
    const { store, indexedDB } = await open();
    await store.insert('tasks', { title: 'a' });
    await store.insert('tasks', { title: 'b' });
    const first = (await store.takePushBatch())!;
    await store.insert('tasks', { title: 'c' });
    expect(first.entries.map((entry) => entry.change.data!.title)).toEqual(['a', 'b']);
    store.close();
    const { store: reloaded } = await open({ indexedDB });
    const again = (await reloaded.takePushBatch())!;
    expect(again.pushId).toBe(first.pushId);
    expect(again.entries.map((entry) => entry.change)).toEqual(first.entries.map((entry) => entry.change));
    await reloaded.applyServerChanges([], { acknowledged: again });
    const next = (await reloaded.takePushBatch())!;
    expect(next.pushId).not.toBe(first.pushId);
    expect(next.entries.map((entry) => entry.change.data!.title)).toEqual(['c']);
  });

  it('ERR-10 a refused push is set aside with its code, and its fields stop being pending', async () => {
    const { store } = await open();
    const task = await store.insert('tasks', { title: 'a' });
    const batch = (await store.takePushBatch())!;
    const rejected = await store.rejectPushBatch(batch, { status: 403, code: 'SPACE_NOT_MEMBER', message: 'no' });
    expect(rejected).toMatchObject({ pushId: batch.pushId, status: 403, code: 'SPACE_NOT_MEMBER', changes: [batch.entries[0]!.change] });
    expect(await store.outboxSize()).toBe(0);
    expect(await store.rejectedPushes()).toHaveLength(1);
    expect((await store.getStored('tasks', task.id))!.pending).toEqual([]);
  });
});
