import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import { afterEach, describe, expect, it } from 'vitest';
import { ExpectationFailure, type Failure } from '../src/failure.js';
import { openSseStream, type StreamEnvironment } from '../src/live/sse-stream.js';
import { openLiveSocket } from '../src/live/ws-socket.js';
import { TranscriptRecorder } from '../src/transcript.js';

interface TestWsServer {
  on(event: 'connection', listener: (socket: { send(text: string): void; close(code: number, reason: string): void; on(event: 'message', listener: (data: Buffer) => void): void }) => void): void;
  close(): void;
}
const { WebSocketServer } = createRequire(import.meta.url)('ws') as { WebSocketServer: new (options: { server: Server }) => TestWsServer };

const closers: Array<() => void> = [];
afterEach(() => {
  for (const close of closers.splice(0)) close();
});

async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  closers.push(() => server.close());
  return `127.0.0.1:${(server.address() as AddressInfo).port}`;
}

function environment(): StreamEnvironment & { failures: Failure[]; controller: AbortController } {
  const failures: Failure[] = [];
  const controller = new AbortController();
  closers.push(() => controller.abort());
  return { recorder: new TranscriptRecorder(), observe: (seen) => failures.push(...seen), signal: controller.signal, failures, controller };
}

describe('the SSE stream client', () => {
  it('SSE-4 records every event, holds it to the spec (an id on a heartbeat is observed) and waits for a predicate', async () => {
    let write: (text: string) => void = () => undefined;
    const host = await listen(
      createServer((_request, response) => {
        response.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
        response.write('retry: 1000\n\n');
        write = (text) => response.write(text);
      }),
    );
    const env = environment();
    const { stream } = await openSseStream(env, 'test stream', `http://${host}/`, {}, false);
    const waiting = stream!.mustReceiveUntil((events) => events.some((event) => event.event === 'heartbeat'), { withinMs: 2000, requirement: 'SSE-6', waitingFor: 'a heartbeat' });
    write('event: heartbeat\nid: c1\ndata: {}\n\n');
    expect((await waiting).map((event) => event.event)).toEqual([undefined, 'heartbeat']);
    expect(env.failures).toEqual([expect.objectContaining({ requirement: 'SSE-4' })]);
    expect(env.recorder.entries.filter((entry) => entry.kind === 'live')).toHaveLength(2);
  });

  it('SSE-2 a wait fails with the requirement when the stream ends first, and keeps the unfinished event', async () => {
    const host = await listen(
      createServer((_request, response) => {
        response.writeHead(200, { 'content-type': 'text/event-stream' });
        response.end('event: changes\ndata: {"cut');
      }),
    );
    const { stream } = await openSseStream(environment(), 'test stream', `http://${host}/`, {}, false);
    const failure = await stream!.mustReceiveUntil(() => false, { withinMs: 2000, requirement: 'SSE-2', waitingFor: 'anything' }).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(ExpectationFailure);
    expect((failure as ExpectationFailure).failure.requirement).toBe('SSE-2');
    expect(stream!.endedByServer).toBe(true);
    expect(stream!.trailing).toBe('event: changes\ndata: {"cut');
  });

  it('SSE-1 a refusal comes back as its exchange, not as a stream', async () => {
    const host = await listen(createServer((_request, response) => response.writeHead(401, { 'content-type': 'application/json' }).end('{"error":{"code":"AUTH_MISSING_TOKEN","message":"m"}}')));
    const opening = await openSseStream(environment(), 'test stream', `http://${host}/`, {}, false);
    expect(opening.stream).toBeUndefined();
    expect(opening.exchange).toMatchObject({ status: 401, json: { error: { code: 'AUTH_MISSING_TOKEN' } } });
  });
});

describe('the WebSocket client', () => {
  it('WS-1 records frames both ways and the close, and observes a server message outside the schema', async () => {
    const server = createServer();
    const wss = new WebSocketServer({ server });
    closers.push(() => wss.close());
    wss.on('connection', (socket) =>
      socket.on('message', (data) => {
        if (data.toString() === '{"type":"ping"}') socket.send('{"type":"pong"}');
        else {
          socket.send('{"type":"nonsense"}');
          socket.close(1008, 'WS_INVALID_MESSAGE');
        }
      }),
    );
    const host = await listen(server);
    const env = environment();
    const { socket } = await openLiveSocket(env, 'test ws', `ws://${host}/ws`);
    await socket!.mustPong('WS-4');
    socket!.send('other');
    const closed = await socket!.mustClose({ withinMs: 2000, requirement: 'WS-5', waitingFor: 'be closed' });
    expect(closed).toMatchObject({ code: 1008, reason: 'WS_INVALID_MESSAGE' });
    expect(env.failures.map((failure) => failure.requirement)).toEqual(['WS-1']);
    expect(env.recorder.entries.filter((entry) => entry.kind === 'live').map((entry) => entry.kind === 'live' && entry.direction)).toEqual(['sent', 'sent', 'received', 'sent', 'received', 'received']);
  });

  it('WS-1 a refused upgrade comes back as its HTTP exchange', async () => {
    const host = await listen(createServer((_request, response) => response.writeHead(400, { 'content-type': 'application/json' }).end('{"error":{"code":"REQUEST_INVALID_PARAMETER","message":"m"}}')));
    const opening = await openLiveSocket(environment(), 'test ws', `ws://${host}/ws/Bad`);
    expect(opening.socket).toBeUndefined();
    expect(opening.exchange).toMatchObject({ status: 400, json: { error: { code: 'REQUEST_INVALID_PARAMETER' } } });
  });
});
