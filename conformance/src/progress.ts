import type { CheckOutcome } from './check-outcome.js';

/** A one-line live display of the run on a terminal; silent otherwise (CI logs stay clean). */
export class ProgressDisplay {
  private failed = 0;

  constructor(private readonly stream: NodeJS.WriteStream) {}

  get enabled(): boolean {
    return this.stream.isTTY === true;
  }

  update(outcome: CheckOutcome, done: number, total: number): void {
    if (outcome.status === 'failed') this.failed++;
    if (!this.enabled) return;
    const line = `[${done}/${total}] ${this.failed} failing — ${outcome.status.padEnd(13)} ${outcome.checkId}`;
    this.stream.write(`\r\x1b[2K${line.slice(0, (this.stream.columns || 100) - 1)}`);
  }

  finish(): void {
    if (this.enabled) this.stream.write('\r\x1b[2K');
  }
}
