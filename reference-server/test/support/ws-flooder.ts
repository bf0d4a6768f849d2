import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { connect, type Socket } from 'node:net';

/**
 * A WebSocket client on a bare TCP socket (RFC 6455 framing by hand), because the test needs what a
 * WebSocket API does not offer: to stop reading while it keeps writing. It authenticates, reads the
 * answer, then pauses its socket and floods the server with frames it never reads the answers to.
 */
export class WsFlooder {
  readonly #socket: Socket;
  /** Whether the server ended the connection (seen as a write that fails or a close). */
  closed = false;

  private constructor(socket: Socket) {
    this.#socket = socket;
    // Writes into a connection the server dropped fail; the flood is then over.
    socket.on('error', () => (this.closed = true));
    socket.on('close', () => (this.closed = true));
  }

  /** Opens `/ws` of `baseUrl`, sends `auth` with `token`, and resolves after the answer arrived. */
  static async authenticated(baseUrl: string, token: string): Promise<WsFlooder> {
    const url = new URL(baseUrl);
    const socket = connect(Number(url.port), url.hostname);
    await once(socket, 'connect');
    socket.write(
      [
        'GET /ws HTTP/1.1',
        `Host: ${url.host}`,
        'Upgrade: websocket',
        'Connection: Upgrade',
        `Sec-WebSocket-Key: ${randomBytes(16).toString('base64')}`,
        'Sec-WebSocket-Version: 13',
        '',
        '',
      ].join('\r\n'),
    );
    const flooder = new WsFlooder(socket);
    socket.write(textFrame(JSON.stringify({ type: 'auth', token })));
    await new Promise<void>((resolve, reject) => {
      let received = '';
      const onData = (chunk: Buffer) => {
        received += chunk.toString('latin1');
        const done = (error?: Error) => {
          // From here on nothing is read: whatever the server sends stays in the socket buffers.
          socket.pause();
          socket.off('data', onData);
          if (error === undefined) resolve();
          else reject(error);
        };
        if (!received.startsWith('HTTP/1.1 101')) {
          if (received.includes('\r\n\r\n')) done(new Error(`no WebSocket upgrade: ${received.split('\r\n')[0]}`));
        } else if (received.includes('auth-ok')) {
          done();
        } else if (received.includes('"error"')) {
          done(new Error(`authentication refused: ${received}`));
        }
      };
      socket.on('data', onData);
    });
    return flooder;
  }

  /** Writes `frames` text frames of `message` (a string, sent as is), honouring back-pressure, until done or dropped. */
  async flood(message: string, frames: number): Promise<number> {
    const frame = textFrame(message);
    const batch = 1_000;
    let sent = 0;
    while (sent < frames && !this.closed) {
      const count = Math.min(batch, frames - sent);
      const room = this.#socket.write(Buffer.concat(Array.from({ length: count }, () => frame)));
      sent += count;
      if (!room && !this.closed) await this.#writable();
    }
    return sent;
  }

  /** Resolves when the socket drained, or failed, or closed. */
  #writable(): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        for (const event of ['drain', 'error', 'close']) this.#socket.off(event, done);
        resolve();
      };
      for (const event of ['drain', 'error', 'close']) this.#socket.once(event, done);
    });
  }

  destroy(): void {
    this.#socket.destroy();
  }
}

/** A masked text frame (clients must mask, RFC 6455 5.3); payloads below 64 KiB. */
function textFrame(text: string): Buffer {
  const payload = Buffer.from(text, 'utf8');
  const mask = randomBytes(4);
  const header = payload.length < 126 ? Buffer.from([0x81, 0x80 | payload.length]) : Buffer.from([0x81, 0x80 | 126, payload.length >> 8, payload.length & 0xff]);
  const masked = Buffer.from(payload.map((byte, index) => byte ^ mask[index % 4]!));
  return Buffer.concat([header, mask, masked]);
}
