import { defineCheck } from '../../check.js';
import { refusesHostileTokens } from './hostile-token-matrix.js';

export const check = defineCheck({
  requirement: 'AUTH-5',
  slug: 'not-yet-valid',
  description: 'alice pulls and pushes with a token whose nbf is an hour ahead (AUTH_TOKEN_NOT_YET_VALID): 401 with the spec\'s code each',
  run: (ctx) => refusesHostileTokens(ctx, 'AUTH-5'),
});
