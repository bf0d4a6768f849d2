// The `text/event-stream` format (WHATWG HTML, "Server-sent events", §9.2.6), for reading the stream
// with `fetch`, since the EventSource API cannot send the Authorization header. No maintained parser
// (such as eventsource-parser) is installed in this repository, so this is the small one the format
// needs: lines end with CRLF, LF or CR; fields are `event`, `data`, `id`, `retry`; a blank line
// dispatches; a line starting with ":" is a comment.

export interface ServerSentEvent {
  /** The event type; "message" when the event names none. */
  readonly event: string;
  readonly data: string;
  /** The `id:` of this very event; undefined when it carried none (SSE-4: heartbeats carry none). */
  readonly id: string | undefined;
}

export class EventStreamParser {
  private pending = '';
  private skipLineFeed = false;
  private atStart = true;
  private eventType = '';
  private data: string[] = [];
  private id: string | undefined;

  constructor(
    private readonly onEvent: (event: ServerSentEvent) => void,
    private readonly onRetry: (milliseconds: number) => void = () => {},
  ) {}

  /** Feeds decoded text; may be cut anywhere, also between the CR and LF of one line end. */
  feed(text: string): void {
    let chunk = text;
    if (this.atStart && chunk.length > 0) {
      this.atStart = false;
      if (chunk.startsWith('\ufeff')) chunk = chunk.slice(1);
    }
    let start = 0;
    if (this.skipLineFeed && chunk.startsWith('\n')) start = 1;
    this.skipLineFeed = false;
    for (let i = start; i < chunk.length; i++) {
      const char = chunk[i];
      if (char !== '\n' && char !== '\r') continue;
      this.line(this.pending + chunk.slice(start, i));
      this.pending = '';
      if (char === '\r') {
        if (i + 1 === chunk.length) this.skipLineFeed = true;
        else if (chunk[i + 1] === '\n') i++;
      }
      start = i + 1;
    }
    this.pending += chunk.slice(start);
  }

  private line(line: string): void {
    if (line === '') return this.dispatch();
    if (line.startsWith(':')) return;
    const colon = line.indexOf(':');
    const field = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    switch (field) {
      case 'event':
        this.eventType = value;
        break;
      case 'data':
        this.data.push(value);
        break;
      case 'id':
        if (!value.includes('\u0000')) this.id = value;
        break;
      case 'retry':
        if (/^\d+$/.test(value)) this.onRetry(Number(value));
        break;
    }
  }

  private dispatch(): void {
    const event: ServerSentEvent = { event: this.eventType || 'message', data: this.data.join('\n'), id: this.id };
    const hasData = this.data.length > 0;
    this.eventType = '';
    this.data = [];
    this.id = undefined;
    if (hasData) this.onEvent(event);
  }
}
