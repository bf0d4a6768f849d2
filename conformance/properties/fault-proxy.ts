import { createServer, request as httpRequest, type IncomingHttpHeaders, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { connect, type AddressInfo, type Socket } from 'node:net';
import { StringDecoder } from 'node:string_decoder';

// A fault-injecting HTTP proxy between the suite's devices and the server under test. Faults that
// cross the process boundary are made here, where a real network would make them: a response lost
// after the server committed (the device resends with the same pushId, PUSH-8), a stream cut in the
// middle of an event (the device resumes with Last-Event-ID, SSE-5), a delay. WebSocket upgrades
// pass through unchanged.

/** A request as the proxy saw it, for the predicates that arm a fault. */
export interface ProxiedRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
}

type Match = (request: ProxiedRequest) => boolean;

export interface FaultProxy {
  readonly url: string;
  /**
   * The next request that `match` accepts is forwarded and answered by the server in full, then its
   * connection is destroyed before a byte of the answer reaches the client. Resolves with the
   * status the client never saw.
   */
  dropNextResponse(match: Match): Promise<number>;
  /**
   * The next `changes` event of a stream `match` accepts (with `containing`, the next one whose text
   * contains it) is cut in its middle, and the stream with it: every event before it arrives whole.
   */
  cutNextEvent(match: Match, containing?: string): Promise<void>;
  /** Every request waits this long before it is forwarded (0: none). */
  setDelay(ms: number): void;
  close(): Promise<void>;
}

interface Armed<T> {
  match: Match;
  resolve: (value: T) => void;
}

interface ArmedCut extends Armed<void> {
  containing: string | undefined;
}

const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'transfer-encoding', 'upgrade', 'proxy-connection', 'te', 'trailer']);

function forwardHeaders(headers: IncomingHttpHeaders, host: string): IncomingHttpHeaders {
  const kept = Object.fromEntries(Object.entries(headers).filter(([name, value]) => value !== undefined && !HOP_BY_HOP.has(name.toLowerCase())));
  return { ...kept, host };
}

function readBody(request: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks)));
    request.on('error', reject);
  });
}

// SSE-14: an event ends at a blank line; the suite's peers end lines with LF, CRLF or CR.
const EVENT_END = /\r\n\r\n|\n\n|\r\r/;

/**
 * Splits stream text into complete events (each with its blank line) and the unfinished rest. The
 * proxy forwards only complete events, so that it can still cut any of them in its middle.
 */
function completeEvents(text: string): { events: string[]; rest: string } {
  const events: string[] = [];
  let rest = text;
  for (let end = EVENT_END.exec(rest); end !== null; end = EVENT_END.exec(rest)) {
    events.push(rest.slice(0, end.index + end[0].length));
    rest = rest.slice(end.index + end[0].length);
  }
  return { events, rest };
}

const isChangesEvent = (event: string): boolean => /^event: ?changes\r?$/m.test(event);

export interface FaultProxyOptions {
  /** Rewrites every request before it is forwarded: a way to make a server misbehave from outside (tests of the suite). */
  rewrite?: (request: ProxiedRequest) => ProxiedRequest;
}

export async function startFaultProxy(targetUrl: string, options: FaultProxyOptions = {}): Promise<FaultProxy> {
  const target = new URL(targetUrl);
  const targetPort = Number(target.port || 80);
  const drops: Armed<number>[] = [];
  const cuts: ArmedCut[] = [];
  const sockets = new Set<Socket>();
  let delayMs = 0;

  const take = <A extends { match: Match }>(list: A[], request: ProxiedRequest, also: (armed: A) => boolean = () => true): A | undefined => {
    const index = list.findIndex((armed) => armed.match(request) && also(armed));
    return index === -1 ? undefined : list.splice(index, 1)[0];
  };

  async function handle(incoming: IncomingMessage, outgoing: ServerResponse): Promise<void> {
    const body = await readBody(incoming);
    const received: ProxiedRequest = { method: incoming.method ?? 'GET', path: incoming.url ?? '/', headers: incoming.headers, body: body.toString('utf8') };
    const seen = options.rewrite?.(received) ?? received;
    if (delayMs > 0) await new Promise((resolve) => setTimeout(resolve, delayMs));
    // Faults are armed on what the device sent, whatever a rewrite makes of it.
    const drop = take(drops, received);
    const forwarded = seen === received ? body : Buffer.from(seen.body, 'utf8');
    const headers: IncomingHttpHeaders = { ...forwardHeaders(seen.headers, target.host) };
    if (forwarded.length > 0 || incoming.headers['content-length'] !== undefined) headers['content-length'] = String(forwarded.length);
    const upstream = httpRequest({ host: target.hostname, port: targetPort, method: seen.method, path: seen.path, headers }, (answer) => {
      if (drop !== undefined) {
        // Read the whole answer first: the server has committed and answered; only the client misses it.
        void readBody(answer).then(() => {
          incoming.socket.destroy();
          drop.resolve(answer.statusCode ?? 0);
        });
        return;
      }
      const isStream = /^text\/event-stream\b/i.test(String(answer.headers['content-type'] ?? ''));
      outgoing.writeHead(answer.statusCode ?? 502, Object.fromEntries(Object.entries(answer.headers).filter(([name]) => !HOP_BY_HOP.has(name.toLowerCase()))));
      if (!isStream) {
        answer.pipe(outgoing);
        return;
      }
      outgoing.flushHeaders();
      const decoder = new StringDecoder('utf8');
      let unfinished = '';
      let wasCut = false;
      answer.on('data', (chunk: Buffer) => {
        // Nothing after the cut may reach the client while the connection is being destroyed.
        if (wasCut) return;
        const { events, rest } = completeEvents(unfinished + decoder.write(chunk));
        unfinished = rest;
        for (const [index, event] of events.entries()) {
          const cut = isChangesEvent(event) ? take(cuts, received, (armed) => armed.containing === undefined || event.includes(armed.containing)) : undefined;
          if (cut === undefined) continue;
          wasCut = true;
          const before = events.slice(0, index).join('');
          outgoing.write(before + event.slice(0, Math.floor(event.length / 2)), () => {
            answer.destroy();
            incoming.socket.destroy();
            cut.resolve();
          });
          return;
        }
        if (events.length > 0) outgoing.write(events.join(''));
      });
      answer.on('end', () => outgoing.end(unfinished + decoder.end()));
      answer.on('error', () => outgoing.destroy());
      outgoing.on('close', () => answer.destroy());
    });
    upstream.on('error', () => {
      if (!outgoing.headersSent) outgoing.writeHead(502, { 'content-type': 'text/plain' });
      outgoing.end('the fault proxy could not reach the server');
    });
    upstream.end(forwarded);
  }

  const server: Server = createServer((incoming, outgoing) => {
    handle(incoming, outgoing).catch(() => outgoing.destroy());
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  server.on('upgrade', (incoming: IncomingMessage, socket: Socket, head: Buffer) => {
    const upstream = connect(targetPort, target.hostname, () => {
      const lines = [`${incoming.method ?? 'GET'} ${incoming.url ?? '/'} HTTP/1.1`];
      for (let i = 0; i < incoming.rawHeaders.length; i += 2) {
        const name = incoming.rawHeaders[i]!;
        lines.push(`${name}: ${name.toLowerCase() === 'host' ? target.host : incoming.rawHeaders[i + 1]!}`);
      }
      upstream.write(`${lines.join('\r\n')}\r\n\r\n`);
      if (head.length > 0) upstream.write(head);
      socket.pipe(upstream).pipe(socket);
    });
    sockets.add(upstream);
    upstream.on('close', () => {
      sockets.delete(upstream);
      socket.destroy();
    });
    upstream.on('error', () => socket.destroy());
    socket.on('error', () => upstream.destroy());
    socket.on('close', () => upstream.destroy());
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    dropNextResponse: (match) => new Promise<number>((resolve) => drops.push({ match, resolve })),
    cutNextEvent: (match, containing) => new Promise<void>((resolve) => cuts.push({ match, resolve, containing })),
    setDelay(ms) {
      delayMs = ms;
    },
    async close() {
      for (const socket of sockets) socket.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
