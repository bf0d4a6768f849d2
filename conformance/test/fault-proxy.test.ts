import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import { afterEach, describe, expect, it } from 'vitest';
import { startFaultProxy, type FaultProxy } from '../properties/fault-proxy.js';

interface WsServer {
  on(event: 'connection', listener: (socket: { on(event: 'message', listener: (data: Buffer) => void): void; send(text: string): void }) => void): void;
  close(): void;
}
interface WsClient {
  on(event: 'open', listener: () => void): void;
  on(event: 'message', listener: (data: Buffer) => void): void;
  send(text: string): void;
  close(): void;
}
const ws = createRequire(import.meta.url)('ws') as { WebSocketServer: new (options: { server: Server }) => WsServer; WebSocket: new (url: string) => WsClient };

/** A server that counts what reached it, answers JSON, streams two SSE events on /stream, and echoes WebSocket messages. */
async function startUpstream(): Promise<{ url: string; received: string[]; streams: ServerResponse[]; close(): Promise<void> }> {
  const received: string[] = [];
  const streams: ServerResponse[] = [];
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      received.push(`${request.method} ${request.url} ${String(request.headers['x-client-id'] ?? '')} ${Buffer.concat(chunks).toString('utf8')}`);
      if (request.url?.startsWith('/stream')) {
        response.writeHead(200, { 'content-type': 'text/event-stream' });
        response.write('event: heartbeat\ndata: {}\n\n');
        streams.push(response);
        return;
      }
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end('{"ok":true}');
    });
  });
  const sockets = new ws.WebSocketServer({ server });
  sockets.on('connection', (socket) => socket.on('message', (data) => socket.send(`echo ${data.toString('utf8')}`)));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    received,
    streams,
    close: async () => {
      sockets.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function setUp(): Promise<{ upstream: Awaited<ReturnType<typeof startUpstream>>; proxy: FaultProxy }> {
  const upstream = await startUpstream();
  cleanups.push(() => upstream.close());
  const proxy = await startFaultProxy(upstream.url);
  cleanups.push(() => proxy.close());
  return { upstream, proxy };
}

describe('the fault proxy of the model-based properties', () => {
  it('PUSH-8 forwards requests unchanged, and drops the answer of an armed request after the server answered it', async () => {
    const { upstream, proxy } = await setUp();
    const plain = await fetch(`${proxy.url}/sync/app?x=1`, { method: 'POST', headers: { 'x-client-id': 'laptop', 'content-type': 'application/json' }, body: '{"pushId":"p1"}' });
    expect(plain.status).toBe(200);
    expect(await plain.json()).toEqual({ ok: true });
    const dropped = proxy.dropNextResponse((request) => request.body.includes('"p2"'));
    await expect(fetch(`${proxy.url}/sync/app`, { method: 'POST', body: '{"pushId":"p2"}' })).rejects.toThrow();
    expect(await dropped).toBe(200);
    expect(upstream.received).toEqual(['POST /sync/app?x=1 laptop {"pushId":"p1"}', 'POST /sync/app  {"pushId":"p2"}']);
    // Armed once: the resend goes through.
    expect((await fetch(`${proxy.url}/sync/app`, { method: 'POST', body: '{"pushId":"p2"}' })).status).toBe(200);
  });

  /** Opens /stream through the proxy, lets the upstream write `events` once the heartbeat arrived, and reads until the cut. */
  async function readUntilCut(proxy: FaultProxy, upstream: Awaited<ReturnType<typeof startUpstream>>, cut: Promise<void>, events: string[]): Promise<string> {
    const response = await fetch(`${proxy.url}/stream`);
    const reader = response.body!.getReader();
    const decoder = new TextDecoder();
    let text = decoder.decode((await reader.read()).value as Uint8Array);
    expect(text).toBe('event: heartbeat\ndata: {}\n\n');
    // Written in pieces that split events and a multi-byte character: the proxy keeps event boundaries across chunks.
    const bytes = Buffer.from(events.join(''), 'utf8');
    for (let at = 0; at < bytes.length; at += 7) upstream.streams[0]!.write(bytes.subarray(at, at + 7));
    await cut;
    for (;;) {
      const chunk = await reader.read().catch(() => ({ done: true as const, value: undefined }));
      if (chunk.done) break;
      text += decoder.decode(chunk.value as Uint8Array);
    }
    return text;
  }

  const FIRST = 'event: changes\nid: c2\ndata: {"table":"notes","changes":[{"title":"é"}]}\n\n';
  const SECOND = 'event: changes\nid: c3\ndata: {"table":"tasks","changes":[{"origin":"w7"}]}\n\n';

  it('SSE-5 cuts a stream in the middle of its next changes event, and nothing after it arrives', async () => {
    const { upstream, proxy } = await setUp();
    const cut = proxy.cutNextEvent((request) => request.path.startsWith('/stream'));
    const text = await readUntilCut(proxy, upstream, cut, [FIRST, SECOND]);
    const rest = text.slice('event: heartbeat\ndata: {}\n\n'.length);
    expect(rest.length).toBeGreaterThan(0);
    expect(rest.length).toBeLessThan(FIRST.length);
    expect(FIRST.startsWith(rest)).toBe(true);
  });

  it('SSE-4 cuts the changes event that carries a given text, after the events before it arrived whole', async () => {
    const { upstream, proxy } = await setUp();
    const cut = proxy.cutNextEvent((request) => request.path.startsWith('/stream'), '"w7"');
    const text = await readUntilCut(proxy, upstream, cut, [FIRST, 'event: heartbeat\ndata: {}\n\n', SECOND, FIRST]);
    const rest = text.slice(`event: heartbeat\ndata: {}\n\n${FIRST}event: heartbeat\ndata: {}\n\n`.length);
    expect(text.startsWith(`event: heartbeat\ndata: {}\n\n${FIRST}event: heartbeat\ndata: {}\n\n`)).toBe(true);
    expect(rest.length).toBeGreaterThan(0);
    expect(rest.length).toBeLessThan(SECOND.length);
    expect(SECOND.startsWith(rest)).toBe(true);
  });

  it('rewrites requests when told to (a server made to misbehave from outside), and passes WebSocket upgrades through', async () => {
    const upstream = await startUpstream();
    cleanups.push(() => upstream.close());
    const proxy = await startFaultProxy(upstream.url, { rewrite: (request) => ({ ...request, headers: { ...request.headers, 'x-client-id': undefined }, body: request.body.replace('p1', 'p9') }) });
    cleanups.push(() => proxy.close());
    await fetch(`${proxy.url}/sync/app`, { method: 'POST', headers: { 'x-client-id': 'laptop' }, body: '{"pushId":"p1"}' });
    expect(upstream.received).toEqual(['POST /sync/app  {"pushId":"p9"}']);
    const client = new ws.WebSocket(`${proxy.url.replace('http', 'ws')}/ws`);
    const echoed = new Promise<string>((resolve) => client.on('message', (data) => resolve(data.toString('utf8'))));
    await new Promise<void>((resolve) => client.on('open', resolve));
    client.send('ping');
    expect(await echoed).toBe('echo ping');
    client.close();
  });
});
