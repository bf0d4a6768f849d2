// The suite reads streams with its own framing rather than eventsource-parser (which the reference
// client uses): a conformance check must see each block as sent — its raw text for the transcript,
// its separate `data:` lines for SSE-3 — where a parser for applications joins and normalizes them.

/** One block of an event stream, up to its blank line: the fields as sent, before any dispatch rule. */
export interface SseBlock {
  event?: string;
  id?: string;
  retry?: string;
  /** Every `data:` line, in order: an event whose data spans several lines has several. */
  data: string[];
  /** The block as received, without its closing blank line, for transcripts. */
  raw: string;
}

const LINE_END = /\r\n|\r|\n/;

/**
 * The framing of text/event-stream (WHATWG HTML, "Interpreting an event stream"), fed chunk by chunk:
 * lines end with CRLF, LF or CR; a blank line closes a block; `:` starts a comment. Blocks are kept
 * whole, not dispatched as EventSource would, so that a check sees exactly what the server framed.
 */
export class SseParser {
  private buffer = '';
  private lines: string[] = [];

  /** The blocks completed by `text`; an unfinished block stays pending. */
  feed(text: string): SseBlock[] {
    this.buffer += text;
    const blocks: SseBlock[] = [];
    for (;;) {
      const match = LINE_END.exec(this.buffer);
      // A CR at the very end may be the first half of a CRLF still in transit.
      if (match === null || (match[0] === '\r' && match.index === this.buffer.length - 1)) break;
      const line = this.buffer.slice(0, match.index);
      this.buffer = this.buffer.slice(match.index + match[0].length);
      if (line === '') {
        if (this.lines.length > 0) blocks.push(blockOf(this.lines));
        this.lines = [];
      } else {
        this.lines.push(line);
      }
    }
    return blocks;
  }

  /** Text of a block that has not been closed by a blank line yet (empty when the stream is between events). */
  get pending(): string {
    return [...this.lines, this.buffer].filter((part) => part !== '').join('\n');
  }
}

function blockOf(lines: readonly string[]): SseBlock {
  const block: SseBlock = { data: [], raw: lines.join('\n') };
  for (const line of lines) {
    if (line.startsWith(':')) continue;
    const colon = line.indexOf(':');
    const name = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (name === 'data') block.data.push(value);
    else if (name === 'event') block.event = value;
    else if (name === 'id') block.id = value;
    else if (name === 'retry') block.retry = value;
  }
  return block;
}
