import type { HealthLimits } from '../../spec/generated/types.js';
import type { Area, Level, RequirementId } from '../../spec/src/requirement-index.js';
import { requirement as requirementOf } from '../../spec/src/requirements.js';
import type { CheckContext } from './check-context.js';

/**
 * One conformance check (the h2spec shape): it enforces one requirement of spec/protocol.md, says in
 * one line what the tester sends, and fails with `{ requirement, expected, actual }`.
 */
export interface Check {
  /** `<requirement>/<slug>`, stable like the requirement IDs: reports and expectations cite it. */
  readonly id: string;
  readonly requirement: RequirementId;
  readonly area: Area;
  /** From the requirement index, never typed per check. */
  readonly level: Level;
  readonly description: string;
  /**
   * Exclusive checks run alone after the concurrent ones: they change state every check shares
   * (the signing key, the JWKS's availability), count events every check causes (JWKS fetches), or
   * need the target's whole attention to see a timing (a stalled reader filling its buffers, SSE-10).
   */
  readonly exclusive: boolean;
  /**
   * The least time the check needs against a target with these limits (seconds), when a period the
   * server chooses (a cooldown, a cache) is part of what it checks; --timeout applies when larger.
   */
  readonly minimumSeconds: (limits: HealthLimits | undefined) => number;
  readonly run: (ctx: CheckContext) => Promise<void>;
}

export interface CheckDefinition {
  requirement: RequirementId;
  slug: string;
  description: string;
  exclusive?: boolean;
  minimumSeconds?: (limits: HealthLimits | undefined) => number;
  run: (ctx: CheckContext) => Promise<void>;
}

export function defineCheck(definition: CheckDefinition): Check {
  const indexed = requirementOf(definition.requirement);
  return {
    id: `${definition.requirement}/${definition.slug}`,
    requirement: definition.requirement,
    area: indexed.area,
    level: indexed.level,
    description: definition.description,
    exclusive: definition.exclusive ?? false,
    minimumSeconds: definition.minimumSeconds ?? (() => 0),
    run: definition.run,
  };
}
