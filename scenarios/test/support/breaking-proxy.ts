import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo, Socket } from 'node:net';
import { createParser, type EventSourceMessage } from 'eventsource-parser';
import { decodeJwt } from 'jose';

// A server variant for the scenarios' failure tests: a small proxy in front of the reference server
// that breaks one behaviour (drops rows, rewrites stamps, strips live events, serves a legacy socket
// as a unified one) and passes everything else through, so a scenario must fail at the step that
// exercises that behaviour.

/** Who sent a request: the `sub` of its bearer token, when it has one. */
export interface Sender {
  readonly userId: string | undefined;
  readonly path: string;
}

export interface BreakingRules {
  /** Rewrites the JSON body of a request before it reaches the server. */
  readonly request?: (body: unknown, sender: Sender) => unknown;
  /** Rewrites a JSON response before it reaches the client. */
  readonly response?: (body: unknown, sender: Sender) => unknown;
  /** Rewrites or drops (undefined) an SSE event before it reaches the client. */
  readonly sseEvent?: (event: EventSourceMessage, sender: Sender) => EventSourceMessage | undefined;
  /** The server path a WebSocket of the client's path is connected to. */
  readonly webSocketPath?: (path: string) => string;
}

export interface BreakingProxy {
  readonly url: string;
  close(): Promise<void>;
}

// The `ws` package ships no type declarations; the parts used here, typed at this one boundary.
interface WsSocket {
  send(data: string): void;
  close(code?: number, reason?: string): void;
  terminate(): void;
  on(event: 'open', listener: () => void): void;
  on(event: 'message', listener: (data: Buffer) => void): void;
  on(event: 'close', listener: (code: number, reason: Buffer) => void): void;
  on(event: 'error', listener: (error: Error) => void): void;
}
interface WsModule {
  WebSocket: new (url: string) => WsSocket;
  WebSocketServer: new (options: { noServer: true }) => {
    handleUpgrade(request: IncomingMessage, socket: Socket, head: Buffer, callback: (client: WsSocket) => void): void;
    close(): void;
  };
}
const ws = createRequire(import.meta.url)('ws') as WsModule;

const HOP_HEADERS = new Set(['host', 'connection', 'content-length', 'transfer-encoding', 'content-encoding', 'keep-alive', 'upgrade']);

function senderOf(request: IncomingMessage): Sender {
  const match = /^Bearer (.+)$/.exec(request.headers.authorization ?? '');
  let userId: string | undefined;
  try {
    userId = match ? decodeJwt(match[1]!).sub : undefined;
  } catch {
    userId = undefined;
  }
  return { userId, path: new URL(request.url ?? '/', 'http://proxy.invalid').pathname };
}

async function bodyOf(request: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

function serializeEvent(event: EventSourceMessage): string {
  return `${event.event === undefined ? '' : `event: ${event.event}\n`}${event.id === undefined ? '' : `id: ${event.id}\n`}${event.data
    .split('\n')
    .map((line) => `data: ${line}\n`)
    .join('')}\n`;
}

async function forward(upstream: string, rules: BreakingRules, request: IncomingMessage, reply: ServerResponse): Promise<void> {
  const sender = senderOf(request);
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(request.headers)) if (!HOP_HEADERS.has(name) && typeof value === 'string') headers[name] = value;
  let body: Buffer | string | undefined = request.method === 'GET' || request.method === 'HEAD' ? undefined : await bodyOf(request);
  if (body !== undefined && rules.request !== undefined && (headers['content-type'] ?? '').includes('json')) {
    body = JSON.stringify(rules.request(JSON.parse(body.toString('utf8')) as unknown, sender));
  }
  const aborted = new AbortController();
  reply.on('close', () => aborted.abort());
  const response = await fetch(`${upstream}${request.url ?? '/'}`, { method: request.method ?? 'GET', headers, ...(body === undefined ? {} : { body }), signal: aborted.signal });
  const type = response.headers.get('content-type') ?? '';
  response.headers.forEach((value, name) => {
    if (!HOP_HEADERS.has(name)) reply.setHeader(name, value);
  });
  reply.writeHead(response.status);
  if (type.startsWith('text/event-stream') && response.body !== null) {
    const parser = createParser({
      onEvent: (event) => {
        const kept = rules.sseEvent === undefined ? event : rules.sseEvent(event, sender);
        if (kept !== undefined) reply.write(serializeEvent(kept));
      },
      onRetry: (retry) => reply.write(`retry: ${retry}\n\n`),
    });
    const decoder = new TextDecoder();
    try {
      for await (const chunk of response.body) parser.feed(decoder.decode(chunk as Uint8Array, { stream: true }));
    } catch {
      // The client or the server ended the stream; the proxy ends it too.
    }
    reply.end();
    return;
  }
  const text = await response.text();
  if (rules.response !== undefined && type.includes('json') && text !== '') reply.end(JSON.stringify(rules.response(JSON.parse(text) as unknown, sender)));
  else reply.end(text);
}

/** Starts the proxy on a free port in front of `upstream` (the reference server's base URL). */
export async function startBreakingProxy(upstream: string, rules: BreakingRules): Promise<BreakingProxy> {
  const server = createServer((request, reply) => {
    forward(upstream, rules, request, reply).catch(() => {
      if (!reply.headersSent) reply.writeHead(502);
      reply.end();
    });
  });
  const sockets = new ws.WebSocketServer({ noServer: true });
  server.on('upgrade', (request: IncomingMessage, socket: Socket, head: Buffer) => {
    const path = new URL(request.url ?? '/', 'http://proxy.invalid').pathname;
    const target = `${upstream.replace(/^http/, 'ws')}${rules.webSocketPath?.(path) ?? path}`;
    sockets.handleUpgrade(request, socket, head, (client) => {
      const server = new ws.WebSocket(target);
      const waiting: string[] = [];
      let open = false;
      server.on('open', () => {
        open = true;
        for (const frame of waiting.splice(0)) server.send(frame);
      });
      server.on('message', (data) => client.send(data.toString('utf8')));
      server.on('close', (code, reason) => client.close(code === 1005 ? 1000 : code, reason.toString('utf8')));
      server.on('error', () => client.terminate());
      client.on('message', (data) => (open ? server.send(data.toString('utf8')) : waiting.push(data.toString('utf8'))));
      client.on('close', () => server.terminate());
      client.on('error', () => server.terminate());
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    async close() {
      sockets.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
