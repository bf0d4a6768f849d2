import { http, HttpResponse } from 'msw';
import { describe, expect, it } from 'vitest';
import type { ServerChange } from '../../../spec/generated/types.js';
import { Recorder } from '../support/recorder.js';
import { serverChange } from '../support/server-changes.js';
import { errorResponse, pushResponse } from '../support/sync-responses.js';
import { useMockedServer } from '../support/mocked-server.js';
import { recordingSleep, SERVER_URL } from '../support/test-clients.js';

const { server, client } = useMockedServer();

interface StreamRequest {
  lastEventId: string | null;
  since: string | null;
  collections: string | null;
  heartbeat: string | null;
  authorization: string | null;
}

const encoder = new TextEncoder();

function changesEvent(id: string, changes: ServerChange[]): string {
  return `event: changes\nid: ${id}\ndata: ${JSON.stringify({ table: 'tasks', changes, syncedUntil: id, hasMore: false })}\n\n`;
}

/**
 * Serves the stream: the n-th connection gets the n-th script (the last one repeats). A script is
 * the text to send, and whether to end the response after it or keep it open (until the client goes).
 */
function streams(...scripts: ({ text: string; end: boolean } | Response)[]): Recorder<StreamRequest> {
  const seen = new Recorder<StreamRequest>();
  server.use(
    http.post(`${SERVER_URL}/sync/todo`, () => HttpResponse.json(pushResponse({ syncedUntil: 'c-0' }))),
    http.get(`${SERVER_URL}/sync/todo/stream`, ({ request }) => {
      const url = new URL(request.url);
      seen.push({
        lastEventId: request.headers.get('last-event-id'),
        since: url.searchParams.get('since'),
        collections: url.searchParams.get('collections'),
        heartbeat: url.searchParams.get('heartbeat'),
        authorization: request.headers.get('authorization'),
      });
      const script = scripts[Math.min(seen.items.length - 1, scripts.length - 1)]!;
      if (script instanceof Response) return script;
      const body = new ReadableStream<Uint8Array>({
        start(controller) {
          controller.enqueue(encoder.encode(`retry: 1\n\n${script.text}`));
          if (script.end) controller.close();
        },
      });
      return new HttpResponse(body, { headers: { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' } });
    }),
  );
  return seen;
}

function liveClient(options: Parameters<typeof client>[0] = {}) {
  return client({ live: 'sse', sleep: recordingSleep().sleep, sse: { heartbeatSeconds: 1 }, ...options });
}

const fromBob = (id: string) => serverChange({ userId: 'bob', clientId: 'phone', id, op: 'insert', fields: { title: { value: id } } });

describe('live mode over SSE', () => {
  it('SSE-15 a dropped stream resumes with Last-Event-ID of the last changes event applied', async () => {
    const seen = streams({ text: changesEvent('c-1', [fromBob('b1')]) + 'event: heartbeat\ndata: {}\n\n', end: true }, { text: '', end: false });
    const alice = await liveClient();
    alice.start();
    const [first, second] = await seen.whenCount(2);
    expect(first).toEqual({ lastEventId: null, since: 'c-0', collections: 'tasks,lists', heartbeat: '1', authorization: 'Bearer token-of-alice' });
    expect(second).toMatchObject({ lastEventId: 'c-1', since: null });
    expect((await alice.get('tasks', 'b1'))!.title).toBe('b1');
    // The stream covers every table: its cursor is the app's and every table's (PULL-14).
    expect([await alice.store.appCursor(), await alice.store.tableCursor('lists')]).toEqual(['c-1', 'c-1']);
  });

  it('SSE-15 a stream silent for twice the heartbeat period is dropped and resumed', async () => {
    const seen = streams({ text: changesEvent('c-1', [fromBob('b1')]), end: false });
    const alice = await liveClient({ sse: { heartbeatSeconds: 1, heartbeatTimeoutMs: 150 } });
    alice.start();
    const [, second] = await seen.whenCount(2);
    expect(second!.lastEventId).toBe('c-1');
  });

  it('SSE-12 an error event ends the stream; the client reconnects with a fresh token and its last event id', async () => {
    const error = `event: error\ndata: ${JSON.stringify({ error: { code: 'AUTH_TOKEN_EXPIRED', message: 'expired' } })}\n\n`;
    const seen = streams({ text: changesEvent('c-7', [fromBob('b1')]) + error, end: false }, { text: '', end: false });
    let issued = 0;
    const alice = await liveClient({ token: () => `token-${++issued}` });
    const states = new Recorder<string>();
    alice.on('state', (state) => states.push(state));
    alice.start();
    const [first, second] = await seen.whenCount(2);
    expect(second!.lastEventId).toBe('c-7');
    expect(second!.authorization).not.toBe(first!.authorization);
    expect(states.items).toContain('offline');
  });

  it('PULL-11 a stream refused with 409 CURSOR_RESET starts again from the beginning', async () => {
    const seen = streams(errorResponse(409, 'CURSOR_RESET'), { text: '', end: false });
    const alice = await liveClient();
    alice.start();
    const [first, second] = await seen.whenCount(2);
    expect([first!.since, second!.since, second!.lastEventId]).toEqual(['c-0', '', null]);
  });

  it('SSE-4 a changes event that does not match its schema is not applied, and the stream is reopened', async () => {
    const bad = `event: changes\nid: c-9\ndata: ${JSON.stringify({ table: 'tasks', changes: [{ id: 'x' }], syncedUntil: 'c-9', hasMore: false })}\n\n`;
    const seen = streams({ text: bad, end: false }, { text: '', end: false });
    const alice = await liveClient();
    alice.start();
    const [, second] = await seen.whenCount(2);
    expect(second!.lastEventId).toBeNull();
    expect(await alice.store.appCursor()).toBe('c-0');
  });
});
