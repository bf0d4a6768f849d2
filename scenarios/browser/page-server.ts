import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { DemoPage } from './build.js';

export interface PageServer {
  /** The page's URL (origin and `/`); its origin is what the sync server's CORS must allow. */
  readonly url: string;
  readonly origin: string;
  close(): Promise<void>;
}

/**
 * Serves the built demo page on 127.0.0.1 (a secure context, so WebCrypto is available) on an
 * ephemeral port: `/` is index.html, `/main.js` the bundle, anything else 404.
 */
export async function startPageServer(page: DemoPage): Promise<PageServer> {
  const files = new Map([
    ['/', { type: 'text/html; charset=utf-8', body: page.html }],
    ['/main.js', { type: 'text/javascript; charset=utf-8', body: page.script }],
  ]);
  const server = createServer((request, response) => {
    const file = files.get(new URL(request.url ?? '/', 'http://page').pathname);
    if (file === undefined || request.method !== 'GET') {
      response.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      return;
    }
    response.writeHead(200, { 'content-type': file.type, 'cache-control': 'no-store' }).end(file.body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const origin = `http://127.0.0.1:${port}`;
  return {
    url: `${origin}/`,
    origin,
    close: () =>
      new Promise((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
