import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ServerChange } from '../../spec/generated/types.js';
import { parseInstant } from '../../spec/src/instant.js';
import { Replica, SyncModel, type DeviceRef, type LoggedChange, type ModelWrite, type UserName } from '../model/sync-model.js';
import { deleteFields, relayDifferences, wireChangeOf } from '../model/wire-form.js';
import { expectComplete } from '../properties/delivery-checks.js';
import { ExpectationFailure } from '../src/failure.js';

const T = parseInstant('2026-11-23T10:05:00.000Z')!;
const alice: DeviceRef = { user: 'alice', device: 'laptop' };
const alicePhone: DeviceRef = { user: 'alice', device: 'phone' };
const bob: DeviceRef = { user: 'bob', device: 'phone' };
const charlie: DeviceRef = { user: 'charlie', device: 'laptop' };

function model(members: UserName[] = ['alice', 'bob']): SyncModel {
  const zero = { laptop: 0, phone: 0 };
  return new SyncModel({
    userIds: { alice: 'alice', bob: 'bob', charlie: 'charlie' },
    // The same client ids for every user, as the properties use them (PULL-12).
    clientIds: { alice: { laptop: 'laptop', phone: 'phone' }, bob: { laptop: 'laptop', phone: 'phone' }, charlie: { laptop: 'laptop', phone: 'phone' } },
    sharedSpace: 'org-family',
    baseT: T,
    skewMs: { alice: { ...zero }, bob: { ...zero }, charlie: { ...zero } },
    members,
  });
}

function write(m: SyncModel, op: ModelWrite['op'], id: string, space: ModelWrite['space'], values: Record<string, unknown> = {}, t = T, c = 0): ModelWrite {
  const fields = op === 'delete' ? deleteFields(t, c) : Object.fromEntries(Object.entries(values).map(([name, value]) => [name, { value, t, c }]));
  return { origin: m.nextOrigin(), table: 'tasks', id, op, space, fields };
}

function commit(m: SyncModel, ref: DeviceRef, writes: ModelWrite[]): LoggedChange[] {
  expect(m.verdictOf(ref.user, writes)).toEqual({ kind: 'accepted' });
  return m.commit(ref, `p-${m.log.length}`, writes);
}

describe('the model (the oracle of the model-based properties)', () => {
  it('LWW-5 the worked example of section 6: equal instants and counters, the user id decides, in either order', () => {
    const m = model();
    const [a] = commit(m, alice, [write(m, 'insert', 't1', 'shared', { title: 'a' })]);
    const [b] = commit(m, bob, [write(m, 'update', 't1', 'shared', { title: 'b' })]);
    expect(m.expectedState('alice').view(m.readableSpaces('alice'))).toEqual({ 'tasks/t1': { title: 'b' } });
    const reversed = new Replica();
    reversed.apply(b!);
    reversed.apply(a!);
    expect(reversed.view(new Set(['org-family']))).toEqual({ 'tasks/t1': { title: 'b' } });
  });

  it('LWW-6 replicas that applied the same changes converge, whatever the order and however often', () => {
    const stampedWrite = fc.record({
      user: fc.constantFrom<UserName>('alice', 'bob'),
      device: fc.constantFrom('laptop' as const, 'phone' as const),
      field: fc.constantFrom('title', 'done'),
      value: fc.constantFrom('a', 'b', true, null),
      dt: fc.integer({ min: 0, max: 2 }),
      c: fc.integer({ min: 0, max: 1 }),
    });
    fc.assert(
      fc.property(fc.array(stampedWrite, { minLength: 1, maxLength: 12 }), fc.array(fc.nat(), { maxLength: 12 }), (writes, extra) => {
        const m = model();
        const log = writes.flatMap((w) => commit(m, { user: w.user, device: w.device }, [write(m, 'update', 't1', 'shared', { [w.field]: w.value }, T + w.dt, w.c)]));
        const shuffled = [...log].sort((x, y) => ((x.seq * 7919) % 13) - ((y.seq * 7919) % 13));
        const replayed = new Replica();
        for (const change of [...shuffled, ...extra.map((i) => log[i % log.length]!)]) replayed.apply(change);
        const spaces = new Set(['org-family']);
        expect(replayed.view(spaces)).toEqual(m.expectedState('alice').view(spaces));
      }),
    );
  });

  it('LWW-13 a delete is a write of deletedAt: a later write of another field does not undelete, an older delete loses to nothing', () => {
    const m = model();
    commit(m, alice, [write(m, 'insert', 't1', 'personal', { title: 'a' })]);
    commit(m, alicePhone, [write(m, 'delete', 't1', 'unnamed', {}, T + 5)]);
    commit(m, alice, [write(m, 'update', 't1', 'unnamed', { title: 'z' }, T + 9)]);
    expect(m.expectedState('alice').view(m.readableSpaces('alice'))).toEqual({ 'tasks/t1': { title: 'z', deletedAt: '2026-11-23T10:05:00.005Z' } });
  });

  it('SPACE-3 SPACE-4 SPACE-5 SPACE-8 pushes are refused whole with the codes of the error table, 403 before 409 (ERR-11)', () => {
    const m = model();
    commit(m, alice, [write(m, 'insert', 't1', 'personal', { title: 'a' })]);
    expect(m.verdictOf('charlie', [write(m, 'insert', 's1', 'shared', { title: 'x' })])).toMatchObject({ kind: 'refused', status: 403, codes: ['SPACE_NOT_MEMBER'], requirement: 'SPACE-4', index: 0 });
    // bob names no space: t1 resolves to its record's space, alice's personal one (SPACE-1).
    expect(m.verdictOf('bob', [write(m, 'update', 't1', 'unnamed', { title: 'b' })])).toMatchObject({ kind: 'refused', status: 403, codes: ['SPACE_PERSONAL_FORBIDDEN'], requirement: 'SPACE-3' });
    expect(m.verdictOf('alice', [write(m, 'update', 't1', 'shared', { title: 'c' })])).toMatchObject({ kind: 'refused', status: 409, codes: ['SPACE_MISMATCH'], requirement: 'SPACE-5' });
    const mixed = m.verdictOf('charlie', [write(m, 'update', 't1', 'unnamed', { title: 'c' }), write(m, 'insert', 't9', 'shared', { title: 'd' })]);
    expect(mixed).toMatchObject({ kind: 'refused', status: 403, codes: ['SPACE_PERSONAL_FORBIDDEN', 'SPACE_NOT_MEMBER'] });
    expect(m.verdictOf('alice', [write(m, 'insert', 't2', 'shared', { title: 'a' }), write(m, 'update', 't2', 'unnamed', { done: true })])).toEqual({ kind: 'accepted' });
    // A member revoked during the run: a write of hers taken means the revocation did not take effect.
    m.members.delete('bob');
    expect(m.verdictOf('bob', [write(m, 'insert', 's2', 'shared', { title: 'x' })])).toMatchObject({ kind: 'refused', status: 403, codes: ['SPACE_NOT_MEMBER'], requirement: 'SPACE-8' });
  });

  it('PUSH-6 every write of a refused push is remembered with the requirement its delivery would break', () => {
    const m = model();
    const writes = [write(m, 'insert', 'p1', 'personal', { title: 'a' }), write(m, 'insert', 's1', 'shared', { title: 'x' })];
    const verdict = m.verdictOf('charlie', writes);
    if (verdict.kind !== 'refused') throw new Error('expected a refusal');
    m.refuse(writes, verdict);
    expect(Object.fromEntries(m.refused)).toEqual({ [writes[0]!.origin]: 'PUSH-6', [writes[1]!.origin]: 'SPACE-4' });
    expect(m.log).toHaveLength(0);
  });

  it('SPACE-2 PULL-12 PULL-3 what a reader is due: its space, no echo of its own writer, each change once', () => {
    const m = model();
    const [shared] = commit(m, alice, [write(m, 'insert', 's1', 'shared', { title: 'a' })]);
    const [personal] = commit(m, bob, [write(m, 'insert', 'b1', 'personal', { title: 'b' })]);
    expect(m.due(charlie, new Set())).toEqual([]);
    expect(m.due(alice, new Set()).map((c) => c.origin)).toEqual([]);
    // alice's laptop and bob's laptop share the client id "laptop": not an echo across users.
    expect(m.due({ user: 'bob', device: 'laptop' }, new Set()).map((c) => c.origin)).toEqual([shared!.origin, personal!.origin]);
    expect(m.due(alicePhone, new Set()).map((c) => c.origin)).toEqual([shared!.origin]);
    expect(m.due(alicePhone, new Set([shared!.origin]))).toEqual([]);
    m.members.delete('bob');
    expect(m.due({ user: 'bob', device: 'laptop' }, new Set()).map((c) => c.origin)).toEqual([personal!.origin]);
    // SPACE-2: the author still reads its own change in a space it left.
    const [own] = commit(m, alice, [write(m, 'insert', 's2', 'shared', { title: 'c' })]);
    m.members.delete('alice');
    expect(m.visibleTo('alice', own!)).toBe(true);
    expect(m.visibleTo('alice', shared!)).toBe(true);
    expect(m.visibleTo('bob', own!)).toBe(false);
  });

  it('LWW-8 LWW-11 a relayed change is compared field by field with what was written', () => {
    const m = model();
    const [committed] = commit(m, alice, [write(m, 'insert', 't1', 'shared', { title: 'a', done: false })]);
    const wire = wireChangeOf({ ...committed!, space: 'shared' }, 'org-family');
    const fields = Object.fromEntries(Object.entries(wire.fields!).map(([name, field]) => [name, { value: field.value, at: field.at!, c: field.c ?? 0 }]));
    const relayed: ServerChange = { eventId: 'e1', table: 'tasks', id: 't1', op: 'insert', fields, data: wire.data!, spaceId: 'org-family', userId: 'alice', clientId: 'laptop', schemaVersion: 1, serverAt: '2026-11-23T10:05:01.000Z' };
    expect(relayDifferences(relayed, committed!)).toEqual([]);
    const restamped = { ...relayed, fields: { ...relayed.fields, title: { value: 'a', at: '2026-11-23T10:05:00.001Z', c: 0 } } };
    expect(relayDifferences(restamped, committed!)).toEqual(['field title = "a" at 2026-11-23T10:05:00.001Z c=0 instead of "a" at 2026-11-23T10:05:00.000Z c=0']);
    expect(relayDifferences({ ...relayed, userId: 'bob' }, committed!)).toEqual(['userId "bob" instead of "alice"']);
  });
  it('PULL-3 PULL-4 pushes in flight at once: stored before their answers, due only once answered, unordered among themselves', () => {
    const m = model();
    const [before] = commit(m, alice, [write(m, 'insert', 't1', 'shared', { title: 'a' })]);
    const first = [write(m, 'insert', 'n1', 'shared', { title: 'n' }), write(m, 'update', 't1', 'unnamed', { title: 'b' }, T + 1)];
    const second = [write(m, 'insert', 'n2', 'personal', { title: 'm' })];
    const [a, b] = m.commitConcurrent([
      { author: alicePhone, pushId: 'pa', writes: first },
      { author: bob, pushId: 'pb', writes: second },
    ]);
    // One position for the whole round: a reader may get them in any order, but after `before`.
    expect(new Set([...a!, ...b!].map((change) => change.seq))).toEqual(new Set([before!.seq + 1]));
    expect(m.byOrigin(second[0]!.origin)).toBe(b![0]);
    // Not answered yet: a chain that ends now need not hold them.
    expect(m.due({ user: 'bob', device: 'laptop' }, new Set([before!.origin]))).toEqual([]);
    m.settleConcurrent();
    expect(m.due({ user: 'bob', device: 'laptop' }, new Set([before!.origin])).map((change) => change.origin)).toEqual([...first, ...second].map((w) => w.origin));
    const [after] = commit(m, alice, [write(m, 'insert', 't9', 'shared', { title: 'z' })]);
    expect(after!.seq).toBeGreaterThan(a![0]!.seq);
    expect(m.recordSpaces.get('tasks/n2')).toBe(m.personalSpace('bob'));
  });

  it('SPACE-5 pushes sent at once must not both create one record: which commits first would decide the other\'s verdict', () => {
    const m = model();
    commit(m, alice, [write(m, 'insert', 't1', 'shared', { title: 'a' })]);
    // t1 has its space: writers of it at once race only in LWW, which is order-free.
    expect(m.concurrentConflict([[{ table: 'tasks', id: 't1' }], [{ table: 'tasks', id: 't1' }]])).toBeUndefined();
    expect(m.concurrentConflict([[{ table: 'tasks', id: 'n1' }, { table: 'tasks', id: 'n1' }], [{ table: 'tasks', id: 'n2' }]])).toBeUndefined();
    expect(m.concurrentConflict([[{ table: 'tasks', id: 'n1' }], [{ table: 'tasks', id: 't1' }, { table: 'tasks', id: 'n1' }]])).toBe('tasks/n1');
  });

  it('PULL-12 SSE-8 PULL-3 a missing change of another user under the reader\'s client id is told as echo suppression by client id, unless a race explains it', () => {
    const requirementOf = (act: () => void): string | undefined => {
      try {
        act();
      } catch (error) {
        if (error instanceof ExpectationFailure) return error.failure.requirement;
        throw error;
      }
      return undefined;
    };
    const m = model();
    const bobLaptop: DeviceRef = { user: 'bob', device: 'laptop' };
    const [fromAliceLaptop] = commit(m, alice, [write(m, 'insert', 't1', 'shared', { title: 'a' })]);
    const chain = (reader: DeviceRef, delivered: string[] = []) => ({ reader, delivered: new Set(delivered), lastSeq: 0, resync: false });
    // alice/laptop and bob/laptop share the client id "laptop".
    expect(requirementOf(() => expectComplete(m, chain(bobLaptop), 'pull', ['tasks']))).toBe('PULL-12');
    expect(requirementOf(() => expectComplete(m, chain(bobLaptop), 'stream', ['tasks']))).toBe('SSE-8');
    // bob/phone's client id is another: a plain loss.
    expect(requirementOf(() => expectComplete(m, chain(bob), 'pull', ['tasks']))).toBe('PULL-3');
    // A loss that includes a change of another client id is not echo suppression.
    commit(m, alicePhone, [write(m, 'insert', 't2', 'shared', { title: 'b' })]);
    expect(requirementOf(() => expectComplete(m, chain(bobLaptop), 'pull', ['tasks']))).toBe('PULL-3');
    // Pushes that raced each other: a cursor that passed a late commit explains the loss better.
    const raced = model();
    raced.commitConcurrent([{ author: alice, pushId: 'pa', writes: [write(raced, 'insert', 'n1', 'shared', { title: 'n' })] }]);
    raced.settleConcurrent();
    expect(requirementOf(() => expectComplete(raced, chain(bobLaptop), 'pull', ['tasks']))).toBe('PULL-3');
    expect(requirementOf(() => expectComplete(m, chain(bobLaptop, [fromAliceLaptop!.origin, m.log[1]!.origin]), 'pull', ['tasks']))).toBeUndefined();
  });
});
