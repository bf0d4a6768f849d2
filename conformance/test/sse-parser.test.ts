import { describe, expect, it } from 'vitest';
import { SseParser } from '../src/live/sse-parser.js';

describe('the SSE framing parser', () => {
  it('SSE-3 reads event, id, retry and data fields, closing a block at a blank line', () => {
    const blocks = new SseParser().feed('retry: 1000\n\nevent: changes\nid: c1.1\ndata: {"a":1}\n\nevent: heartbeat\ndata: {}\n\n');
    expect(blocks).toEqual([
      { data: [], retry: '1000', raw: 'retry: 1000' },
      { event: 'changes', id: 'c1.1', data: ['{"a":1}'], raw: 'event: changes\nid: c1.1\ndata: {"a":1}' },
      { event: 'heartbeat', data: ['{}'], raw: 'event: heartbeat\ndata: {}' },
    ]);
  });

  it('SSE-3 keeps every data line of a block, so that data split over lines is visible', () => {
    expect(new SseParser().feed('event: changes\ndata: {"a":\ndata: 1}\n\n')[0]?.data).toEqual(['{"a":', '1}']);
  });

  it('SSE-14 accepts CRLF, CR and LF line ends, even a CRLF split between chunks, and ignores comments', () => {
    const parser = new SseParser();
    expect(parser.feed('event: a\r')).toEqual([]);
    expect(parser.feed('\ndata:x\r\r: a comment\revent: b\ndata: y\r\n\r\n')).toEqual([
      { event: 'a', data: ['x'], raw: 'event: a\ndata:x' },
      { event: 'b', data: ['y'], raw: ': a comment\nevent: b\ndata: y' },
    ]);
  });

  it('SSE-10 keeps an unfinished block pending: an event cut by the end of the stream is not delivered', () => {
    const parser = new SseParser();
    expect(parser.feed('event: changes\nid: c1\ndata: {"tab')).toEqual([]);
    expect(parser.pending).toBe('event: changes\nid: c1\ndata: {"tab');
    expect(parser.feed('le":"t"}\n\n')).toHaveLength(1);
    expect(parser.pending).toBe('');
  });
});
