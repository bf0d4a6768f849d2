import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EventStreamParser, type ServerSentEvent } from '../../src/live/event-stream-parser.js';

function parse(chunks: readonly string[]): { events: ServerSentEvent[]; retries: number[] } {
  const events: ServerSentEvent[] = [];
  const retries: number[] = [];
  const parser = new EventStreamParser(
    (event) => events.push(event),
    (ms) => retries.push(ms),
  );
  for (const chunk of chunks) parser.feed(chunk);
  return { events, retries };
}

const STREAM = [
  '\ufeffretry: 1000',
  '',
  ': a comment',
  'event: changes',
  'id: c1.0001',
  'data: {"table":"tasks",',
  'data:"more":1}',
  '',
  'event: heartbeat',
  'data: {}',
  '',
  'data',
  '',
  'id: only-an-id',
  '',
  'event: error',
  'data: {"error":{}}',
  '',
  'event: changes',
  'data: unterminated',
].join('\n');

const EXPECTED: ServerSentEvent[] = [
  { event: 'changes', id: 'c1.0001', data: '{"table":"tasks",\n"more":1}' },
  { event: 'heartbeat', id: undefined, data: '{}' },
  { event: 'message', id: undefined, data: '' },
  { event: 'error', id: undefined, data: '{"error":{}}' },
];

describe('the text/event-stream parser (section 4)', () => {
  it('SSE-4 reads events, their own ids, multi-line data, comments and retry', () => {
    const { events, retries } = parse([STREAM]);
    expect(events).toEqual(EXPECTED);
    expect(retries).toEqual([1000]);
  });

  it('SSE-15 the events are the same whichever line ends are used and wherever the text is cut', () => {
    fc.assert(
      fc.property(fc.constantFrom('\n', '\r\n', '\r'), fc.array(fc.nat(), { maxLength: 12 }), (lineEnd, cuts) => {
        const text = STREAM.split('\n').join(lineEnd);
        const positions = [...new Set(cuts.map((cut) => cut % (text.length + 1)))].sort((a, b) => a - b);
        const chunks = [0, ...positions].map((start, i) => text.slice(start, positions[i] ?? text.length));
        expect(parse(chunks).events).toEqual(EXPECTED);
      }),
    );
  });
});
