import { describe, expect, it } from 'vitest';
import { ExpectationFailure, fail } from '../src/failure.js';
import { inSomeAttempt, TIMING_ATTEMPTS } from '../src/live/timing-attempts.js';

function recorder() {
  const notes: string[] = [];
  return { notes, note: (text: string) => notes.push(text) };
}

describe('a period measured in some attempt', () => {
  it('SSE-6 SSE-7 WS-13 a late beat in the first attempts is noted and measured again; the attempt that holds ends the check', async () => {
    const record = recorder();
    const attempts: number[] = [];
    await inSomeAttempt(record, async (attempt) => {
      attempts.push(attempt);
      await Promise.resolve();
      if (attempt < TIMING_ATTEMPTS) fail('SSE-7', 'heartbeats every second (heartbeat=1)', 'gaps of 1000, 2400, 1000 ms');
    });
    expect(attempts).toEqual([1, 2, 3]);
    expect(record.notes).toHaveLength(TIMING_ATTEMPTS - 1);
    expect(record.notes[0]).toContain('gaps of 1000, 2400, 1000 ms');
  });

  it('SSE-7 a target that misses the period in every attempt fails with the last attempt\'s failure', async () => {
    const record = recorder();
    let calls = 0;
    const measured = inSomeAttempt(record, async (attempt) => {
      calls += 1;
      await Promise.resolve();
      fail('SSE-7', 'heartbeats every second (heartbeat=1)', `attempt ${attempt}: gaps of 2000, 2000, 2000 ms`);
    });
    await expect(measured).rejects.toMatchObject({ failure: { requirement: 'SSE-7', actual: `attempt ${TIMING_ATTEMPTS}: gaps of 2000, 2000, 2000 ms` } });
    expect(calls).toBe(TIMING_ATTEMPTS);
  });

  it('SSE-6 SSE-7 WS-13 an error that is not an expectation failure (a refused stream, a bug) ends the check at once', async () => {
    let calls = 0;
    const measured = inSomeAttempt(recorder(), async () => {
      calls += 1;
      await Promise.resolve();
      throw new TypeError('fetch failed');
    });
    await expect(measured).rejects.toBeInstanceOf(TypeError);
    await expect(measured).rejects.not.toBeInstanceOf(ExpectationFailure);
    expect(calls).toBe(1);
  });
});
