import type { RequirementId } from '../../../spec/src/requirement-index.js';
import { ExpectationFailure } from '../failure.js';
import { ChangeSignal } from './bounded-wait.js';

export interface WaitOptions {
  withinMs: number;
  requirement: RequirementId;
  /** What the wait is for, for the failure message. */
  waitingFor: string;
}

/**
 * What an SSE stream and a WebSocket share: a channel of the check that receives over time, ends
 * once, and lets a check wait for a condition with a failure bound that names the requirement.
 */
export abstract class LiveChannel<Item, End> {
  private readonly arrivals = new ChangeSignal();

  constructor(
    readonly channel: string,
    private readonly checkEnded: AbortSignal,
  ) {}

  /** What the channel received so far and how it ended, for failure messages. */
  protected abstract describe(): string;
  /** Everything received so far, in order. */
  protected abstract get received(): Item[];
  /** How the channel ended; undefined while it is open. */
  protected abstract get ending(): End | undefined;

  /** Resolves with everything received once `predicate` holds; fails if the channel ends or the bound passes first. */
  mustReceiveUntil(predicate: (received: Item[]) => boolean, options: WaitOptions): Promise<Item[]> {
    return this.waitFor(() => (predicate(this.received) ? this.received : undefined), { ...options, waitingFor: `receive ${options.waitingFor}` });
  }

  /** Resolves with how the channel ended, once it has; fails if it is still open after the bound. */
  protected waitForEnd(options: WaitOptions): Promise<End> {
    return this.waitFor(() => this.ending, options, true);
  }

  /** Re-evaluates every pending wait: call after each arrival and at the end. */
  protected arrived(): void {
    this.arrivals.changed();
  }

  /**
   * Resolves with the first defined value of `probe`. Unless `untilOver`, the channel ending first
   * fails the wait (what it waits for can no longer come); after `withinMs` it fails in any case.
   */
  protected waitFor<T>(probe: () => T | undefined, options: WaitOptions, untilOver = false): Promise<T> {
    const failure = (why: string) => new ExpectationFailure({ requirement: options.requirement, expected: `${this.channel} to ${options.waitingFor}`, actual: `${why}: ${this.describe()}` });
    return this.arrivals.until(
      () => {
        const value = probe();
        if (value !== undefined) return value;
        if (this.ending !== undefined && !untilOver) throw failure('it ended first');
        return undefined;
      },
      options.withinMs,
      () => failure(`not within ${options.withinMs} ms`),
      this.checkEnded,
    );
  }
}
