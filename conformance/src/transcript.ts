/** Bodies longer than this are summarised: a 10 MiB push would make the report unreadable. */
const MAX_RECORDED_BODY_CHARS = 16_384;

export interface RecordedRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  body?: string;
}

export interface RecordedResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

export type TranscriptEntry =
  | { kind: 'http'; atMs: number; durationMs: number; request: RecordedRequest; response?: RecordedResponse; error?: string }
  | { kind: 'note'; atMs: number; text: string }
  /** One SSE event or WebSocket frame (or the opening and close of the socket), in either direction. */
  | { kind: 'live'; atMs: number; channel: string; direction: 'sent' | 'received'; text: string };

export function recordableBody(body: string | Uint8Array | undefined): string | undefined {
  if (body === undefined) return undefined;
  const text = typeof body === 'string' ? body : Buffer.from(body).toString('utf8');
  if (text.length <= MAX_RECORDED_BODY_CHARS) return text;
  return `${text.slice(0, MAX_RECORDED_BODY_CHARS)}… (${Buffer.byteLength(text)} bytes in all, the rest not recorded)`;
}

/** Every exchange of one check, in order, with times relative to the check's start. */
export class TranscriptRecorder {
  readonly entries: TranscriptEntry[] = [];
  private readonly startedAt = performance.now();

  elapsedMs(): number {
    return Math.round(performance.now() - this.startedAt);
  }

  note(text: string): void {
    this.entries.push({ kind: 'note', atMs: this.elapsedMs(), text });
  }

  live(channel: string, direction: 'sent' | 'received', text: string): void {
    this.entries.push({ kind: 'live', atMs: this.elapsedMs(), channel, direction, text: recordableBody(text) ?? '' });
  }

  http(entry: Omit<Extract<TranscriptEntry, { kind: 'http' }>, 'kind'>): void {
    this.entries.push({ kind: 'http', ...entry });
  }
}
