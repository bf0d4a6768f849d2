import { defineCheck, type Check } from '../src/check.js';
import { DEFAULT_BUDGET, type PropertyBudget } from './property-budget.js';
import { runProperty, runsOf, type PropertyDefinition } from './property-run.js';

/** A check of the suite that is a model-based property: it can be rebuilt with another budget. */
export interface PropertyCheck extends Check {
  readonly property: PropertyDefinition;
}

/** The check of a property, reported under its requirement like every other check. */
export function propertyCheck(definition: PropertyDefinition, budget: PropertyBudget = DEFAULT_BUDGET): PropertyCheck {
  const check = defineCheck({
    requirement: definition.requirement,
    slug: definition.slug,
    description: `model-based (fast-check, ${budget.replay ? 'one replayed run' : `${runsOf(definition, budget)} runs of up to ${budget.maxCommands} commands`}): ${definition.description}`,
    // The search and its shrinking are bounded by the budget's own time limit; the replay and teardown follow it.
    minimumSeconds: () => Math.ceil(budget.timeLimitMs / 1000) * 2 + 30,
    run: async (ctx) => {
      await runProperty(ctx, check.id, definition, budget);
    },
  });
  return { ...check, property: definition };
}

export function isPropertyCheck(check: Check): check is PropertyCheck {
  return 'property' in check;
}

/** The checks with every property check rebuilt under `budget` (`--runs`, `--deep`, `--replay`). */
export function withPropertyBudget(checks: readonly Check[], budget: PropertyBudget): Check[] {
  return checks.map((check) => (isPropertyCheck(check) ? propertyCheck(check.property, budget) : check));
}
