import { recordableBody, type TranscriptRecorder } from './transcript.js';

export interface OutgoingRequest {
  method: string;
  url: string;
  headers?: Record<string, string>;
  body?: string | Uint8Array;
}

/** One HTTP request and its answer as a check sees it: status, headers, text and parsed JSON. */
export interface Exchange {
  method: string;
  url: string;
  status: number;
  headers: Headers;
  text: string;
  /** The parsed body, or undefined when it is not JSON. */
  json: unknown;
}

/** Names a failed exchange the way Complement does: method, URL, status and body. */
export function describeExchange(exchange: Exchange): string {
  const body = exchange.text.length > 500 ? `${exchange.text.slice(0, 500)}…` : exchange.text;
  return `${exchange.method} ${exchange.url} → ${exchange.status} ${body}`;
}

export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/**
 * The service key is the target's own secret, configured beyond this run: transcripts name it
 * without its value. Tokens stay: they are signed by keys that live only as long as the run, and a
 * hostile token is only reproducible from its transcript.
 */
function recordableHeaders(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).map(([name, value]) => [name, name.toLowerCase() === 'x-service-key' ? '(MANA_SERVICE_KEY)' : value]));
}

/** Sends one request with the global fetch and records it, answered or not, in the transcript. */
export async function sendRecorded(recorder: TranscriptRecorder, request: OutgoingRequest, timeoutMs: number): Promise<Exchange> {
  const atMs = recorder.elapsedMs();
  const recordedRequest = { method: request.method, url: request.url, headers: recordableHeaders(request.headers ?? {}), body: recordableBody(request.body) };
  try {
    const response = await fetch(request.url, {
      method: request.method,
      headers: request.headers,
      body: request.body,
      signal: AbortSignal.timeout(timeoutMs),
    });
    const text = await response.text();
    recorder.http({
      atMs,
      durationMs: recorder.elapsedMs() - atMs,
      request: recordedRequest,
      response: { status: response.status, headers: Object.fromEntries(response.headers), body: recordableBody(text) ?? '' },
    });
    return { method: request.method, url: request.url, status: response.status, headers: response.headers, text, json: parseJson(text) };
  } catch (error) {
    const cause = (error as Error & { cause?: Error }).cause;
    const message = `${(error as Error).message}${cause ? ` (${cause.message})` : ''}`;
    recorder.http({ atMs, durationMs: recorder.elapsedMs() - atMs, request: recordedRequest, error: message });
    throw new Error(`${request.method} ${request.url} got no answer: ${message}`, { cause: error });
  }
}
