import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { parseJson, type Exchange } from '../exchange.js';
import { recordableBody, type TranscriptRecorder } from '../transcript.js';

export interface RawRequest {
  method: string;
  /** Path and query exactly as they go on the wire. */
  target: string;
  headers: Record<string, string>;
  body?: Buffer;
}

/** More of an answer than any error body needs; the rest is not read. */
const MAX_ANSWER_BYTES = 1 << 20;

function headersOf(incoming: IncomingHttpHeaders): Headers {
  const headers = new Headers();
  for (const [name, value] of Object.entries(incoming)) {
    if (value === undefined) continue;
    for (const one of Array.isArray(value) ? value : [value]) headers.append(name, one);
  }
  return headers;
}

/**
 * Sends one request on a connection of its own, byte for byte: fetch would normalize the path,
 * refuse Upgrade headers and invalid header values, and a reused connection could carry one case's
 * damage into the next. A 101 answer (the server upgraded) comes back as status 101, a stream
 * (text/event-stream) with an empty body, both closed at once. The answer is recorded when a
 * recorder is given; a request that gets no answer within `timeoutMs` throws.
 */
export function sendRawRequest(baseUrl: string, raw: RawRequest, timeoutMs: number, recorder?: TranscriptRecorder): Promise<Exchange> {
  const url = `${baseUrl}${raw.target}`;
  const atMs = recorder?.elapsedMs() ?? 0;
  const recordedRequest = { method: raw.method, url, headers: raw.headers, body: recordableBody(raw.body) };
  const headers = { connection: 'close', ...raw.headers, ...(raw.body === undefined ? {} : { 'content-length': String(raw.body.length) }) };
  const send = baseUrl.startsWith('https:') ? httpsRequest : httpRequest;
  return new Promise<Exchange>((resolve, reject) => {
    let settled = false;
    const finish = (exchange: Exchange) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      recorder?.http({
        atMs,
        durationMs: recorder.elapsedMs() - atMs,
        request: recordedRequest,
        response: { status: exchange.status, headers: Object.fromEntries(exchange.headers), body: recordableBody(exchange.text) ?? '' },
      });
      resolve(exchange);
    };
    const failWith = (error: Error) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      recorder?.http({ atMs, durationMs: recorder.elapsedMs() - atMs, request: recordedRequest, error: error.message });
      reject(new Error(`${raw.method} ${url.slice(0, 200)} got no answer: ${error.message}`, { cause: error }));
    };
    // The URL goes through as given: `path` is not parsed or normalized by node:http.
    const { protocol, hostname, port } = new URL(baseUrl);
    const request = send({ protocol, hostname, port, method: raw.method, path: raw.target, headers, agent: false });
    const timer = setTimeout(() => {
      failWith(new Error(`no answer within ${timeoutMs} ms`));
      request.destroy();
    }, timeoutMs);
    request.on('upgrade', (response, socket) => {
      socket.destroy();
      finish({ method: raw.method, url, status: response.statusCode ?? 101, headers: headersOf(response.headers), text: '', json: undefined });
    });
    request.on('response', (response) => {
      const exchange = { method: raw.method, url, status: response.statusCode ?? 0, headers: headersOf(response.headers) };
      if (/text\/event-stream/i.test(response.headers['content-type'] ?? '')) {
        response.destroy();
        return finish({ ...exchange, text: '', json: undefined });
      }
      const chunks: Buffer[] = [];
      let length = 0;
      response.on('data', (chunk: Buffer) => {
        chunks.push(chunk);
        length += chunk.length;
        if (length > MAX_ANSWER_BYTES) response.destroy();
      });
      const done = () => {
        const text = Buffer.concat(chunks).toString('utf8');
        finish({ ...exchange, text, json: parseJson(text) });
      };
      response.on('end', done);
      response.on('close', done);
      response.on('error', done);
    });
    // A server may answer a body it refuses (413, 401) before it is sent whole, then close: the
    // write fails, but the answer already counts.
    request.on('error', (error) => setTimeout(() => failWith(error), 50));
    request.end(raw.body);
  });
}
