import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Change } from '../../spec/generated/types.js';
import { POSTGRES_SKIP_MESSAGE, POSTGRES_URL, serverDatabaseTargets } from './support/database-targets.js';
import { freshAppId } from './support/fresh-names.js';
import { openStream } from './support/sse-client.js';
import { SyncTestClient } from './support/sync-client.js';
import { until } from './support/until.js';
import { startTestServer, type TestServer } from './support/test-server.js';

if (POSTGRES_URL === undefined) console.warn(`sse-slow-reader.test.ts: ${POSTGRES_SKIP_MESSAGE}`);

// Enough data to fill the kernel's socket buffers on both ends and the server's own bound.
const PUSHES = 8;
const CHANGES_PER_PUSH = 20;
const VALUE = 'x'.repeat(100_000);

describe.each(serverDatabaseTargets())('SSE slow reader on $label', (target) => {
  let server: TestServer;
  let alice: SyncTestClient;

  beforeAll(async () => {
    server = await startTestServer(target);
    alice = await SyncTestClient.of(server, 'alice', 'laptop');
  });
  afterAll(async () => server?.close());

  it('SSE-10 ends a reader that does not keep up after a complete event, bounds what it buffers, leaves other streams alone, and the reader resumes without loss', async () => {
    const app = freshAppId();
    const connections = server.server.context.connections;
    // The server runs in this process: a stream that waited for 'drain' by adding listeners it never
    // removed would show up here as a MaxListenersExceededWarning once it waited more than ten times.
    const warnings: string[] = [];
    const onWarning = (warning: Error) => warnings.push(warning.name);
    process.on('warning', onWarning);
    const writer = alice.device('writer');
    // heartbeat=1: the server gives a stalled reader two heartbeat periods.
    const slow = await openStream(alice, app, { collections: 'tasks', heartbeat: '1' });
    const fast = await openStream(alice.device('phone'), app, { collections: 'tasks' });
    const total = PUSHES * CHANGES_PER_PUSH;
    const fastReceived = fast.changes(total, 30_000);
    for (let push = 0; push < PUSHES; push++) {
      const changes: Change[] = Array.from({ length: CHANGES_PER_PUSH }, (_, index) => ({
        table: 'tasks',
        id: `p${push}-${index}`,
        op: 'insert',
        data: { blob: VALUE },
      }));
      await writer.mustPush(app, { changes });
    }
    const { changes: everything } = await fastReceived;
    expect(everything).toHaveLength(total);
    // The slow stream is ended while its reader reads nothing; only the fast one stays open.
    await until(() => connections.count('sse') === 1, 'the slow stream ended');

    const firstPart: string[] = [];
    let lastId: string | undefined;
    let errorCode: string | undefined;
    for (;;) {
      // The server drops the socket of a reader that still reads nothing a stall period after the
      // end (SSE-10); a reader as slow as this one may then see the connection fail instead of end,
      // and discards the incomplete event, as a client does.
      const message = await slow.next().catch((error: unknown) => {
        if (error instanceof TypeError && error.message === 'terminated') return 'end' as const;
        throw error;
      });
      if (message === 'end') break;
      if (message.event === 'changes') {
        const event = JSON.parse(message.data) as { changes: Array<{ id: string }> };
        firstPart.push(...event.changes.map((change) => change.id));
        lastId = message.id;
      } else if (message.event === 'error') {
        errorCode = (JSON.parse(message.data) as { error: { code: string } }).error.code;
      }
    }
    expect(errorCode === undefined || errorCode === 'SSE_READER_TOO_SLOW', `error event ${errorCode}`).toBe(true);
    // Bounded: the server did not keep everything for the reader.
    expect(firstPart.length).toBeLessThan(total);
    expect(lastId).toBeDefined();

    const resumed = await openStream(alice, app, { collections: 'tasks' }, { 'last-event-id': lastId! });
    try {
      const { changes: rest } = await resumed.changes(total - firstPart.length, 30_000);
      const all = [...firstPart, ...rest.map((change) => change.id)];
      expect(all).toEqual(everything.map((change) => change.id));
    } finally {
      resumed.close();
      fast.close();
      process.off('warning', onWarning);
    }
    expect(warnings).not.toContain('MaxListenersExceededWarning');
  }, 60_000);
});
