import { afterEach, describe, expect, it } from 'vitest';
import { formatCanonicalInstant } from '../../../spec/src/instant.js';
import type { LocalStore } from '../../src/store/local-store.js';
import { openTestStore } from '../support/local-stores.js';
import { serverChange, T0 } from '../support/server-changes.js';

const HOUR = 3_600_000;
const opened: LocalStore[] = [];
afterEach(() => {
  for (const store of opened.splice(0)) store.close();
});

async function storeWithClock(start: number): Promise<{ store: LocalStore; set: (ms: number) => void }> {
  let now = start;
  const { store } = await openTestStore({ wallClock: () => now });
  opened.push(store);
  return { store, set: (ms) => (now = ms) };
}

const at = (ms: number): string => formatCanonicalInstant(ms);

describe('stamping a refused push again (LWW-18)', () => {
  it('LWW-18 changes queued after the refused push are stamped again after it, even those not ahead, so a newer write stays newer', async () => {
    const { store, set } = await storeWithClock(T0 + 2 * HOUR);
    const task = await store.insert('tasks', { title: 'first' });
    const refused = (await store.takePushBatch())!;
    await store.update('tasks', task.id, { title: 'second' });
    // The wall clock is still ahead, further than the refused stamps: the later write is not above the reset.
    set(T0 + 3 * HOUR);

    const batch = (await store.restampRefusedPush(refused))!;
    expect(batch.pushId).not.toBe(refused.pushId);
    const queued = await store.database.outbox.orderBy('seq').toArray();
    expect(queued.map((entry) => [entry.pushId, entry.change.fields!.title])).toEqual([
      [batch.pushId, { value: 'first', at: at(T0 + 3 * HOUR), c: 1 }],
      [undefined, { value: 'second', at: at(T0 + 3 * HOUR), c: 2 }],
    ]);
    expect(batch.entries.map((entry) => entry.seq)).toEqual([queued[0]!.seq]);
    const stored = await store.getStored('tasks', task.id);
    expect(stored!.meta.title).toMatchObject({ value: 'second', at: at(T0 + 3 * HOUR), c: 2 });
    expect(stored!.values.title).toBe('second');
    expect(stored!.pending).toEqual(['title']);
  });

  it('LWW-18 a field another writer has won since keeps that write; the refused change is still stamped again', async () => {
    const { store, set } = await storeWithClock(T0 + 2 * HOUR);
    const task = await store.insert('tasks', { title: 'mine', done: false });
    const refused = (await store.takePushBatch())!;
    const theirs = serverChange({ id: task.id, userId: 'bob', clientId: 'bob-phone', fields: { title: { value: 'bob', t: 3 * HOUR } } });
    await store.applyServerChanges([theirs]);
    set(T0);

    await store.restampRefusedPush(refused);
    const stored = await store.getStored('tasks', task.id);
    // bob's stamp was received: the repair stays above it (and his write keeps the field).
    expect(stored!.meta.title).toMatchObject({ value: 'bob', at: at(T0 + 3 * HOUR), c: 0, userId: 'bob' });
    expect(stored!.meta.done).toMatchObject({ value: false, at: at(T0 + 3 * HOUR), c: 1, userId: 'alice' });
    const [entry] = await store.database.outbox.toArray();
    expect(entry!.change.fields).toEqual({ title: { value: 'mine', at: at(T0 + 3 * HOUR), c: 1 }, done: { value: false, at: at(T0 + 3 * HOUR), c: 1 } });
  });

  it('LWW-18 a refused push no longer queued is left alone', async () => {
    const { store } = await storeWithClock(T0);
    await store.insert('tasks', { title: 'x' });
    const refused = (await store.takePushBatch())!;
    expect(await store.restampRefusedPush({ ...refused, pushId: 'gone' })).toBeUndefined();
    expect((await store.database.outbox.toArray())[0]!.pushId).toBe(refused.pushId);
  });
});
