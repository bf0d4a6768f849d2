import { describe, expect, it } from 'vitest';
import { ProgressDisplay } from '../src/progress.js';
import { outcome } from './support/outcomes.js';

function stream(isTTY: boolean): NodeJS.WriteStream & { written: string } {
  const fake = { isTTY, columns: 80, written: '', write(text: string) { fake.written += text; return true; } };
  return fake as unknown as NodeJS.WriteStream & { written: string };
}

describe('the progress display', () => {
  it('writes one rewritten line per finished check on a terminal, counting failing checks', () => {
    const tty = stream(true);
    const display = new ProgressDisplay(tty);
    display.update(outcome('PUSH-6', 'failed'), 1, 2);
    display.update(outcome('PUSH-8', 'passed'), 2, 2);
    display.finish();
    expect(tty.written).toContain('[1/2] 1 failing');
    expect(tty.written).toContain('[2/2] 1 failing — passed');
    expect(tty.written.endsWith('\r\x1b[2K')).toBe(true);
  });

  it('writes nothing when the output is not a terminal (CI logs)', () => {
    const pipe = stream(false);
    const display = new ProgressDisplay(pipe);
    display.update(outcome('PUSH-6', 'failed'), 1, 1);
    display.finish();
    expect(pipe.written).toBe('');
  });
});
