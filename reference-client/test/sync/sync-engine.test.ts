import { http, HttpResponse } from 'msw';
import { describe, expect, it } from 'vitest';
import type { Changeset } from '../../../spec/generated/types.js';
import type { SyncClient } from '../../src/client.js';
import type { SyncState } from '../../src/client-events.js';
import { Recorder } from '../support/recorder.js';
import { pushResponse } from '../support/sync-responses.js';
import { useMockedServer } from '../support/mocked-server.js';
import { recordingSleep, SERVER_URL } from '../support/test-clients.js';

const { server, client } = useMockedServer();

function states(alice: SyncClient): Recorder<SyncState> {
  const seen = new Recorder<SyncState>();
  alice.on('state', (state) => seen.push(state));
  return seen;
}

async function until(recorder: Recorder<SyncState>, state: SyncState): Promise<void> {
  for (let count = 1; !(await recorder.whenCount(count)).includes(state); count = recorder.items.length + 1);
}

describe('the sync engine in started mode', () => {
  it('ERR-10 offline queueing: writes made while the server is unreachable are pushed once it answers', async () => {
    let reachable = false;
    const stored = new Recorder<Changeset>();
    server.use(
      http.post(`${SERVER_URL}/sync/todo`, async ({ request }) => {
        if (!reachable) return HttpResponse.error();
        const body = (await request.json()) as Changeset;
        if (body.changes.length > 0) stored.push(body);
        return HttpResponse.json(pushResponse({ accepted: body.changes.length }));
      }),
    );
    const { sleep } = recordingSleep();
    const alice = await client({ sleep });
    const seen = states(alice);
    alice.start();
    await alice.insert('tasks', { title: 'written offline' });
    await until(seen, 'offline');
    expect(await alice.store.outboxSize()).toBe(1);
    reachable = true;
    const [push] = await stored.whenCount(1);
    expect(push!.changes[0]!.data).toEqual({ title: 'written offline' });
    await until(seen, 'online');
    expect(await alice.store.outboxSize()).toBe(0);
  });

  it('PUSH-10 every local write while started is pushed without a call to sync()', async () => {
    const stored = new Recorder<Changeset>();
    server.use(
      http.post(`${SERVER_URL}/sync/todo`, async ({ request }) => {
        const body = (await request.json()) as Changeset;
        if (body.changes.length > 0) stored.push(body);
        return HttpResponse.json(pushResponse({ accepted: body.changes.length }));
      }),
    );
    const alice = await client();
    alice.start();
    const task = await alice.insert('tasks', { title: 'a' });
    await stored.whenCount(1);
    await alice.update('tasks', task.id, { title: 'b' });
    const pushes = await stored.whenCount(2);
    expect(pushes.flatMap((push) => push.changes.map((change) => change.op))).toEqual(['insert', 'update']);
  });

  it('ERR-10 stop() cancels a push in flight; the change stays queued under its push id', async () => {
    const arrived = new Recorder<Changeset>();
    server.use(
      http.post(`${SERVER_URL}/sync/todo`, async ({ request }) => {
        arrived.push((await request.json()) as Changeset);
        // Never answers: the client has to give up on its own.
        return new Promise<Response>(() => undefined);
      }),
    );
    const alice = await client();
    await alice.insert('tasks', { title: 'a' });
    const syncing = alice.sync();
    const [push] = await arrived.whenCount(1);
    await alice.stop();
    await expect(syncing).rejects.toMatchObject({ code: 'SYNC_STOPPED' });
    expect(alice.state).toBe('idle');
    expect((await alice.store.takePushBatch())!.pushId).toBe(push!.pushId);
  });
});
