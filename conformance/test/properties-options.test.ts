import { describe, expect, it } from 'vitest';
import { DEEP_BUDGET, DEFAULT_BUDGET, formatReplay, parseReplay } from '../properties/property-budget.js';
import { isPropertyCheck, withPropertyBudget } from '../properties/property-check.js';
import { parseRunOptions, propertyBudgetOf } from '../src/cli-options.js';
import { ALL_CHECKS } from '../src/checks/registry.js';
import { UsageError } from '../src/usage-error.js';

describe('the budget of the model-based properties (--runs, --deep, --replay)', () => {
  it('defaults to the small budget; --deep buys the large one; --runs sets the runs of either', () => {
    expect(propertyBudgetOf(parseRunOptions([]))).toEqual(DEFAULT_BUDGET);
    expect(propertyBudgetOf(parseRunOptions(['--deep']))).toEqual(DEEP_BUDGET);
    expect(propertyBudgetOf(parseRunOptions(['--runs', '40']))).toEqual({ ...DEFAULT_BUDGET, runs: 40 });
    expect(propertyBudgetOf(parseRunOptions(['--deep', '--runs', '7']))).toEqual({ ...DEEP_BUDGET, runs: 7 });
  });

  it('--replay takes the path and replayPath a failure printed, and needs the --seed of that run', () => {
    expect(propertyBudgetOf(parseRunOptions(['--seed', '5', '--replay', '1:2:0@AB:C']))).toEqual({ ...DEFAULT_BUDGET, replay: { path: '1:2:0', replayPath: 'AB:C' } });
    expect(parseReplay(formatReplay('3:0', 'B+/:q'))).toEqual({ path: '3:0', replayPath: 'B+/:q' });
    expect(parseReplay('7')).toEqual({ path: '7' });
    expect(() => parseRunOptions(['--replay', '1:2'])).toThrow(/--replay needs the --seed/);
    expect(() => parseRunOptions(['--seed', '1', '--replay', 'not-a-path'])).toThrow(UsageError);
    expect(() => parseRunOptions(['--runs', '0'])).toThrow(/--runs must be at least 1/);
  });

  it('rebuilds only the property checks under a budget, keeping their ids and requirements', () => {
    const rebuilt = withPropertyBudget(ALL_CHECKS, { ...DEFAULT_BUDGET, runs: 9 });
    expect(rebuilt.map((check) => check.id)).toEqual(ALL_CHECKS.map((check) => check.id));
    expect(rebuilt.filter((check, i) => check !== ALL_CHECKS[i]).every(isPropertyCheck)).toBe(true);
    const properties = rebuilt.filter(isPropertyCheck);
    expect(properties.length).toBeGreaterThanOrEqual(8);
    // A property may search several times the budget's runs (runsPerBudgetRun), never fewer.
    for (const check of properties) expect(check.description).toContain(`${9 * (check.property.runsPerBudgetRun ?? 1)} runs of up to 8 commands`);
    expect(properties.find((check) => check.id === 'PULL-3/model-concurrent-pushes')!.description).toContain('36 runs of up to 8 commands');
  });
});
