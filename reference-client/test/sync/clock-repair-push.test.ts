import { http, HttpResponse } from 'msw';
import { describe, expect, it } from 'vitest';
import { MAX_FUTURE_SKEW_SECONDS } from '../../../spec/generated/constants.js';
import type { Change, Changeset, ServerChange } from '../../../spec/generated/types.js';
import { parseInstant } from '../../../spec/src/instant.js';
import type { SyncClient } from '../../src/client.js';
import { isClientError } from '../../src/errors.js';
import { useMockedServer } from '../support/mocked-server.js';
import { serverChange, T0 } from '../support/server-changes.js';
import { errorResponse, pushResponse } from '../support/sync-responses.js';
import { SERVER_URL } from '../support/test-clients.js';

const { server, client } = useMockedServer();

const HOUR = 3_600_000;
const LIMIT = T0 + MAX_FUTURE_SKEW_SECONDS * 1000;

interface ServerOptions {
  /** The changes of other writers the first accepted push returns. */
  readonly delta?: ServerChange[];
  /** Runs when a push arrives, before it is answered. */
  readonly onPush?: () => Promise<void>;
}

/** A server whose clock reads T0: a push with a stamp more than the skew ahead is refused (LWW-12). */
function serverAtT0(options: ServerOptions = {}): Changeset[] {
  const seen: Changeset[] = [];
  server.use(
    http.post(`${SERVER_URL}/sync/todo`, async ({ request }) => {
      const body = (await request.json()) as Changeset;
      seen.push(body);
      await options.onPush?.();
      if (body.changes.some((change) => stampsOf(change).some((stamp) => stamp.l > LIMIT))) return errorResponse(422, 'LWW_CLOCK_AHEAD');
      const delta = seen.length === 1 ? (options.delta ?? []) : [];
      return HttpResponse.json(pushResponse({ accepted: body.changes.length, serverChanges: delta }));
    }),
  );
  return seen;
}

function stampsOf(change: Change): { l: number; c: number }[] {
  return Object.values(change.fields ?? {}).map((field) => ({ l: parseInstant(field.at!)!, c: field.c! }));
}

function stampOfChange(change: Change): { l: number; c: number } {
  const [first, ...rest] = stampsOf(change);
  for (const other of rest) expect(other).toEqual(first);
  return first!;
}

/** A wall clock the test sets: ahead for the first writes, then corrected. */
function settableClock(start: number): { wallClock: () => number; set: (ms: number) => void } {
  let now = start;
  return { wallClock: () => now, set: (ms) => (now = ms) };
}

/** Every field's local meta is the last write of it that was pushed. */
async function expectMetaMatches(alice: SyncClient, changes: readonly Change[]): Promise<void> {
  const last = new Map<string, { change: Change; field: string }>();
  for (const change of changes) for (const field of Object.keys(change.fields ?? {})) last.set(`${change.table}/${change.id}.${field}`, { change, field });
  for (const [name, { change, field }] of last) {
    const pushed = change.fields![field]!;
    const stored = await alice.store.getStored(change.table, change.id);
    expect(stored!.meta[field], name).toMatchObject({ value: pushed.value, at: pushed.at, c: pushed.c, userId: 'alice', clientId: 'alice-laptop' });
  }
}

describe('a push refused because the clock ran ahead (LWW-18)', () => {
  it('LWW-18 is stamped again from the corrected wall clock, in order, and pushed under a new push id', async () => {
    const seen = serverAtT0();
    const clock = settableClock(T0 + 2 * HOUR);
    const alice = await client({ wallClock: clock.wallClock });
    const rejected: string[] = [];
    alice.on('push-rejected', (push) => rejected.push(push.code));
    const task = await alice.insert('tasks', { title: 'buy milk', done: false });
    const other = await alice.insert('tasks', { title: 'call bob' });
    await alice.update('tasks', task.id, { done: true });
    await alice.delete('tasks', other.id);

    clock.set(T0 + 1000);
    await alice.sync();

    expect(seen).toHaveLength(2);
    const [refused, resent] = [seen[0]!, seen[1]!];
    expect(refused.changes.map(stampOfChange).every((stamp) => stamp.l === T0 + 2 * HOUR)).toBe(true);
    expect(resent.pushId).toBeDefined();
    expect(resent.pushId).not.toBe(refused.pushId);
    // The same writes in the same order, with stamps from the corrected clock, strictly increasing.
    expect(resent.changes.map((change) => [change.op, change.id])).toEqual(refused.changes.map((change) => [change.op, change.id]));
    expect(resent.changes.map((change) => change.data)).toEqual(refused.changes.map((change) => change.data));
    const stamps = resent.changes.map(stampOfChange);
    expect(stamps).toEqual([0, 1, 2, 3].map((c) => ({ l: T0 + 1000, c: c + 1 })));
    const deletion = resent.changes[3]!;
    expect(deletion.deletedAt).toBe(deletion.fields!.deletedAt!.at);
    expect(deletion.fields!.deletedAt!.value).toBe(deletion.fields!.deletedAt!.at);

    await expectMetaMatches(alice, resent.changes);
    expect((await alice.get('tasks', other.id))!.deletedAt).toBe(deletion.deletedAt);
    expect((await alice.store.getStored('tasks', task.id))!.pending).toEqual([]);
    expect(await alice.store.outboxSize()).toBe(0);
    expect(await alice.store.rejectedPushes()).toEqual([]);
    expect(rejected).toEqual([]);
    expect(alice.state).toBe('online');

    // The repaired clock goes on from there: the next write is not ahead either.
    await alice.update('tasks', task.id, { title: 'buy oat milk' });
    await alice.sync();
    expect(stampOfChange(seen[2]!.changes[0]!)).toEqual({ l: T0 + 1000, c: 5 });
  });

  it('LWW-18 the repaired clock stays above the greatest stamp the client received', async () => {
    const received = serverChange({ id: 'from-bob', userId: 'bob', clientId: 'bob-phone', fields: { title: { value: 'bob', t: 30 * 60_000, c: 7 } } });
    const seen = serverAtT0({ delta: [received] });
    const clock = settableClock(T0);
    const alice = await client({ wallClock: clock.wallClock });
    await alice.sync();
    clock.set(T0 + 2 * HOUR);
    const task = await alice.insert('tasks', { title: 'ahead' });

    clock.set(T0);
    await alice.sync();
    expect(seen).toHaveLength(3);
    const resent = seen[2]!.changes[0]!;
    expect(stampOfChange(resent)).toEqual({ l: T0 + 30 * 60_000, c: 8 });
    await expectMetaMatches(alice, [resent]);
    expect((await alice.store.getStored('tasks', task.id))!.pending).toEqual([]);
  });

  it('LWW-18 a write made while the refused push was in flight is stamped again after it, and its field follows', async () => {
    const clock = settableClock(T0 + 2 * HOUR);
    const alice = await client({ wallClock: clock.wallClock });
    const taskId = (await alice.insert('tasks', { title: 'first' })).id;
    const seen = serverAtT0({
      onPush: async () => {
        if (seen.length > 1) return;
        // Written again by the runaway clock before the refusal arrives, then the clock is corrected.
        await alice.update('tasks', taskId, { title: 'written again' });
        clock.set(T0);
      },
    });
    await alice.sync();

    expect(seen.map((push) => push.changes.length)).toEqual([1, 1, 1]);
    const [refused, resent, later] = [seen[0]!, seen[1]!, seen[2]!];
    expect(resent.pushId).not.toBe(refused.pushId);
    expect(later.pushId).not.toBe(resent.pushId);
    expect(stampOfChange(resent.changes[0]!)).toEqual({ l: T0, c: 1 });
    expect(later.changes[0]!.fields!.title!.value).toBe('written again');
    expect(stampOfChange(later.changes[0]!)).toEqual({ l: T0, c: 2 });
    const stored = await alice.store.getStored('tasks', taskId);
    expect(stored!.meta.title).toMatchObject({ value: 'written again', at: later.changes[0]!.fields!.title!.at, c: 2 });
    expect(stored!.values.title).toBe('written again');
    expect(stored!.pending).toEqual([]);
  });

  it('LWW-18 a push refused again after the repair stays queued until the wall clock is corrected', async () => {
    const seen = serverAtT0();
    const clock = settableClock(T0 + 2 * HOUR);
    const alice = await client({ wallClock: clock.wallClock });
    const rejected: string[] = [];
    alice.on('push-rejected', (push) => rejected.push(push.code));
    const task = await alice.insert('tasks', { title: 'ahead' });

    const error: unknown = await alice.sync().catch((e: unknown) => e);
    expect(isClientError(error, 'SYNC_REFUSED') && error.serverError?.code).toBe('LWW_CLOCK_AHEAD');
    expect(seen).toHaveLength(2);
    expect(await alice.store.outboxSize()).toBe(1);
    expect(await alice.store.rejectedPushes()).toEqual([]);
    expect(rejected).toEqual([]);
    expect((await alice.store.getStored('tasks', task.id))!.pending).toEqual(['title']);

    clock.set(T0);
    await alice.sync();
    const last = seen.at(-1)!;
    expect(stampOfChange(last.changes[0]!).l).toBeLessThanOrEqual(LIMIT);
    await expectMetaMatches(alice, last.changes);
    expect(await alice.store.outboxSize()).toBe(0);
  });
});
