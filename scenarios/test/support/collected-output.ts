import type { Output } from '../../src/scenario-runner.js';

/** What a scenario printed, kept for assertions and for the failure message of a test. */
export class CollectedOutput implements Output {
  text = '';

  write(text: string): void {
    this.text += text;
  }
}
