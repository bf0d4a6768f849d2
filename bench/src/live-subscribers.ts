import { request as httpRequest, type ClientRequest } from 'node:http';
import { createRequire } from 'node:module';
import { createParser } from 'eventsource-parser';
import type { WsServerMessage } from '../../spec/generated/types.js';
import type { Device } from './sync-requests.js';

// Light live clients for the fan-out and connection figures: a thousand SSE streams over node:http
// and ten thousand WebSockets over `ws` in one process. Each hands every event to `onEvent` with
// the instant it arrived, taken before anything else is done with it.

/** `ws`'s client as used here (the package ships no type declarations). */
interface WsClient {
  send(data: string): void;
  terminate(): void;
  on(event: 'open', listener: () => void): void;
  on(event: 'message', listener: (data: Buffer) => void): void;
  on(event: 'close', listener: () => void): void;
  on(event: 'error', listener: (error: Error) => void): void;
}
const { WebSocket } = createRequire(import.meta.url)('ws') as { WebSocket: new (url: string, options: { perMessageDeflate: boolean }) => WsClient };

export interface Subscriber {
  close(): void;
}

export type SubscriberEvent = (atMs: number, event: { type: string; data: string }) => void;

/** An SSE stream of `collections`; resolves once the response head arrived (the stream is subscribed then). */
export function openSseSubscriber(url: string, appId: string, collections: string, device: Device, onEvent: SubscriberEvent): Promise<Subscriber> {
  return new Promise((resolve, reject) => {
    let request: ClientRequest | undefined = undefined;
    const parser = createParser({ onEvent: (event) => onEvent(performance.now(), { type: event.event ?? 'message', data: event.data }) });
    request = httpRequest(
      `${url}/sync/${appId}/stream?${new URLSearchParams({ collections }).toString()}`,
      { agent: false, headers: { authorization: `Bearer ${device.token}`, 'x-client-id': device.clientId, accept: 'text/event-stream' } },
      (response) => {
        if (response.statusCode !== 200) {
          reject(new Error(`stream of ${device.userId}: ${response.statusCode}`));
          response.resume();
          return;
        }
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => parser.feed(chunk));
        response.on('error', () => undefined);
        resolve({ close: () => request!.destroy() });
      },
    );
    request.on('error', reject);
    request.end();
  });
}

/** A unified WebSocket, authenticated; resolves on auth-ok. */
export function openWsSubscriber(url: string, device: Device, onMessage: (atMs: number, message: WsServerMessage) => void, onClose: () => void = () => undefined): Promise<Subscriber> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(`${url.replace(/^http/, 'ws')}/ws`, { perMessageDeflate: false });
    let authenticated = false;
    socket.on('open', () => socket.send(JSON.stringify({ type: 'auth', token: device.token, clientId: device.clientId })));
    socket.on('message', (data) => {
      const atMs = performance.now();
      const message = JSON.parse(data.toString('utf8')) as WsServerMessage;
      if (!authenticated) {
        if (message.type !== 'auth-ok') return reject(new Error(`WebSocket of ${device.userId}: ${data.toString('utf8')}`));
        authenticated = true;
        return resolve({ close: () => socket.terminate() });
      }
      onMessage(atMs, message);
    });
    socket.on('error', (error) => {
      if (!authenticated) reject(error);
    });
    socket.on('close', () => {
      if (!authenticated) reject(new Error(`WebSocket of ${device.userId} closed before auth-ok`));
      else onClose();
    });
  });
}

/** Opens `count` subscribers, at most `parallel` handshakes at a time (the listen backlog is finite). */
export async function openAll<T>(count: number, parallel: number, open: (index: number) => Promise<T>): Promise<T[]> {
  const opened: T[] = new Array<T>(count);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(parallel, count) }, async () => {
      while (next < count) {
        const index = next++;
        opened[index] = await open(index);
      }
    }),
  );
  return opened;
}
