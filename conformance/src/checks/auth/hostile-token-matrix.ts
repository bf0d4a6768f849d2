import type { RequirementId } from '../../../../spec/src/requirement-index.js';
import { expectError } from '../../assertions.js';
import { hostileTokens, type HostileToken } from '../../auth-service/hostile-tokens.js';
import type { CheckContext } from '../../check-context.js';
import { TABLE } from '../../change-builders.js';

/** The hostile tokens of one requirement, for alice's user id, signed against the current key. */
export async function hostileTokensOf(ctx: CheckContext, requirement: RequirementId): Promise<HostileToken[]> {
  return (await hostileTokens(ctx.auth.signingKey, ctx.alice.userId)).filter((token) => token.requirement === requirement);
}

/**
 * Sends each hostile token of `requirement` on a pull and on a push; each must be refused with its
 * code. A pull first with a valid token proves the refusals are about the token, not the request.
 */
export async function refusesHostileTokens(ctx: CheckContext, requirement: RequirementId): Promise<void> {
  await ctx.alice.mustPull({ collection: TABLE });
  for (const hostile of await hostileTokensOf(ctx, requirement)) {
    ctx.record.note(`token "${hostile.name}": ${hostile.description}`);
    expectError(await ctx.alice.pull({ collection: TABLE }, { token: hostile.token }), hostile.expectedCode, requirement);
    expectError(await ctx.alice.push({ changes: [] }, { token: hostile.token }), hostile.expectedCode, requirement);
  }
}
