import { expectEqual, expectTrue } from '../../assertions.js';
import { defineCheck } from '../../check.js';
import { expiringStream } from './expiring-stream.js';

export const check = defineCheck({
  requirement: 'SSE-14',
  slug: 'error-events',
  description: 'alice\'s stream is ended by the server when her token expires: the `error` event is whole (one data line matching error.schema.json), the last event, and nothing follows it but the end',
  async run(ctx) {
    const { stream, errorEvents } = await expiringStream(ctx);
    expectTrue(errorEvents.length === 1, 'SSE-14', 'one error event before the end', () => `${errorEvents.length} error events`);
    expectEqual(stream.events.at(-1)?.event, 'error', 'SSE-14', 'the name of the last event');
    expectEqual(stream.trailing, '', 'SSE-14', 'text after the error event');
  },
});
