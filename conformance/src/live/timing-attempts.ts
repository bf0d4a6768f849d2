import { ExpectationFailure } from '../failure.js';

/** How many times a period (of heartbeats, of pings) is measured before a late beat counts against the target. */
export const TIMING_ATTEMPTS = 3;

/**
 * Runs `measure` up to TIMING_ATTEMPTS times and stops at the first attempt that holds; the last
 * attempt's failure is the check's. Why: on a loaded 2-core runner the suite's and the server's
 * event loops stall for seconds (see LIVE_ANSWER_MS), so one beat later than its period can be the
 * machine's doing; a target that does not keep the period misses it in every attempt. Only an
 * ExpectationFailure is measured again: anything else (a refused stream, a bug) ends the check.
 * `measure` closes what it opened, so that a missed attempt leaves nothing running.
 */
export async function inSomeAttempt(record: { note(text: string): void }, measure: (attempt: number) => Promise<void>): Promise<void> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      await measure(attempt);
      return;
    } catch (error) {
      if (!(error instanceof ExpectationFailure) || attempt >= TIMING_ATTEMPTS) throw error;
      record.note(`attempt ${attempt} of ${TIMING_ATTEMPTS} missed (${error.message}); measured again, since a loaded machine can stall one beat`);
    }
  }
}
