import { describe, expect, it } from 'vitest';
import { helpText, parseRunOptions, RUN_OPTIONS } from '../src/cli-options.js';
import { UsageError } from '../src/usage-error.js';

describe('mana-conformance run options', () => {
  it('defaults every option from the table', () => {
    expect(parseRunOptions([])).toEqual({
      target: undefined, image: undefined, imagePort: 3050, imageEnv: [], withPostgres: false, only: [], skip: [], strict: false, list: false, seed: undefined, timeout: 15, reportDir: 'conformance-report',
      expectations: undefined, updateExpectations: false, json: false, authPort: undefined, serviceKey: undefined, concurrency: 8, runs: undefined, deep: false, replay: undefined, help: false,
    });
  });

  it('reads repeated and comma-separated patterns, integers, flags and a target', () => {
    const options = parseRunOptions(['--only', 'PUSH,AUTH-1*', '--only', 'PULL-3', '--skip=AUTH-8', '--seed', '42', '--strict', '--target', 'http://localhost:3050', '--auth-port', '3999', '--json']);
    expect(options).toMatchObject({ only: ['PUSH', 'AUTH-1*', 'PULL-3'], skip: ['AUTH-8'], seed: 42, strict: true, target: 'http://localhost:3050', authPort: 3999, json: true });
  });

  it.each([
    [['--bogus'], /Unknown option '--bogus'/],
    [['--seed', 'abc'], /--seed needs an integer, got "abc"/],
    [['--timeout', '0'], /--timeout must be at least 1 second/],
    [['--target', 'localhost:3050'], /--target must be an http\(s\) URL/],
    [['--target', 'not a url'], /--target must be a URL/],
    [['--auth-port', '70000'], /--auth-port must be a port number/],
    [['positional'], /Unexpected argument 'positional'/],
  ])('refuses %j with a usage error that names the option', (args, message) => {
    expect(() => parseRunOptions(args)).toThrow(UsageError);
    expect(() => parseRunOptions(args)).toThrow(message);
  });

  it('declares each flag once and lists every flag in --help', () => {
    const flags = Object.values(RUN_OPTIONS).map((spec) => spec.flag);
    expect(new Set(flags).size).toBe(flags.length);
    for (const flag of flags) expect(helpText()).toContain(`--${flag}`);
  });
});
