import { isDeepStrictEqual } from 'node:util';
import { compareStamps, type Stamp } from '../../spec/src/stamp-order.js';
import { stampOfMeta } from '../../reference-client/src/merge/field-meta.js';
import type { Device } from './user-device.js';
import { defineScenario, observed, show } from './scenario.js';

/** The part of a stamp that decides between two writes, for the printout. */
function decidingPart(a: Stamp, b: Stamp): string {
  if (a.t !== b.t) return 'the instant t';
  if (a.c !== b.c) return 'the counter c';
  if (a.userId !== b.userId) return 'the user id u (t and c tie)';
  if (a.clientId !== b.clientId) return 'the client id k';
  return 'the value v';
}

function describeStamp(stamp: Stamp): string {
  return `(t ${new Date(stamp.t).toISOString()}, c ${stamp.c}, u ${stamp.userId}, k ${stamp.clientId})`;
}

async function titleStamp(device: Device, id: string): Promise<Stamp | undefined> {
  const meta = (await device.sync.store.getStored('tasks', id))?.meta.title;
  return meta === undefined ? undefined : stampOfMeta(meta);
}

export const offlineMerge = defineScenario({
  name: 'offline-merge',
  summary: 'alice and bob edit the same shared task while offline, at the same millisecond; after reconnecting both hold the same fields: each untouched field merged, the contested one won by the spec\'s stamp order',
  requirements: ['LWW-4', 'LWW-5', 'LWW-6', 'LWW-8'],
  needs: ['shared-space'],
  async run({ setting, step, device, note }) {
    const { alice, bob } = setting;
    const appId = setting.freshAppId('offline-merge');
    const space = await setting.sharedSpace();
    note(`app ${appId}; space ${space}; alice = ${alice.userId}, bob = ${bob.userId}`);
    // Both wall clocks read the same instant while offline, so that both edits of `title` carry the
    // same t and c and the spec's tie rule decides (section 6, worked example).
    let frozenAt: number | undefined;
    const wallClock = () => frozenAt ?? Date.now();
    const aliceLaptop = await device(alice, 'laptop', { appId, wallClock });
    const bobPhone = await device(bob, 'phone', { appId, wallClock });

    let id = '';
    await step(
      {
        title: `alice writes a task into space ${space} and syncs; bob syncs and holds it`,
        expected: show({ title: 'Plan the trip', done: false, notes: '' }),
        requirements: ['SPACE-2', 'PUSH-11'],
        hint: 'bob receives alice\'s task in the delta of his push (PUSH-11) when the server lets co-members read the space (SPACE-2)',
      },
      async () => {
        id = (await aliceLaptop.sync.insert('tasks', { title: 'Plan the trip', done: false, notes: '', spaceId: space })).id;
        await aliceLaptop.sync.sync();
        await bobPhone.sync.sync();
        const held = await bobPhone.sync.get('tasks', id);
        const values = held && { title: held.title, done: held.done, notes: held.notes };
        return observed(isDeepStrictEqual(values, { title: 'Plan the trip', done: false, notes: '' }), show(values));
      },
    );

    await step(
      {
        title: 'both lose the network; alice sets title and done, bob sets title and notes, at the same millisecond; their syncs fail',
        expected: 'both clients report offline and keep their edit queued (outbox 1) and visible locally',
        requirements: ['ERR-10'],
        hint: 'a sync that cannot reach the server is retried later; the write stays in the outbox',
      },
      async () => {
        aliceLaptop.network.online = false;
        bobPhone.network.online = false;
        frozenAt = Math.floor(Date.now() / 1000) * 1000 + 60_000;
        await aliceLaptop.sync.update('tasks', id, { title: 'Trip to Lisbon', done: true });
        await bobPhone.sync.update('tasks', id, { title: 'Trip to Porto', notes: 'book the night train' });
        frozenAt = undefined;
        const outcomes = await Promise.all(
          [aliceLaptop, bobPhone].map(async (each) => {
            const failed = await each.sync.sync().then(
              () => false,
              () => true,
            );
            return { device: each.label, failed, state: each.sync.state, queued: await each.sync.store.outboxSize(), title: (await each.sync.get('tasks', id))?.title };
          }),
        );
        return observed(
          outcomes.every((outcome) => outcome.failed && outcome.state === 'offline' && outcome.queued === 1),
          outcomes.map((outcome) => `${outcome.device}: sync ${outcome.failed ? 'failed' : 'succeeded'}, state ${outcome.state}, outbox ${outcome.queued}, title ${show(outcome.title)}`).join('; '),
        );
      },
    );

    let winner = '';
    let loser: Device = aliceLaptop;
    let winning: Device = bobPhone;
    await step(
      {
        title: 'the spec\'s stamp order picks the winner of title',
        expected: 'both stamps tie on t and c, so the user id decides, as in the worked example of section 6',
        requirements: ['LWW-5'],
        hint: 'the scenario froze both wall clocks at one instant ahead of every stamp either client had seen, so both hybrid logical clocks (LWW-7) stamped (that instant, 0)',
      },
      async () => {
        const ours = await titleStamp(aliceLaptop, id);
        const theirs = await titleStamp(bobPhone, id);
        if (ours === undefined || theirs === undefined) return observed(false, `stamps: alice ${show(ours)}, bob ${show(theirs)}`);
        const aliceWins = compareStamps(ours, theirs) > 0;
        [winning, loser] = aliceWins ? [aliceLaptop, bobPhone] : [bobPhone, aliceLaptop];
        winner = aliceWins ? 'Trip to Lisbon' : 'Trip to Porto';
        return observed(
          ours.t === theirs.t && ours.c === theirs.c,
          `alice ${describeStamp(ours)} vs bob ${describeStamp(theirs)}: ${winning.person.name}'s "${winner}" wins by ${decidingPart(ours, theirs)}`,
        );
      },
    );

    await step(
      {
        title: 'both reconnect and sync (the winner first, then the loser, then the winner again)',
        expected: `both hold ${show({ title: winner, done: true, notes: 'book the night train' })} with the same stamp on every field`,
        requirements: ['LWW-4', 'LWW-5', 'LWW-6', 'LWW-8', 'LWW-11'],
        hint: 'the server must store and relay every field\'s at and c unchanged (LWW-8) with the writer\'s userId and clientId (LWW-11); a server that restamps writes with its own clock makes each side keep its own value',
      },
      async () => {
        aliceLaptop.network.online = true;
        bobPhone.network.online = true;
        await winning.sync.sync();
        await loser.sync.sync();
        await winning.sync.sync();
        const [ours, theirs] = [await aliceLaptop.sync.store.getStored('tasks', id), await bobPhone.sync.store.getStored('tasks', id)];
        const expected = { title: winner, done: true, notes: 'book the night train' };
        const valuesOf = (values: Record<string, unknown> | undefined) => values && { title: values.title, done: values.done, notes: values.notes };
        const converged = isDeepStrictEqual(ours?.meta, theirs?.meta);
        return observed(
          isDeepStrictEqual(valuesOf(ours?.values), expected) && isDeepStrictEqual(valuesOf(theirs?.values), expected) && converged,
          `alice holds ${show(valuesOf(ours?.values))}; bob holds ${show(valuesOf(theirs?.values))}; stamps ${converged ? 'equal' : 'differ'}`,
        );
      },
    );

    await step(
      {
        title: 'the loser\'s client reports that its unpushed title lost',
        expected: `a conflict on ${loser.label}: title, its value replaced by "${winner}"`,
        requirements: ['LWW-16'],
        hint: 'the loser syncs before its own edit is acknowledged, so the incoming write beats a pending local edit (LWW-16); it needs the whole stamp from the server (LWW-11)',
      },
      () => {
        const conflicts = loser.conflicts.map((conflict) => ({ field: conflict.field, lost: conflict.localValue, won: conflict.incomingValue }));
        return Promise.resolve(observed(conflicts.some((conflict) => conflict.field === 'title' && conflict.won === winner), show(conflicts)));
      },
    );
  },
});
